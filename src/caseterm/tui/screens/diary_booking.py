"""Booking an appointment: case, kind (one key), start, length, with whom, room, place, repeat
and notes. Clashes for the member of staff, the room and the person are looked up as the form
changes and shown before saving; `ctrl+s` books, and when it clashes `ctrl+b` books anyway.
Dismisses with the ids of the appointments booked, or None.

What is typed is kept as a draft (the shared `DraftKeeper`, one per member of staff), offered back
when the form next opens; `escape` with something typed asks before throwing it away."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from caseterm.core import clock
from caseterm.core.errors import CasetermError, ConflictError, NotFoundError, ValidationError
from caseterm.core.rules.catalogue import appointment_kind_label
from caseterm.core.rules.when import parse_day
from caseterm.core.services import cases, diary, diary_conflicts, org
from caseterm.core.services import staff as staff_service
from caseterm.core.services.cases import CaseLabel
from caseterm.core.services.identity import Actor
from caseterm.core.services.search import parse_reference
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding, tab_moves_on
from caseterm.tui.safe import clean, content, plain
from caseterm.tui.widgets.diary_clashes import ClashList, parse_length, show_length
from caseterm.tui.widgets.diary_pickers import AppointmentKindKeys
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.when_input import WhenInput

CHECK_AFTER = 0.4  # seconds of quiet before clashes are looked up again
REPEATS = (
    ("Once", ""),
    ("Daily", "daily"),
    ("Weekly", "weekly"),
    ("Fortnightly", "fortnightly"),
    ("Monthly", "monthly"),
)


DRAFT_KIND = "diary_booking"
DRAFT_KEY = "mine"  # one unsaved booking per member of staff
CaseChoice = CaseLabel  # the case as the form names it (restricted: whom to ask)


@dataclass(frozen=True)
class BookingChoices:
    staff: list[tuple[int, str]]
    rooms: list[tuple[int, str]]
    case: CaseChoice | None
    logins: dict[str, int] = field(default_factory=dict)  # every member of staff, to attend


def _choices(session: Session, actor: Actor, case_id: int | None) -> BookingChoices:
    people = [s for s in staff_service.list_staff(session) if s.active and s.id]
    people.sort(key=lambda s: s.name.casefold())
    rooms = org.list_rooms(session)
    case = cases.case_label(session, actor, case_id=case_id) if case_id else None
    logins = {s.login.casefold(): s.id or 0 for s in staff_service.list_staff(session) if s.id}
    return BookingChoices(
        [(s.id or 0, s.name) for s in people], [(r.id or 0, r.label) for r in rooms], case, logins
    )


def split_names(text: str) -> list[str]:
    """`a, b; c` as ["a", "b", "c"]: attendees' logins or guests' names as typed."""
    return [w.strip() for w in clean(text).replace(";", ",").split(",") if w.strip()]


def _draft_summary(data: dict[str, Any]) -> str | None:
    """What the restore question shows of a stored booking draft."""
    words = [str(data.get(k) or "").strip() for k in ("case", "starts", "location", "notes")]
    kind = str(data.get("kind") or "")
    shown = " · ".join(w for w in [appointment_kind_label(kind) if kind else "", *words] if w)
    return clean(shown) or None


class DiaryBookingScreen(ModalScreen[list[int] | None]):
    """Book for `staff_id` (default: me), on `day` (default: tomorrow), for `case_id` (optional)."""

    HELP_TITLE = "Book an appointment"
    CSS_PATH = Path(__file__).with_name("diary_booking.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "book(False)", "Book", "save"),
        binding("ctrl+b", "book(True)", "Book anyway", "book_anyway"),
        binding("escape", "cancel", "Cancel", "cancel"),
        binding("ctrl+t", "focus_kind", "Kind", "focus_kind"),
        *tab_moves_on(),
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
        self._initial: dict[str, Any] | None = None  # the form as opened: not worth a draft
        self._logins: dict[str, int] = {}
        self.keeper = DraftKeeper(
            self,
            kind=DRAFT_KIND,
            key=DRAFT_KEY,
            current=self._draft_data,
            restore=self._restore,
            describe=_draft_summary,
            question="Unsaved booking found",
            note=self._draft_note,
            kept_words="not yet booked",
        )

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
            with Horizontal(classes="bk-row", id="bk-starts-row"):
                yield Label("Starts", classes="bk-label")
                yield WhenInput(
                    f"{day:%d/%m/%Y} 10:00",
                    prefer="future",
                    field="starts_at",
                    working_days=True,
                    id="bk-starts",
                )
            with Horizontal(classes="bk-row"):
                yield Label("Length", classes="bk-label")
                yield PlainInput("1h", id="bk-length", compact=True, max_length=12)
                yield Static("", id="bk-length-read", markup=False)
            with Horizontal(classes="bk-row"):
                yield Label("With", classes="bk-label")
                yield Select[int]([], prompt="member of staff", id="bk-staff", compact=True)
            with Horizontal(classes="bk-row"):
                yield Label("Also", classes="bk-label")
                yield PlainInput(
                    placeholder="staff attending: logins, comma between",
                    id="bk-also",
                    compact=True,
                )
            with Horizontal(classes="bk-row"):
                yield Label("Guests", classes="bk-label")
                yield PlainInput(
                    placeholder="people outside caseterm: names, comma between",
                    id="bk-guests",
                    compact=True,
                )
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
                yield Label(" or until ", classes="bk-label")
                yield PlainInput(placeholder="date", id="bk-until", compact=True, max_length=20)
            with Horizontal(classes="bk-row"):
                yield Label("Notes", classes="bk-label")
                yield PlainInput(
                    placeholder="(optional)", id="bk-notes", compact=True, max_length=2000
                )
            yield ClashList(id="bk-clashes")
            yield Static("", id="bk-status", markup=False)
            yield Static("", id="bk-draft", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        ctx = cast(HasContext, self.app).ctx
        actor, case_id = ctx.actor, self._case_id
        self._read_length()
        run_db(self, lambda s: _choices(s, actor, case_id), done=self._got_choices)
        focus_now(self.query_one("#bk-kind" if case_id else "#bk-case"))

    def _got_choices(self, found: BookingChoices) -> None:
        me = cast(HasContext, self.app).ctx.actor.id
        self._logins = found.logins
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
        self._initial = self._snapshot()
        self.keeper.start()
        self._changed()

    def on_unmount(self) -> None:
        self.keeper.shut()

    # ---------------------------------------------------------------- the draft

    def _snapshot(self) -> dict[str, Any]:
        staff = self.query_one("#bk-staff", Select).value
        room = self.query_one("#bk-room", Select).value
        return {
            "case": self.query_one("#bk-case", Input).value,
            "kind": self.query_one("#bk-kind", AppointmentKindKeys).value or "",
            "starts": self.query_one("#bk-starts", WhenInput).text,
            "length": self.query_one("#bk-length", Input).value,
            "staff_id": staff if isinstance(staff, int) else None,
            "room_id": room if isinstance(room, int) else None,
            "location": self.query_one("#bk-location", Input).value,
            "repeat": str(self.query_one("#bk-repeat", Select).value or ""),
            "times": self.query_one("#bk-times", Input).value,
            "until": self.query_one("#bk-until", Input).value,
            "also": self.query_one("#bk-also", Input).value,
            "guests": self.query_one("#bk-guests", Input).value,
            "notes": self.query_one("#bk-notes", Input).value,
        }

    def _draft_data(self) -> dict[str, Any] | None:
        if self._initial is None:
            return None
        now = self._snapshot()
        return None if now == self._initial else now

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        def text(name: str) -> str:
            value = data.get(name)
            return value if isinstance(value, str) else ""

        for name in ("case", "length", "location", "times", "notes", "until", "also", "guests"):
            if text(name) or name not in ("length", "times"):
                self.query_one(f"#bk-{name}", Input).value = text(name)
        if text("starts"):
            self.query_one("#bk-starts", WhenInput).text = text("starts")
        kind = text("kind")
        self.query_one("#bk-kind", AppointmentKindKeys).value = kind or None
        for key, name in (("staff_id", "#bk-staff"), ("room_id", "#bk-room")):
            value = data.get(key)
            if isinstance(value, int):
                with contextlib.suppress(InvalidSelectValueError):  # gone since
                    self.query_one(name, Select).value = value
        repeat = text("repeat")
        if any(code == repeat for _, code in REPEATS):
            self.query_one("#bk-repeat", Select).value = repeat
        self._say("Draft restored: ctrl+s books it")

    # ---------------------------------------------------------------- the case

    @on(Input.Changed)
    @on(AppointmentKindKeys.Picked)
    def _typed(self) -> None:
        self.keeper.changed()

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
                return cases.case_label(session, actor, reference=reference)
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

    def _attendee_ids(self) -> tuple[list[int], list[str]]:
        """The staff attending, by login (or None-found logins, to name)."""
        ids: list[int] = []
        unknown: list[str] = []
        for login in split_names(self.query_one("#bk-also", Input).value):
            found = self._logins.get(login.casefold())
            if found is None:
                unknown.append(login)
            else:
                ids.append(found)
        return ids, unknown

    @on(Input.Changed, "#bk-also")
    @on(WhenInput.Changed, "#bk-starts")
    @on(Select.Changed)
    def _changed(self) -> None:
        self.keeper.changed()
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
        attendee_ids = self._attendee_ids()[0]

        def look(session: Session) -> list[str]:
            return diary_conflicts.find_conflicts(
                session,
                staff_id=staff_id,
                starts_at=starts,
                ends_at=ends,
                room_id=room_id,
                person_id=person_id,
                attendee_ids=attendee_ids,
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

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#bk-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def action_book(self, anyway: bool) -> None:
        if self.keeper.saving or self.keeper.closed:
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
        case_text = clean(self.query_one("#bk-case", Input).value).strip()
        pending: str | None = None  # typed, still being looked up: looked up as it books
        if case_text and self.case is None:
            pending = parse_reference(case_text)
            if pending is None:
                problems.append("Case: not a case reference (e.g. OM/2026/000123)")
        attendee_ids, unknown = self._attendee_ids()
        if unknown:
            problems.append(f"Also: no member of staff with login {', '.join(unknown)}")
        until: date | None = None
        until_text = self.query_one("#bk-until", Input).value.strip()
        if until_text:
            try:
                until = parse_day(until_text, clock.today(), field="until")
            except ValidationError as exc:
                problems.append(f"Until: {exc.reason}")
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
        guests = split_names(self.query_one("#bk-guests", Input).value)

        def book(session: Session) -> list[int]:
            case_id = case.case_id if case else None
            if pending is not None:  # raises NotFoundError (one clear line) if there is none
                case_id = cases.case_label(session, actor, reference=pending).case_id
            booked = diary.book_appointment(
                session,
                actor,
                staff_id=staff,
                starts_at=starts,
                ends_at=starts + length,
                kind=kind,
                case_id=case_id,
                room_id=room if isinstance(room, int) else None,
                location=location,
                notes=notes,
                recurrence=repeat,
                occurrences=times,
                until=until,
                attendee_ids=attendee_ids,
                guests=guests,
                allow_conflicts=anyway,
            )
            return [a.id for a in booked if a.id is not None]

        self._say("Booking…")
        self.keeper.save(book, done=self._booked, failed=self._refused, what="booking")

    def _booked(self, ids: list[int]) -> None:
        self.dismiss(ids)

    def _refused(self, error: Exception) -> None:
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
        self.keeper.ask_to_leave(
            "Leave this booking?", "Nothing has been booked.", lambda: self.dismiss(None)
        )


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    DiaryBookingScreen,
    RestoreDraftModal,
    LeaveFormModal,
    WhenInput,
)
