"""Small dialogs triage decisions need: pick someone or a queue, a case type, a date, a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.when import parse_day, parse_uk_date
from caseterm.tui.focus import focus_now
from caseterm.tui.safe import clean
from caseterm.tui.widgets.pick_dialog import DIALOG_CSS
from caseterm.tui.widgets.pick_dialog import Choice as Choice  # re-exported for triage
from caseterm.tui.widgets.pick_dialog import PickDialog as PickDialog
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.working_days import NEXT_WORKING_DAY, WorkingDays, put_day


class AskDialog(ModalScreen[str | None]):
    """One line of input, checked by `parse` before the dialog closes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AskDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        placeholder: str = "",
        required: bool = True,
        value: str = "",
        error: str = "",
    ) -> None:
        """`value` and `error`: shown again after what it was for failed, with why."""
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.placeholder = placeholder
        self.required = required
        self.value = value
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield Label(self.prompt)
            yield PlainInput(value=clean(self.value), placeholder=self.placeholder, id="answer")
            yield Static(Text(clean(self.error)), id="error", classes="error")
            yield Static(Text("enter confirm · escape cancel", style="dim"))

    def on_mount(self) -> None:
        focus_now(self.query_one(Input))

    def check(self, value: str) -> str | None:
        """An error message, or None when `value` is acceptable."""
        if self.required and not value.strip():
            return "This is required"
        return None

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        problem = self.check(event.value)
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(self.answer(event.value))

    def answer(self, value: str) -> str:
        """What the dialog returns for an acceptable `value`."""
        return value.strip()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DateDialog(AskDialog):
    """A future date: `mon`, `+7`, `22/12/2026`… read as you type the one way every form reads a
    day (`tui.widgets.working_days`: `+10wd` working days, a non-working day warned about with
    the next working day offered by ctrl+n); returns it as DD/MM/YYYY."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DateDialog")
    BINDINGS = [NEXT_WORKING_DAY]

    def __init__(self, title: str) -> None:
        super().__init__(title, "Bring forward to", placeholder="e.g. +7, mon, 22/12/2026")
        self._days = WorkingDays(field="due date")

    def on_mount(self) -> None:
        super().on_mount()
        self._days.start(self, lambda: self._preview(self.query_one(Input).value))

    def check(self, value: str) -> str | None:
        reading = self._days.read(value)
        if reading.day is None:
            return reading.problem or "This is required"
        if reading.day <= clock.today():
            return "Choose a date after today"
        return None

    def answer(self, value: str) -> str:
        day = self._days.read(value).day
        return f"{day:%d/%m/%Y}" if day else value.strip()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, value: str) -> None:
        self._days.read(value)
        shown = self._days.preview()
        style = "bold" if self._days.reading.day else ""
        self.query_one("#error", Static).update(Text(clean(shown), style=style))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_working_day":
            return self._days.offered is not None
        return True

    def action_next_working_day(self) -> None:
        """Take the working day offered instead of the non-working day typed."""
        if self._days.offered is not None:
            put_day(self.query_one(Input), self._days.offered)

    @staticmethod
    def value_of(text: str) -> date:
        return parse_day(text, clock.today())


@dataclass
class NewPerson:
    given: str
    family: str
    date_of_birth: date | None


class NewPersonDialog(ModalScreen[NewPerson | None]):
    """Name and date of birth of the subject of a new case."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NewPersonDialog")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save_form"),
    ]

    def __init__(self, guess: str, date_of_birth: date | None = None) -> None:
        super().__init__()
        parts = clean(guess).split()
        self.given = " ".join(parts[:-1]) if len(parts) > 1 else ""
        self.family = parts[-1] if parts else ""
        self.dob = f"{date_of_birth:%d/%m/%Y}" if date_of_birth else ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("New person (the subject of the new case)", style="bold"))
            yield Label("Given name")
            yield PlainInput(value=self.given, id="given")
            yield Label("Family name")
            yield PlainInput(value=self.family, id="family")
            yield Label("Date of birth (DD/MM/YYYY, optional)")
            yield PlainInput(value=self.dob, id="dob")
            yield Static("", id="error", classes="error")
            yield Static(Text("enter next · ctrl+s save · escape cancel", style="dim"))

    def on_mount(self) -> None:
        focus_now(self.query_one("#given", Input))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "dob":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        given = self.query_one("#given", Input).value.strip()
        family = self.query_one("#family", Input).value.strip()
        raw = self.query_one("#dob", Input).value.strip()
        error = self.query_one("#error", Static)
        if not family:
            error.update("Family name is required")
            return
        dob = None
        if raw:
            try:
                dob = parse_uk_date(raw, field="date of birth")
            except ValidationError as exc:
                error.update(Text(exc.reason))
                return
        self.dismiss(NewPerson(given, family, dob))

    def action_cancel(self) -> None:
        self.dismiss(None)
