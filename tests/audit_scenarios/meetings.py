"""Meetings in the diary: attendees, the rest of a recurring series, the court list."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from caseterm.core.services import diary, diary_series
from tests.audit_scenarios import NOW, audited, part, reads
from tests.factories import World


def _at(hour: int, days: int = 1) -> datetime:
    return datetime.combine(NOW.date() + timedelta(days=days), time(hour))


def _series(w: World) -> int:
    """A weekly meeting three times from tomorrow at 10:00; the first one's id."""
    with w.db.write() as s:
        booked = diary.book_appointment(
            s,
            w.clerk,
            staff_id=w.worker.id,
            starts_at=_at(10),
            ends_at=_at(11),
            kind="meeting",
            recurrence="weekly",
            occurrences=3,
            attendee_ids=[w.other.id],
            guests=["Dr Patel"],
        )
        return booked[0].id or 0


reads("diary_attendees", "check_attendees", "attendee_list", "attendee_staff_ids", "attendees_of")
part(
    "diary_attendees",
    "add_attendees",
    "writes a booking's attendees inside book_appointment or reschedule_appointment",
)
reads("diary_series", "appointment_length")
reads("diary_court", "court_list")
reads("diary_conflicts")
reads("org")


@audited("diary_series", "cancel_rest_of_series", "diary.cancel", _series)
def _cancel_rest(s: Session, w: World, appt_id: Any) -> None:
    diary_series.cancel_rest_of_series(s, w.clerk, appointment_id=appt_id, reason="ends early")


@audited("diary_series", "move_rest_of_series", "diary.reschedule", _series)
def _move_rest(s: Session, w: World, appt_id: Any) -> None:
    diary_series.move_rest_of_series(
        s, w.clerk, appointment_id=appt_id, starts_at=_at(15), ends_at=_at(16)
    )
