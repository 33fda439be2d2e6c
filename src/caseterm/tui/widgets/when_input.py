"""A date/time field that shows, as you type, the moment it understood (or why it cannot)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.when import Prefer, parse_when, refuse_past_moment, show_moment
from caseterm.core.text import strip_controls
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.working_days import NEXT_WORKING_DAY, WorkingDays, put_day


class WhenInput(Widget):
    """One-line input for a moment (`now`, `today 14:30`, `yesterday 9am`, `22/11/2026 10:15`,
    `-30m`), read with `caseterm.core.rules.when.parse_when` against the caseterm clock.

    With `working_days=True` (a booking's start) the day is read the way every form reads a day
    (`tui.widgets.working_days`): a past moment is invalid, and a weekend, bank holiday or office
    closure day is warned about with the next working day offered (ctrl+n keeps the time)."""

    BINDINGS: ClassVar[list[BindingType]] = [NEXT_WORKING_DAY]
    DEFAULT_CSS = """
    WhenInput { layout: horizontal; height: auto; width: 1fr; }
    WhenInput > Input { width: 22; }
    WhenInput > .when-parsed { width: 1fr; padding: 0 0 0 1; height: auto; }
    WhenInput > .when-parsed.-invalid { color: $text-error; text-style: bold; }
    """

    class Changed(Message):
        """The text changed; `value` is what it means now (None with `error` when unreadable)."""

        def __init__(self, when_input: WhenInput, value: datetime | None, error: str) -> None:
            super().__init__()
            self.when_input = when_input
            self.value = value
            self.error = error

        @property
        def control(self) -> WhenInput:
            return self.when_input

    def __init__(
        self,
        value: str = "now",
        *,
        prefer: Prefer = "past",
        field: str = "when",
        placeholder: str = "e.g. now, today 14:30, -30m",
        working_days: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._initial = value
        self._prefer: Prefer = prefer
        self._field = field
        self._placeholder = placeholder
        self._days = WorkingDays(field=field) if working_days else None

    def compose(self) -> ComposeResult:
        yield PlainInput(self._initial, placeholder=self._placeholder, compact=True, max_length=60)
        yield Static("", markup=False, classes="when-parsed")

    def on_mount(self) -> None:
        self.refresh_parsed()
        if self._days is not None:
            self._days.start(self, self.refresh_parsed)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value

    @text.setter
    def text(self, value: str) -> None:
        self.input.value = value  # posts Input.Changed, which refreshes the preview

    def parse(self) -> datetime:
        """The moment the text names, against the clock now; raises ValidationError (also, with
        working days, for a moment in the past)."""
        now = clock.now()
        at = parse_when(self.text, now, prefer=self._prefer, field=self._field)
        if self._days is not None:
            refuse_past_moment(at, now, field=self._field)
        return at

    @property
    def value(self) -> datetime | None:
        try:
            return self.parse()
        except ValidationError:
            return None

    def refresh_parsed(self) -> tuple[datetime | None, str]:
        """Show what the text means now (relative words drift as the clock moves on)."""
        label = self.query_one(".when-parsed", Static)
        try:
            at: datetime | None = self.parse()
            error = ""
        except ValidationError as exc:
            at, error = None, exc.reason
        warning = ""
        if self._days is not None:
            self._days.check(at.date() if at else None, error)
            if self._days.reading.warning:
                warning = f"\n⚠ {self._days.reading.warning} (ctrl+n takes it)"
            self.refresh_bindings()
        if at is not None:
            label.update(Content.assemble("→ ", (show_moment(at), "bold"), warning))
        else:
            label.update(Content("✗ " + strip_controls(error)))
        label.set_class(at is None, "-invalid")
        return at, error

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_working_day":
            return self._days is not None and self._days.offered is not None
        return True

    def action_next_working_day(self) -> None:
        """Move the moment to the working day offered, keeping its time of day."""
        at = self.value
        if self._days is None or self._days.offered is None or at is None:
            return
        put_day(self.input, self._days.offered, f"{at:%H:%M}")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        at, error = self.refresh_parsed()
        self.post_message(self.Changed(self, at, error))

    def focus(self, scroll_visible: bool = True) -> WhenInput:
        self.input.focus(scroll_visible)
        return self
