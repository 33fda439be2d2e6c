"""The diary's deadlines, attendees changed on a booking, and letters named by clock rules."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from caseterm.core.services import diary, diary_attendance
from tests.audit_scenarios import NOW, audited, reads
from tests.factories import World

reads("diary_deadlines", "diary_deadlines")
reads("deadlines", "row_of")


def _meeting(w: World) -> int:
    start = datetime.combine(NOW.date() + timedelta(days=1), time(10))
    with w.db.write() as s:
        (booked,) = diary.book_appointment(
            s,
            w.clerk,
            staff_id=w.worker.id or 0,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
        )
        return booked.id or 0


@audited("diary_attendance", "change_attendees", "diary.attendees", _meeting)
def _change_attendees(s: Session, w: World, appt_id: Any) -> None:
    diary_attendance.change_attendees(
        s, w.clerk, appointment_id=appt_id, add=["other"], guests=["Dr Patel"]
    )
