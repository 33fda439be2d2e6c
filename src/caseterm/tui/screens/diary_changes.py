"""Changing a booked appointment: moving it (clashes shown before saving) and cancelling it with
a reason. Both send the version the diary showed, so a change someone else made since is
reported (who and when), never overwritten. Opened with `rest=True` they act on the appointment
and every later booked occurrence of its series (a move shifts them all by the same time)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from caseterm.core.errors import ConflictError, StaleEditError, ValidationError
from caseterm.core.rules.catalogue import appointment_kind_label
from caseterm.core.services import diary, diary_conflicts, diary_series
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.diary_clashes import ClashList, parse_length, show_length
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.when_input import WhenInput

CHECK_AFTER = 0.4


def describe_row(row: DiaryRow) -> str:
    """One line naming an appointment, as the diary shows it."""
    a = row.appointment
    who = row.person_name or "no one"
    ref = f" · {row.case_reference}" if row.case_reference else ""
    return (
        f"{appointment_kind_label(a.kind).capitalize()} "
        f"{a.starts_at:%a %d/%m %H:%M}–{a.ends_at:%H:%M}"
        f" · {who}{ref} · with {row.staff_name}"
    )


class DiaryChangeForm(ModalScreen[bool]):
    """What moving and cancelling share: the appointment line, a status line, stale handling."""

    DEFAULT_CSS = """
    DiaryChangeForm .ch-row { height: 1; margin-top: 1; }
    DiaryChangeForm .ch-label { width: 9; text-style: bold; }
    DiaryChangeForm .ch-status { margin-top: 1; height: auto; }
    DiaryChangeForm .ch-status.-error { color: $text-error; text-style: bold; }
    """

    def __init__(self, row: DiaryRow, *, rest: bool = False) -> None:
        super().__init__()
        self.row = row
        self.busy = False
        self.rest = rest  # this one and the rest of its series

    def heading(self, doing: str) -> str:
        return (
            f"{doing} this and the rest of the series" if self.rest else f"{doing} an appointment"
        )

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one(".ch-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def refused(self, error: Exception, what: str) -> None:
        self.busy = False
        if isinstance(error, StaleEditError):
            self.app.push_screen(StaleScreen(error), lambda _answer: self.dismiss(False))
            return
        if isinstance(error, ConflictError):
            self.query_one(ClashList).show_clashes(error.conflicts)
            self.refresh_bindings()
            self.say(f"Not {what}: it clashes (above). ctrl+b does it anyway.", error=True)
            return
        self.say(f"Not {what}: {describe_error(error)}", error=True)

    def done(self, _result: object) -> None:
        self.busy = False
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


class DiaryMoveScreen(DiaryChangeForm):
    """Reschedule: a new start and length; the old appointment is kept, marked rescheduled."""

    HELP_TITLE = "Move an appointment"
    DEFAULT_CSS = (
        modal_css("DiaryMoveScreen", 76)
        + """
    DiaryMoveScreen .ch-row Input { width: 22; }
    DiaryMoveScreen #mv-length-read { width: 1fr; padding: 0 1; }
    DiaryMoveScreen ClashList { margin-top: 1; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "move(False)", "Move", "save"),
        binding("ctrl+b", "move(True)", "Move anyway", "book_anyway"),
        binding("escape", "close", "Cancel", "cancel"),
    ]

    def __init__(self, row: DiaryRow, *, rest: bool = False) -> None:
        super().__init__(row, rest=rest)
        self._timer: Timer | None = None
        self._checks = 0
        a = row.appointment
        self._length = a.ends_at - a.starts_at

    def compose(self) -> ComposeResult:
        a = self.row.appointment
        with Vertical():
            yield Label(self.heading("Move"), classes="modal-title")
            yield Static(content(describe_row(self.row)))
            with Horizontal(classes="ch-row"):
                yield Label("To", classes="ch-label")
                yield WhenInput(
                    f"{a.starts_at + timedelta(days=7):%d/%m/%Y %H:%M}",
                    prefer="future",
                    field="starts_at",
                    working_days=True,
                    id="mv-starts",
                )
            with Horizontal(classes="ch-row"):
                yield Label("Length", classes="ch-label")
                yield PlainInput(show_length(self._length), id="mv-length", compact=True)
                yield Static("", id="mv-length-read", markup=False)
            yield ClashList(id="mv-clashes")
            yield Static("", classes="ch-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#mv-starts", WhenInput))
        self._changed()

    def _slot(self) -> tuple[datetime, datetime] | None:
        starts = self.query_one("#mv-starts", WhenInput).value
        shown = self.query_one("#mv-length-read", Static)
        try:
            length = parse_length(self.query_one("#mv-length", Input).value)
        except ValidationError as exc:
            shown.update(content(f"✗ {exc.reason}"))
            return None
        shown.update(content(f"until {starts + length:%H:%M}" if starts else ""))
        return (starts, starts + length) if starts else None

    @on(WhenInput.Changed, "#mv-starts")
    @on(Input.Changed, "#mv-length")
    def _changed(self) -> None:
        self._slot()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_AFTER, self._check)

    def _check(self) -> None:
        self._timer = None
        slot = self._slot()
        self._checks += 1
        asked = self._checks
        if slot is None:
            self.query_one(ClashList).show_clashes([], checked=False)
            return
        a = self.row.appointment

        def look(session: Session) -> list[str]:
            return diary_conflicts.find_conflicts(
                session,
                staff_id=a.staff_id,
                starts_at=slot[0],
                ends_at=slot[1],
                room_id=a.room_id,
                person_id=a.person_id,
                exclude_id=a.id,
                attendee_ids=[w.staff_id for w in self.row.attendees if w.staff_id is not None],
            )

        run_db(self, look, done=lambda found: self._got(asked, found), group="mv-clash")

    def _got(self, asked: int, found: list[str]) -> None:
        if asked == self._checks:
            self.query_one(ClashList).show_clashes(found)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move" and parameters == (True,):
            return bool(self.query_one(ClashList).clashes)
        return True

    def action_move(self, anyway: bool) -> None:
        if self.busy:
            return
        try:
            starts = self.query_one("#mv-starts", WhenInput).parse()
            length = parse_length(self.query_one("#mv-length", Input).value)
        except ValidationError as exc:
            self.say(f"Not moved: {exc}", error=True)
            return
        actor = cast(HasContext, self.app).ctx.actor
        a = self.row.appointment
        assert a.id is not None
        appointment_id, version = a.id, a.version

        rest = self.rest

        def move(session: Session) -> object:
            if rest:
                return diary_series.move_rest_of_series(
                    session,
                    actor,
                    appointment_id=appointment_id,
                    starts_at=starts,
                    ends_at=starts + length,
                    expected_version=version,
                    allow_conflicts=anyway,
                )
            return diary.reschedule_appointment(
                session,
                actor,
                appointment_id=appointment_id,
                starts_at=starts,
                ends_at=starts + length,
                expected_version=version,
                allow_conflicts=anyway,
            )

        self.busy = True
        self.say("Moving…")
        run_db(
            self,
            move,
            done=self.done,
            failed=lambda e: self.refused(e, "moved"),
            write=True,
            what="moving the appointment",
        )


