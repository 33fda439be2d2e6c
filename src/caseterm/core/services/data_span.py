"""How far the data goes: a report's period or the board's day that reaches before the first
record, or after today, is refused with one clear line naming the day the data starts (or
today), instead of a table of noughts for days nobody recorded.

The first record is the earliest day any figure counts from: a case opened or entered, a task
created, an appointment, a payment, a letter issued, a clock stopped, a check decided, a contact
recorded (a minimum of each; ~0.1 s of the database's time on the large demo, asked only when a
person gives a period or a day).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    CaseClock,
    CaseFile,
    ContactEntry,
    Document,
    Payment,
    Task,
    WorkCheck,
)
from caseterm.core.services.identity import Actor


def _day(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# Every dated column a figure counts by (see board, reports, board_outcomes).
_DATED: tuple[Any, ...] = (
    CaseFile.opened_on,
    CaseFile.created_at,
    Task.created_at,
    Appointment.starts_at,
    Payment.paid_on,
    Document.issued_at,
    CaseClock.stopped_on,
    WorkCheck.checked_at,
    ContactEntry.occurred_at,
)


def _first_record_day(session: Session, actor: Actor) -> date | None:
    """The first day anything a figure counts was recorded for (None: there is no data yet)."""
    actor.require("case.read")
    firsts = (session.exec(select(func.min(col(c)))).one() for c in _DATED)
    days = [d for value in firsts if (d := _day(value))]
    return min(days) if days else None


def check_span(
    session: Session,
    actor: Actor,
    *,
    start: date | None,
    end: date | None,
    start_field: str = "period",
    end_field: str = "period",
) -> None:
    """Refuse a period (or a day: `start` = `end`) that starts before the first record or ends
    after today; None is a bound not given (left to its default). The fields name the options
    in the refusal (`--from`, `--to`, `--date`)."""
    today = clock.today()
    for day, field in ((start, start_field), (end, end_field)):
        if day is not None and day > today:
            raise ValidationError(
                field,
                f"{day:%d/%m/%Y} is after today ({today:%d/%m/%Y}): nothing is recorded for "
                "days to come; choose today or earlier",
            )
    if start is None:
        return
    first = _first_record_day(session, actor)
    if first is not None and start < first:
        raise ValidationError(
            start_field,
            f"{start:%d/%m/%Y} is before the first record ({first:%d/%m/%Y}): nothing is "
            f"recorded for earlier days; start on or after {first:%d/%m/%Y}",
        )
