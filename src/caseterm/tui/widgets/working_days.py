"""The one way a form reads a day typed into it (due date, bring-forward, booking): what the day
means, shown as it is typed, a past day said to be past before saving, and a weekend, bank
holiday or office closure day warned about with the next working day offered (`ctrl+n`, the
`next_working_day` binding, takes it). The office closure days are read once per form, off the
event loop; until they arrive the bank holidays alone are counted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session
from textual.dom import DOMNode
from textual.widgets import Input

from caseterm.core import clock
from caseterm.core.rules.when import DayReading, check_day, read_day
from caseterm.core.services import clock_rules
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding

if TYPE_CHECKING:
    from caseterm.core.rules.workdays import WorkCalendar

# Every form with a day in it offers the next working day with the same key and id.
NEXT_WORKING_DAY = binding("ctrl+n", "next_working_day", "Next working day", "next_working_day")
OFFER_HINT = " (ctrl+n takes it)"


class WorkingDays:
    """One form's reading of its day field: the calendar it counts in and the last reading.
    `changed` is called when the closure days arrive (so the preview can be shown again)."""

    def __init__(self, *, field: str, allow_past: bool = False) -> None:
        self.field = field
        self.allow_past = allow_past
        self.calendar: WorkCalendar | None = None
        self.reading = DayReading(None)

    def start(self, node: DOMNode, changed: Callable[[], object]) -> None:
        def loaded(calendar: WorkCalendar) -> None:
            self.calendar = calendar
            changed()

        def read(session: Session) -> WorkCalendar:
            return clock_rules.work_calendar(session)

        run_db(node, read, done=loaded, what="reading the office closure days")

    def read(self, text: str) -> DayReading:
        """Read `text` as a day against today; remembered as `reading`."""
        self.reading = read_day(
            text,
            clock.today(),
            calendar=self.calendar,
            field=self.field,
            allow_past=self.allow_past,
        )
        return self.reading

    def check(self, day: date | None, problem: str = "") -> DayReading:
        """The reading of a day read elsewhere (a booking's start with its time of day)."""
        if day is None:
            self.reading = DayReading(None, problem=problem)
        else:
            self.reading = check_day(
                day, clock.today(), calendar=self.calendar, allow_past=self.allow_past
            )
        return self.reading

    @property
    def offered(self) -> date | None:
        return self.reading.offered

    def preview(self) -> str:
        """The reading as shown under the field, with the key that takes the offered day."""
        text = self.reading.preview
        return text + OFFER_HINT if self.reading.offered else text


def put_day(field: Input, day: date, time_of_day: str = "") -> None:
    """Write the day taken into the field, the cursor after it (to go on typing or correct)."""
    field.value = f"{day:%d/%m/%Y} {time_of_day}".rstrip()
    field.cursor_position = len(field.value)
