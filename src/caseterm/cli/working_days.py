"""Days typed on the command line read the way the workstation's forms read them: `+10wd` counts
working days in the office's calendar (the configured bank holidays and the office closure days,
`caseterm closures`), and a due date or a booking that falls on a weekend, a bank holiday or a
closure day is accepted with one warning line on standard error naming the day and the next
working day (the forms warn the same way and offer that day with ctrl+n). A due date, a
bring-forward or a booking in the past is refused with one line, as the forms refuse it before
saving ("--due: 01/01/2020 is in the past"), and nothing is written."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from caseterm.cli.common import plain
from caseterm.core import clock
from caseterm.core.rules.when import (
    Prefer,
    non_working_note,
    parse_day,
    parse_when,
    refuse_past_day,
    refuse_past_moment,
)

if TYPE_CHECKING:
    from caseterm.core.rules.workdays import WorkCalendar


def office_calendar(session: Session) -> WorkCalendar:
    """The working-day calendar the clocks count in: bank holidays and office closure days."""
    from caseterm.core.services import clock_rules

    return clock_rules.work_calendar(session)


def read_day(
    session: Session, text: str, *, field: str, prefer: Prefer = "future"
) -> tuple[date, str]:
    """The day `text` names (`+10wd` skipping closure days too) and the warning for it when it
    is not a working day ("" when it is); a day before today is refused (ValidationError)."""
    calendar = office_calendar(session)
    today = clock.today()
    day = parse_day(text, today, prefer=prefer, field=field, calendar=calendar)
    refuse_past_day(day, today, field=field)
    return day, non_working_note(day, calendar)


def read_moment(text: str, *, field: str) -> datetime:
    """The moment a booking starts or moves to (`today 14:30`, `fri 10am`, `+2h`); one before
    now is refused (ValidationError), as the booking form refuses it."""
    now = clock.now()
    return refuse_past_moment(parse_when(text, now, prefer="future", field=field), now, field=field)


def day_note(session: Session, day: date) -> str:
    """The warning for a day already read (a booking's start), "" for a working day."""
    return non_working_note(day, office_calendar(session))


def warn(field: str, note: str) -> None:
    """One line on standard error for a day that is not a working day (nothing for "")."""
    if note:
        print(plain(f"caseterm: warning: {field}: {note}"), file=sys.stderr)
