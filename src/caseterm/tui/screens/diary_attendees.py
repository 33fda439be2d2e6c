"""Changing who attends a booking already made (`a` in the diary): staff to add by login, guests
to add by name, anyone attending to remove (a login or a guest's name); for an occurrence of a
series, this one or this and the rest of the series. A colleague added who is busy then is
named as a clash (ctrl+b adds them anyway); a change someone else made since is reported."""

from __future__ import annotations

from typing import ClassVar, cast

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from caseterm.core.services import diary_attendance
from caseterm.core.services.diary_attendance import AttendeesChanged
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding, tab_moves_on
from caseterm.tui.safe import content
from caseterm.tui.screens.diary_booking import split_names
from caseterm.tui.screens.diary_changes import DiaryChangeForm, describe_row
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.diary_clashes import ClashList
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput

SCOPES = [("This one only", "one"), ("This and the rest of the series", "rest")]


class DiaryAttendeesScreen(DiaryChangeForm):
    """Add or remove attendees of one booking (or of it and the rest of its series)."""

    HELP_TITLE = "Attendees of a booking"
    DEFAULT_CSS = (
        modal_css("DiaryAttendeesScreen", 80)
        + """
    DiaryAttendeesScreen .ch-label { width: 12; }
    DiaryAttendeesScreen .ch-row Input { width: 1fr; }
    DiaryAttendeesScreen .ch-row Select { width: 1fr; }
    DiaryAttendeesScreen ClashList { margin-top: 1; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save_attendees(False)", "Save", "save"),
        binding("ctrl+b", "save_attendees(True)", "Add anyway", "book_anyway"),
        binding("escape", "close", "Cancel", "cancel"),
        *tab_moves_on(),
    ]

    def __init__(self, row: DiaryRow) -> None:
        super().__init__(row)
        self.series = row.appointment.series_id is not None

    def compose(self) -> ComposeResult:
        attending = ", ".join(w.shown for w in self.row.attendees) or "nobody else"
        with Vertical():
            yield Label("Attendees of a booking", classes="modal-title")
            yield Static(content(describe_row(self.row)))
            yield Static(content(f"Attending: {attending}"), id="at-now")
            with Horizontal(classes="ch-row"):
                yield Label("Add staff", classes="ch-label")
                yield PlainInput(placeholder="logins, comma between", id="at-add", compact=True)
            with Horizontal(classes="ch-row"):
                yield Label("Add guests", classes="ch-label")
                yield PlainInput(placeholder="names, ; between", id="at-guests", compact=True)
            with Horizontal(classes="ch-row"):
                yield Label("Remove", classes="ch-label")
                yield PlainInput(
                    placeholder="logins or guests' names, comma between",
                    id="at-remove",
                    compact=True,
                )
            if self.series:
                with Horizontal(classes="ch-row"):
                    yield Label("Which", classes="ch-label")
                    yield Select[str](
                        SCOPES, value="one", allow_blank=False, id="at-scope", compact=True
                    )
            yield ClashList(id="at-clashes")
            yield Static("ctrl+s saves · esc leaves it as it was", classes="ch-status")
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#at-add", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_attendees" and parameters == (True,):
            return bool(self.query_one(ClashList).clashes)
        return True

    def action_save_attendees(self, anyway: bool) -> None:
        if self.busy:
            return
        add = split_names(self.query_one("#at-add", Input).value)
        guests = [g.strip() for g in self.query_one("#at-guests", Input).value.split(";")]
        guests = [g for g in guests if g]
        remove = split_names(self.query_one("#at-remove", Input).value)
        rest = self.series and self.query_one("#at-scope", Select).value == "rest"
        if not (add or guests or remove):
            self.say("Name someone to add or remove first.", error=True)
            return
        actor = cast(HasContext, self.app).ctx.actor
        a = self.row.appointment
        appointment_id, version = a.id, a.version

        def change(session: Session) -> AttendeesChanged:
            return diary_attendance.change_attendees(
                session,
                actor,
                appointment_id=appointment_id,
                add=add,
                guests=guests,
                remove=remove,
                rest=rest,
                expected_version=version,
                allow_conflicts=anyway,
            )

        self.busy = True
        self.say("Saving…")
        run_db(
            self,
            change,
            done=self._changed,
            failed=lambda e: self.refused(e, "changed"),
            write=True,
            what="changing the attendees",
        )

    def _changed(self, done: AttendeesChanged) -> None:
        n = len(done.changed_ids)
        self.app.notify(
            f"Attendees changed on {n} appointment{'s' if n != 1 else ''}: "
            f"{', '.join(done.now) or 'nobody else'} attending.",
            markup=False,
        )
        self.done(done)
