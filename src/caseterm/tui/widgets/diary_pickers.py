"""The diary's small choosers: whose diary (me, a colleague, a team, a room), which day, and the
appointment kind on single keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar, Literal

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day
from caseterm.core.services import org
from caseterm.core.services import staff as staff_service
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content
from caseterm.tui.widgets.key_picker import KeyPicker, key_bindings
from caseterm.tui.widgets.plain_input import PlainInput

SubjectKind = Literal["staff", "team", "room"]
PICKERS_CSS = Path(__file__).with_name("diary_pickers.tcss")

# Single keys for the appointment kinds (mostly first letters; "e" for meeting).
APPOINTMENT_KIND_KEYS: dict[str, str] = {
    "s": "supervision",
    "i": "induction",
    "m": "means_interview",
    "p": "programme",
    "r": "review",
    "c": "court_hearing",
    "t": "tribunal",
    "e": "meeting",
}


class AppointmentKindKeys(KeyPicker):
    """The appointment kind, picked with one key."""

    KEYS = APPOINTMENT_KIND_KEYS
    LABELS = APPOINTMENT_KINDS
    TITLE = "Kind"
    BINDINGS = key_bindings(APPOINTMENT_KIND_KEYS, APPOINTMENT_KINDS, "appointment_kind")


@dataclass(frozen=True)
class DiarySubject:
    """Whose diary is shown: a member of staff, a team or a room."""

    kind: SubjectKind
    id: int
    label: str


def _subjects(session: Session, me: int) -> list[DiarySubject]:
    people = [s for s in staff_service.list_staff(session) if s.active and s.id]
    people.sort(key=lambda s: (s.id != me, s.name.casefold()))
    found = [
        DiarySubject("staff", s.id or 0, "My diary" if s.id == me else f"{s.name} ({s.login})")
        for s in people
    ]
    found += [DiarySubject("team", t.id or 0, f"Team: {t.name}") for t in org.list_teams(session)]
    found += [DiarySubject("room", r.id or 0, f"Room: {r.label}") for r in org.list_rooms(session)]
    return found


class DiaryWhoseModal(ModalScreen[DiarySubject | None]):
    """Type part of a name, team or room; enter shows that diary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel"),
        binding("down", "move(1)", "Next", "cursor_down", show=False),
        binding("up", "move(-1)", "Previous", "cursor_up", show=False),
    ]
    CSS_PATH = PICKERS_CSS

    def __init__(self) -> None:
        super().__init__()
        self._all: list[DiarySubject] = []
        self._shown: list[DiarySubject] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Whose diary?", classes="modal-title")
            yield PlainInput(placeholder="a name, login, team or room", id="whose-filter")
            yield OptionList(id="whose-options")
            yield Static("enter show · esc cancel", classes="picker-hint", markup=False)

    def on_mount(self) -> None:
        me = self.app.ctx.actor.id  # type: ignore[attr-defined]
        run_db(self, lambda s: _subjects(s, me), done=self._loaded, what="listing diaries")

    def _loaded(self, subjects: list[DiarySubject]) -> None:
        self._all = subjects
        self._filter(self.query_one("#whose-filter", Input).value)

    @on(Input.Changed, "#whose-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        wanted = clean(text).casefold().strip()
        self._shown = [s for s in self._all if wanted in s.label.casefold()]
        options = self.query_one("#whose-options", OptionList)
        options.clear_options()
        options.add_options([Option(content(s.label)) for s in self._shown])
        if self._shown:
            options.highlighted = 0

    @on(Input.Submitted, "#whose-filter")
    def _submitted(self) -> None:
        index = self.query_one("#whose-options", OptionList).highlighted
        if index is not None and index < len(self._shown):
            self.dismiss(self._shown[index])

    @on(OptionList.OptionSelected, "#whose-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        options = self.query_one("#whose-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DiaryGoToModal(ModalScreen[date | None]):
    """A day to show: `today`, `fri`, `+3`, `22/11/2026`…, read as it is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "cancel", "Cancel", "cancel")]
    CSS_PATH = PICKERS_CSS

    def __init__(self) -> None:
        super().__init__()
        self._day: date | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to day", classes="modal-title")
            yield PlainInput(placeholder=DAY_EXAMPLES, id="goto-day")
            yield Static("", id="goto-read", markup=False)
            yield Static("enter go · esc cancel", classes="picker-hint", markup=False)

    @on(Input.Changed, "#goto-day")
    def _read(self, event: Input.Changed) -> None:
        shown = self.query_one("#goto-read", Static)
        self._day = None
        if not event.value.strip():
            shown.update("")
            return
        try:
            self._day = parse_day(event.value, clock.today(), field="day")
        except ValidationError as exc:
            shown.update(content(f"✗ {exc.reason}"))
            return
        shown.update(content(f"→ {self._day:%A %d %B %Y}"))

    @on(Input.Submitted, "#goto-day")
    def _submitted(self) -> None:
        if self._day is not None:
            self.dismiss(self._day)

    def action_cancel(self) -> None:
        self.dismiss(None)
