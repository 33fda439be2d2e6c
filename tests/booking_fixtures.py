"""What the tests of a booking's agenda and minutes start from (tests/test_booking_documents.py,
tests/test_cli_booking_documents.py): a meeting in the worker's diary, and the smallest PDF."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from caseterm.core import clock
from caseterm.core.services import diary
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def book_meeting(world: World, *, days: int = 1, case: bool = False) -> int:
    """An hour's meeting at 10:00 `days` from today in the worker's diary, booked by the clerk,
    with a guest from outside (Dr Patel), about the world's case if `case`; its id."""
    start = datetime.combine(clock.today() + timedelta(days=days), time(10))
    with world.db.write() as s:
        (booked,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            case_id=world.case.id if case else None,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
            guests=["Dr Patel"],
        )
    return booked.id or 0