class DiaryCancelScreen(DiaryChangeForm):
    """Cancel with a reason (it goes into the appointment's notes and the audit trail)."""

    HELP_TITLE = "Cancel an appointment"
    DEFAULT_CSS = (
        modal_css("DiaryCancelScreen", 76)
        + """
    DiaryCancelScreen #cx-reason { width: 1fr; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "cancel_it", "Cancel it", "save"),
        binding("escape", "close", "Keep it", "cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading("Cancel"), classes="modal-title")
            yield Static(content(describe_row(self.row)))
            with Horizontal(classes="ch-row"):
                yield Label("Reason", classes="ch-label")
                yield PlainInput(placeholder="why (required)", id="cx-reason", compact=True)
            yield Static("enter or ctrl+s cancels it · esc keeps it", classes="ch-status")
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#cx-reason", Input))

    @on(Input.Submitted, "#cx-reason")
    def action_cancel_it(self) -> None:
        if self.busy:
            return
        reason = self.query_one("#cx-reason", Input).value
        if not reason.strip():
            self.say("Give a reason first.", error=True)
            return
        actor = cast(HasContext, self.app).ctx.actor
        a = self.row.appointment
        assert a.id is not None
        appointment_id, version = a.id, a.version
        self.busy = True
        rest = self.rest

        def cancel(s: Session) -> object:
            if rest:
                return diary_series.cancel_rest_of_series(
                    s, actor, appointment_id=appointment_id, reason=reason, expected_version=version
                )
            return diary.cancel_appointment(
                s, actor, appointment_id=appointment_id, reason=reason, expected_version=version
            )

        run_db(
            self,
            cancel,
            done=self.done,
            failed=lambda e: self.refused(e, "cancelled"),
            write=True,
            what="cancelling the appointment",
        )
