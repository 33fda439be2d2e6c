"""Small questions asked in the middle of an action: to whom (assign), until when (bring
forward). Each dismisses with the answer, or None when cancelled with escape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core.rules.when import DAY_EXAMPLES
from caseterm.core.services import org
from caseterm.core.services import staff as staff_service
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, template
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.working_days import NEXT_WORKING_DAY, WorkingDays, put_day

PICKER_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 60; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} OptionList {{ height: auto; max-height: 14; }}
{name} .picker-hint {{ color: $text-muted; }}
"""


@dataclass(frozen=True)
class StaffChoice:
    """Someone to assign to: a person (staff_id), or a team's unallocated pile (team_id)."""

    staff_id: int | None
    label: str
    team_id: int | None = None


class AssignScreen(ModalScreen[StaffChoice | None]):
    """Pick a member of staff, or a team's unallocated work, by typing part of a name, login or
    team code."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel"),
        # Up/down move the list while the filter keeps the focus.
        binding("down", "next", "Next", "cursor_down", show=False),
        binding("up", "previous", "Previous", "cursor_up", show=False),
    ]
    DEFAULT_CSS = PICKER_CSS.format(name="AssignScreen")

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what
        self._choices: list[StaffChoice] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Assign $what to…[/b]", what=self._what))
            yield PlainInput(placeholder="type a name, login or team code", id="assign-filter")
            yield OptionList(id="assign-options")
            yield Static(content("enter choose · esc cancel"), classes="picker-hint")

    def on_mount(self) -> None:
        actor = self.app.ctx.actor  # type: ignore[attr-defined]

        def load(session: Session) -> list[StaffChoice]:
            rows = staff_service.list_staff(session)
            active = [s for s in rows if s.active]
            active.sort(key=lambda s: (s.team_id != actor.team_id, s.name.casefold()))
            choices = [StaffChoice(s.id, f"{s.name} ({s.login})") for s in active]
            teams = sorted(org.list_teams(session), key=lambda t: (t.id != actor.team_id, t.code))
            return [
                *choices,
                *(StaffChoice(None, f"Team {t.code} {t.name} (unallocated)", t.id) for t in teams),
            ]

        run_db(self, load, done=self._loaded)

    def _loaded(self, choices: list[StaffChoice]) -> None:
        self._choices = choices
        self._show("")

    def _show(self, text: str) -> None:
        wanted = text.casefold().strip()
        options = self.query_one("#assign-options", OptionList)
        options.clear_options()
        for i, choice in enumerate(self._choices):
            if wanted in choice.label.casefold():
                options.add_option(Option(content(choice.label), id=str(i)))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#assign-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#assign-filter")
    def _submit(self) -> None:
        options = self.query_one("#assign-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#assign-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(self._choices[int(option_id)])

    def action_next(self) -> None:
        self.query_one("#assign-options", OptionList).action_cursor_down()

    def action_previous(self) -> None:
        self.query_one("#assign-options", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class BringForwardScreen(ModalScreen[date | None]):
    """A new due date: `+3`, `tomorrow`, `mon`, `2/12`…, shown as it is read (the one reading of
    a typed day: `tui.widgets.working_days`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel"),
        NEXT_WORKING_DAY,
    ]
    DEFAULT_CSS = PICKER_CSS.format(name="BringForwardScreen")

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what
        self._days = WorkingDays(field="due date")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Bring forward $what to…[/b]", what=self._what))
            yield PlainInput(placeholder=DAY_EXAMPLES, id="bf-day")
            yield Static("", id="bf-read")
            yield Static(content("enter confirm · esc cancel"), classes="picker-hint")

    def on_mount(self) -> None:
        self._days.start(self, self._show)

    @on(Input.Changed, "#bf-day")
    def _show(self) -> None:
        # A past date is refused on saving: said now, not after enter. A weekend, bank holiday
        # or office closure day: a warning offering the next working day (still allowed).
        self._days.read(self.query_one("#bf-day", Input).value)
        self.query_one("#bf-read", Static).update(content(self._days.preview()))

    @on(Input.Submitted, "#bf-day")
    def _submit(self) -> None:
        if self._days.reading.day is not None:
            self.dismiss(self._days.reading.day)

    def action_next_working_day(self) -> None:
        """Take the working day offered instead of the non-working day typed."""
        if self._days.offered is not None:
            put_day(self.query_one("#bf-day", Input), self._days.offered)

    def action_cancel(self) -> None:
        self.dismiss(None)
