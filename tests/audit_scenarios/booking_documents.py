"""A booking's agenda and minutes: written, imported from a file, read back."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from caseterm.core.services import booking_documents, diary
from tests.audit_scenarios import NOW, audited, reads
from tests.factories import World

reads("booking_documents", "booking_papers", "paper_file")
reads("diary_views", "booking_row")


def _meeting(w: World) -> int:
    start = datetime.combine(NOW.date() + timedelta(days=1), time(14))
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


@audited("booking_documents", "write_paper", "booking.agenda", _meeting)
def _write_agenda(s: Session, w: World, appt_id: Any) -> None:
    booking_documents.write_paper(
        s, w.clerk, appointment_id=appt_id, kind="agenda", text="1. Apologies\n2. Caseload"
    )


@audited("booking_documents", "import_paper", "booking.minutes", _meeting)
def _import_minutes(s: Session, w: World, appt_id: Any) -> None:
    booking_documents.import_paper(
        s,
        w.clerk,
        appointment_id=appt_id,
        kind="minutes",
        filename="minutes.pdf",
        data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    )
