"""Booking an appointment: case, kind (one key), start, length, with whom, room, place, repeat
and notes. Clashes for the member of staff, the room and the person are looked up as the form
changes and shown before saving; `ctrl+s` books, and when it clashes `ctrl+b` books anyway.
Dismisses with the ids of the appointments booked, or None."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static

from caseterm.core import clock
from caseterm.core.errors import CasetermError, ConflictError, NotFoundError, ValidationError
from caseterm.core.models import CaseFile, Person
from caseterm.core.services import access, cases, diary, diary_conflicts, org
from caseterm.core.services import staff as staff_service
from caseterm.core.services.common import get
from caseterm.core.services.search import parse_reference
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content, plain
from caseterm.tui.widgets.contact_entry_modals import modal_css
from caseterm.tui.widgets.diary_clashes import ClashList, parse_length, show_length
from caseterm.tui.widgets.diary_pickers import AppointmentKindKeys
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.when_input import WhenInput

CHECK_AFTER = 0.4  # seconds of quiet before clashes are looked up again
REPEATS = (
    ("Once", ""),
    ("Weekly", "weekly"),
    ("Fortnightly", "fortnightly"),
    ("Monthly", "monthly"),
)


@dataclass(frozen=True)
class CaseChoice:
    case_id: int
    reference: str
    person_id: int
    label: str  # the subject's name, or "restricted — ask …"


@dataclass(frozen=True)
class BookingChoices:
    staff: list[tuple[int, str]]
    rooms: list[tuple[int, str]]
    case: CaseChoice | None


def _case_choice(session: Session, actor: Any, case: CaseFile) -> CaseChoice:
    assert case.id is not None
    if access.can_see(session, actor, case):
        label = get(session, Person, case.subject_id, "person").full_name
    else:
        label = f"restricted — ask {access.ask_whom(session, case)}"
    return CaseChoice(case.id, case.reference, case.subject_id, label)


def _choices(session: Session, actor: Any, case_id: int | None) -> BookingChoices:
    people = [s for s in staff_service.list_staff(session) if s.active and s.id]
    people.sort(key=lambda s: s.name.casefold())
    rooms = org.list_rooms(session)
    case = (
        _case_choice(session, actor, get(session, CaseFile, case_id, "case")) if case_id else None
    )
    return BookingChoices(
        [(s.id or 0, s.name) for s in people], [(r.id or 0, r.name) for r in rooms], case
    )


class DiaryBookingScreen(ModalScreen[list[int] | None]):
    """Book for `staff_id` (default: me), on `day` (default: tomorrow), for `case_id` (optional)."""

    HELP_TITLE = "Book an appointment"
    DEFAULT_CSS = (
        modal_css("DiaryBookingScreen", 78)
        + """
    DiaryBookingScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; padding: 0 1; background: $surface;
    }
    DiaryBookingScreen .bk-row { height: 1; }
    DiaryBookingScreen .bk-label { width: 9; text-style: bold; }
    DiaryBookingScreen .bk-row Input { width: 22; }
    DiaryBookingScreen .bk-row Select { width: 1fr; }
    DiaryBookingScreen #bk-case-label { width: 1fr; padding: 0 1; }
    DiaryBookingScreen #bk-length-read { width: 1fr; padding: 0 1; }
    DiaryBookingScreen #bk-kind { margin: 0; }
    DiaryBookingScreen #bk-case-row { margin-top: 1; }
    DiaryBookingScreen #bk-repeat { width: 20; }
    DiaryBookingScreen #bk-times { width: 4; }
    DiaryBookingScreen #bk-notes { width: 1fr; }
    DiaryBookingScreen #bk-clashes { margin-top: 1; }
    DiaryBookingScreen #bk-status { margin-top: 1; height: auto; }
    DiaryBookingScreen #bk-status.-error { color: $text-error; text-style: bold; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "book(False)", "Book", "save"),
        binding("ctrl+b", "book(True)", "Book anyway", "book_anyway"),
        binding("escape", "cancel", "Cancel", "cancel"),
        binding("ctrl+t", "focus_kind", "Kind", "focus_kind"),
    ]

    def __init__(
        self, *, staff_id: int | None = None, day: date | None = None, case_id: int | None = None
    ) -> None:
        super().__init__()
        self._staff_id = staff_id
        self._day = day
        self._case_id = case_id
        self.case: CaseChoice | None = None
        self._case_timer: Timer | None = None
        self._check_timer: Timer | None = None
        self._checks = 0  # newest clash check asked for; older answers are dropped
        self._booking = False

    def compose(self) -> ComposeResult:
        tomorrow = clock.today() + timedelta(days=1)
        day = self._day if self._day and self._day > clock.today() else tomorrow
        with VerticalScroll():
            yield Label("Book an appointment", classes="modal-title")
            with Horizontal(classes="bk-row", id="bk-case-row"):
                yield Label("Case", classes="bk-label")
                yield PlainInput(placeholder="reference (optional)", id="bk-case", compact=True)
                yield Static("", id="bk-case-label", markup=False)
            yield AppointmentKindKeys(then_focus="#bk-starts Input", id="bk-kind")
            with Horizontal(classes="bk-row"):
                yield Label("Starts", classes="bk-label")
                yield WhenInput(
                    f"{day:%d/%m/%Y} 10:00", prefer="future", field="starts_at", id="bk-starts"
                )
            with Horizontal(classes="bk-row"):
                yield Label("Length", classes="bk-label")
                yield PlainInput("1h", id="bk-length", compact=True, max_length=12)
                yield Static("", id="bk-length-read", markup=False)
            with Horizontal(classes="bk-row"):
                yield Label("With", classes="bk-label")
                yield Select[int]([], prompt="member of staff", id="bk-staff", compact=True)
            with Horizontal(classes="bk-row"):
                yield Label("Room", classes="bk-label")
                yield Select[int]([], prompt="no room", id="bk-room", compact=True)
            with Horizontal(classes="bk-row"):
                yield Label("Where", classes="bk-label")
                yield PlainInput(placeholder="location (optional)", id="bk-location", compact=True)
            with Horizontal(classes="bk-row"):
                yield Label("Repeat", classes="bk-label")
                yield Select[str](
                    REPEATS, value="", allow_blank=False, id="bk-repeat", compact=True
                )
                yield Label(" times ", classes="bk-label")
                yield PlainInput("1", id="bk-times", compact=True, max_length=2, restrict=r"\d*")
            with Horizontal(classes="bk-row"):
                yield Label("Notes", classes="bk-label")
                yield PlainInput(
                    placeholder="(optional)", id="bk-notes", compact=True, max_length=2000
                )
            yield ClashList(id="bk-clashes")
            yield Static("", id="bk-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        ctx = cast(HasContext, self.app).ctx
        actor, case_id = ctx.actor, self._case_id
        self._read_length()
        run_db(self, lambda s: _choices(s, actor, case_id), done=self._got_choices)
        self.query_one("#bk-kind" if case_id else "#bk-case").focus()

    def _got_choices(self, found: BookingChoices) -> None:
        me = cast(HasContext, self.app).ctx.actor.id
        staff = self.query_one("#bk-staff", Select)
        staff.set_options((plain(name), sid) for sid, name in found.staff)
        wanted = self._staff_id or me
        if any(sid == wanted for sid, _ in found.staff):
            staff.value = wanted
        self.query_one("#bk-room", Select).set_options(
            (plain(name), rid) for rid, name in found.rooms
        )
        if found.case is not None:
            self.query_one("#bk-case", Input).value = found.case.reference
            self._show_case(found.case)
        self._changed()

    # ---------------------------------------------------------------- the case

    @on(Input.Changed, "#bk-case")
    def _case_typed(self) -> None:
        self.case = None
        if self._case_timer is not None:
            self._case_timer.stop()
        self._case_timer = self.set_timer(CHECK_AFTER, self._look_up_case)

    def _look_up_case(self) -> None:
        self._case_timer = None
        text = clean(self.query_one("#bk-case", Input).value).strip()
        label = self.query_one("#bk-case-label", Static)
        if not text:
            label.update("")
            self._changed()
            return
        reference = parse_reference(text)
        if reference is None:
            label.update(content("✗ not a case reference (e.g. OM/2026/000123)"))
            return
        actor = cast(HasContext, self.app).ctx.actor

        def look(session: Session) -> CaseChoice | None:
            try:
                return _case_choice(session, actor, cases.find_case(session, reference))
            except NotFoundError:
                return None

        run_db(self, look, done=lambda c: self._found_case(reference, c), group="bk-case")

    def _found_case(self, reference: str, found: CaseChoice | None) -> None:
        if parse_reference(self.query_one("#bk-case", Input).value) != reference:
            return  # typed on since
        if found is None:
            self.query_one("#bk-case-label", Static).update(content(f"✗ no case {reference}"))
            return
        self._show_case(found)
        self._changed()

    def _show_case(self, found: CaseChoice) -> None:
        self.case = found
        self.query_one("#bk-case-label", Static).update(content(f"→ {found.label}"))

    # ---------------------------------------------------------------- reading the form

    @on(Input.Changed, "#bk-length")
    def _length_typed(self) -> None:
        self._read_length()
        self._changed()

    def _read_length(self) -> timedelta | None:
        shown = self.query_one("#bk-length-read", Static)
        try:
            length = parse_length(self.query_one("#bk-length", Input).value)
        except ValidationError as exc:
            shown.update(content(f"✗ {exc.reason}"))
            return None
        starts = self.query_one("#bk-starts", WhenInput).value
        until = f" → until {starts + length:%H:%M}" if starts else ""
        shown.update(content(f"{show_length(length)}{until}"))
        return length

    @on(WhenInput.Changed, "#bk-starts")
    @on(Select.Changed)
    def _changed(self) -> None:
        self._read_length()
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_AFTER, self._check_clashes)

    def _slot(self) -> tuple[int, datetime, datetime, int | None] | None:
        staff = self.query_one("#bk-staff", Select).value
        room = self.query_one("#bk-room", Select).value
        starts = self.query_one("#bk-starts", WhenInput).value
        try:
            length = parse_length(self.query_one("#bk-length", Input).value)
        except ValidationError:
            return None
        if not isinstance(staff, int) or starts is None:
            return None
        return staff, starts, starts + length, room if isinstance(room, int) else None

    def _check_clashes(self) -> None:
        self._check_timer = None
        slot = self._slot()
        self._checks += 1
        asked = self._checks
        clashes = self.query_one("#bk-clashes", ClashList)
        if slot is None:
            clashes.show_clashes([], checked=False)
            return
        staff_id, starts, ends, room_id = slot
        person_id = self.case.person_id if self.case else None

        def look(session: Session) -> list[str]:
            return diary_conflicts.find_conflicts(
                session,
                staff_id=staff_id,
                starts_at=starts,
                ends_at=ends,
                room_id=room_id,
                person_id=person_id,
            )

        run_db(self, look, done=lambda found: self._got_clashes(asked, found), group="bk-clash")

    def _got_clashes(self, asked: int, found: list[str]) -> None:
        if asked == self._checks:
            self.query_one("#bk-clashes", ClashList).show_clashes(found)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "book" and parameters == (True,):
            return bool(self.query_one("#bk-clashes", ClashList).clashes)
        return True

    # ---------------------------------------------------------------- booking

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#bk-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def action_book(self, anyway: bool) -> None:
        if self._booking:
            return
        kind = self.query_one("#bk-kind", AppointmentKindKeys).value
        problems: list[str] = []
        if kind is None:
            problems.append("Kind: pick one with its key (ctrl+t goes there)")
        try:
            starts = self.query_one("#bk-starts", WhenInput).parse()
        except ValidationError as exc:
            problems.append(f"Starts: {exc.reason}")
        try:
            length = parse_length(self.query_one("#bk-length", Input).value)
        except ValidationError as exc:
            problems.append(f"Length: {exc.reason}")
        staff = self.query_one("#bk-staff", Select).value
        if not isinstance(staff, int):
            problems.append("With: choose the member of staff")
        if self.query_one("#bk-case", Input).value.strip() and self.case is None:
            problems.append("Case: no such case (or still looking it up)")
        if problems:
            self._say("Not booked: " + "; ".join(problems), error=True)
            return
        assert kind is not None and isinstance(staff, int)
        room = self.query_one("#bk-room", Select).value
        times = int(self.query_one("#bk-times", Input).value or "1")
        repeat = str(self.query_one("#bk-repeat", Select).value or "")
        actor = cast(HasContext, self.app).ctx.actor
        case = self.case
        location = self.query_one("#bk-location", Input).value
        notes = self.query_one("#bk-notes", Input).value

        def book(session: Session) -> list[int]:
            booked = diary.book_appointment(
                session,
                actor,
                staff_id=staff,
                starts_at=starts,
                ends_at=starts + length,
                kind=kind,
                case_id=case.case_id if case else None,
                room_id=room if isinstance(room, int) else None,
                location=location,
                notes=notes,
                recurrence=repeat,
                occurrences=times,
                allow_conflicts=anyway,
            )
            return [a.id for a in booked if a.id is not None]

        self._booking = True
        self._say("Booking…")
        run_db(self, book, done=self._booked, failed=self._refused, write=True, what="booking")

    def _booked(self, ids: list[int]) -> None:
        self._booking = False
        self.dismiss(ids)

    def _refused(self, error: Exception) -> None:
        self._booking = False
        if isinstance(error, ConflictError):
            self.query_one("#bk-clashes", ClashList).show_clashes(error.conflicts)
            self.refresh_bindings()
            self._say("Not booked: it clashes (above). ctrl+b books it anyway.", error=True)
        elif isinstance(error, CasetermError):
            self._say(f"Not booked: {error}", error=True)
        else:
            self._say(f"Not booked: {describe_error(error)}", error=True)

    def action_focus_kind(self) -> None:
        self.query_one("#bk-kind").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
