"""The diary's meeting tools: showing one kind of appointment only (court hearings, say), and
the court list (a day's hearings by court and session)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, SESSION_LABELS
from caseterm.core.services import diary_court
from caseterm.core.services.diary_court import CourtSitting
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.dialog_look import modal_css

ALL_KINDS = ""  # the filter's "every kind"


class DiaryKindModal(ModalScreen[str | None]):
    """Which kind of appointment the diary shows: one, or all. Dismisses with the kind, "" for
    all, or None (escape: unchanged)."""

    HELP_TITLE = "Show one kind"
    DEFAULT_CSS = modal_css("DiaryKindModal", 44) + "DiaryKindModal OptionList { height: auto; }"
    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "cancel", "Cancel", "cancel")]

    def __init__(self, current: str = ALL_KINDS) -> None:
        super().__init__()
        self._kinds = [ALL_KINDS, *APPOINTMENT_KINDS]
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Show which kind?", classes="modal-title")
            yield OptionList(
                *[
                    Option(content(APPOINTMENT_KINDS.get(k, "All kinds")), id=k or "all")
                    for k in self._kinds
                ],
                id="kind-options",
            )
            yield Static("enter show · esc cancel", classes="modal-keys", markup=False)

    def on_mount(self) -> None:
        options = self.query_one("#kind-options", OptionList)
        options.highlighted = (
            self._kinds.index(self._current) if self._current in self._kinds else 0
        )
        focus_now(options)

    @on(OptionList.OptionSelected, "#kind-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._kinds[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def court_list_text(day: date, sittings: list[CourtSitting]) -> str:
    """The court list as the screen shows it: each court's session, then its hearings."""
    total = sum(len(c.hearings) for c in sittings)
    lines = [f"{day:%A %d %B %Y}: {total} hearing{'s' if total != 1 else ''}"]
    for c in sittings:
        lines += ["", f"{c.court} · {SESSION_LABELS[c.session]}"]
        for h in c.hearings:
            a = h.appointment
            ref = h.case_reference or ("Restricted" if h.restricted else "")
            kind = APPOINTMENT_KINDS.get(a.kind, a.kind)
            lines.append(
                f"  {a.starts_at:%H:%M}  {kind:<13} {ref:<15} {h.person_name}  ({h.staff_name})"
            )
    if not sittings:
        lines += ["", "No hearings."]
    return "\n".join(lines)


class CourtListScreen(ModalScreen[None]):
    """A day's court hearings and tribunals by court and session, for the office (or all)."""

    HELP_TITLE = "Court list"
    DEFAULT_CSS = (
        modal_css("CourtListScreen", 96)
        + "CourtListScreen VerticalScroll { height: auto; max-height: 30; }"
    )
    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "close", "Close", "cancel")]

    def __init__(self, day: date, office_id: int | None = None) -> None:
        super().__init__()
        self.day = day
        self.office_id = office_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Court list", classes="modal-title")
            with VerticalScroll():
                yield Static("Reading the court list…", id="court-list", markup=False)
            yield Static("esc close", classes="modal-keys", markup=False)

    def on_mount(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor
        day, office_id = self.day, self.office_id

        def read(session: Session) -> list[CourtSitting]:
            return diary_court.court_list(session, actor, day=day, office_id=office_id)

        run_db(self, read, done=self._show, what="reading the court list")

    def _show(self, sittings: list[CourtSitting]) -> None:
        self.query_one("#court-list", Static).update(content(court_list_text(self.day, sittings)))

    def action_close(self) -> None:
        self.dismiss(None)
