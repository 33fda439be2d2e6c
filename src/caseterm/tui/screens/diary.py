"""The diary: day, week and agenda views for me, a colleague, a team or a room. Book, move and
cancel from here, and record what happened at an appointment with one key (1 attended, 2 failed
to attend, …), which logs the contact entry and applies the breach rule."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.errors import StaleEditError
from caseterm.core.models.vocab import ACTIVE_APPOINTMENT_STATUSES, AppointmentStatus, Outcome
from caseterm.core.rules.catalogue import OUTCOME_KEYS, OUTCOMES, appointment_kind_label
from caseterm.core.services import diary, diary_deadlines, diary_views
from caseterm.core.services.diary import APPOINTMENT_OUTCOMES
from caseterm.core.services.diary_deadlines import DiaryDeadline
from caseterm.core.services.diary_views import DiaryRow
from caseterm.core.services.identity import Actor
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content
from caseterm.tui.screens import diary_agenda as agenda
from caseterm.tui.screens.diary_agenda import GONE, STATUS_SHOWN, Row, View
from caseterm.tui.screens.diary_attendees import DiaryAttendeesScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.diary_changes import DiaryCancelScreen, DiaryMoveScreen
from caseterm.tui.screens.diary_meetings import CourtListScreen, DiaryKindModal
from caseterm.tui.screens.diary_paper_forms import PaperImportForm, PaperTextForm
from caseterm.tui.screens.diary_papers import BookingPapersScreen
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.diary_pickers import (
    AppointmentKindKeys,
    DiaryGoToModal,
    DiarySubject,
    DiaryWhoseModal,
)
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

VIEWS: tuple[View, ...] = ("day", "week", "agenda")
AGENDA_DAYS = 28
# The one-key outcomes: the contact form's outcome keys, for the outcomes an appointment can have.
OUTCOME_KEYS_HERE = {k: code for k, code in OUTCOME_KEYS.items() if code in APPOINTMENT_OUTCOMES}
SHORT_OUTCOME: dict[str, str] = {
    Outcome.ATTENDED_COMPLIED: "attended",
    Outcome.FAILED_TO_ATTEND: "failed to attend",
    Outcome.ACCEPTABLE_ABSENCE: "acceptable",
    Outcome.UNACCEPTABLE_ABSENCE: "unacceptable",
    Outcome.COMPLETED: "completed",
    Outcome.INFORMATION_GIVEN: "info given",
}


def _subject_label(session: Session, actor: Actor, kind: str, key: int) -> str:
    if kind == "staff" and key == actor.id:
        return "My diary"
    name = diary_views.subject_name(session, actor, kind=kind, key=key)
    return {"staff": name, "team": f"Team: {name}", "room": f"Room: {name}"}[kind]


def _outcome_bindings() -> list[BindingType]:
    return [
        binding(
            key, f"outcome({code!r})", f"Outcome: {OUTCOMES[code]}", f"outcome_{code}", show=False
        )
        for key, code in OUTCOME_KEYS_HERE.items()
    ]


class DiaryScreen(Screen[None]):
    """Whose diary: `staff_id`, `team_id` or `room_id` (default: mine); from `day` (today)."""

    HELP_TITLE = "Diary"
    DEFAULT_CSS = """
    DiaryScreen #diary-title { height: 1; padding: 0 1; text-style: bold; }
    DiaryScreen #diary-summary { height: 1; padding: 0 1; color: $text-muted; }
    DiaryScreen #diary-table { height: 1fr; }
    DiaryScreen #diary-keys { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("b", "book", "Book", "book_appointment"),
        binding("m", "move", "Move", "reschedule_appointment"),
        binding("x", "cancel_appointment", "Cancel appt", "cancel_appointment"),
        binding("v", "next_view", "Day/week/agenda", "diary_view"),
        binding("w", "whose", "Whose", "diary_whose"),
        binding("t", "today", "Today", "diary_today"),
        binding("g", "go_to", "Go to day", "diary_go_to", show=False),
        binding(
            "left_square_bracket",
            "step(-1)",
            "Previous",
            "diary_previous",
            show=False,
            key_display="[",
        ),
        binding(
            "right_square_bracket", "step(1)", "Next", "diary_next", show=False, key_display="]"
        ),
        binding("n", "new_contact", "New contact", "new_contact", show=False),
        binding("r", "refresh", "Refresh", "refresh", show=False),
        binding("E", "export_diary", "Export to calendar", "export_diary", show=False),
        binding("M", "move_rest", "Move rest of series", "move_rest_of_series", show=False),
        binding("X", "cancel_rest", "Cancel rest of series", "cancel_rest_of_series", show=False),
        binding("f", "kind_filter", "Filter by kind", "diary_kind_filter", show=False),
        binding("C", "court_list", "Court list", "court_list", show=False),
        binding("a", "attendees", "Add or remove attendees", "diary_attendees", show=False),
        binding("A", "booking_papers", "Agenda and minutes", "booking_papers", show=False),
        *_outcome_bindings(),
    ]

    def __init__(
        self,
        staff_id: int | None = None,
        team_id: int | None = None,
        room_id: int | None = None,
        day: date | None = None,
    ) -> None:
        super().__init__()
        kind, key = (
            ("team", team_id)
            if team_id is not None
            else ("room", room_id)
            if room_id is not None
            else ("staff", staff_id)
        )
        self._wanted: tuple[str, int | None] = (kind, key)
        self.subject: DiarySubject | None = None
        self.view: View = "day"
        self.day: date = day or clock.today()
        self.rows: list[Row] = []
        self.hidden_deadlines = 0  # on restricted cases, counted in the agenda's summary
        self.kind = ""  # the one kind shown ("" every kind)
        self._asked = 0
        self._seen_generation = 0

    def compose(self) -> ComposeResult:
        yield TopBar("Diary")
        yield Static("", id="diary-title", markup=False)
        yield Static("", id="diary-summary", markup=False)
        yield PagedTable(
            [
                Column("When", lambda r: agenda.when_cell(r, self.view), width=18),
                Column("Kind", agenda.kind_cell, width=15),
                Column("Case", agenda.case_cell, width=15),
                Column("Person", agenda.person_cell),
                Column("Status", agenda.status_cell, width=9),
                Column("With", agenda.with_cell, width=16, hide_below=100),
                Column("Room", agenda.room_cell, width=14, hide_below=118),
            ],
            row_key=agenda.row_key,
            row_class=agenda.row_class,
            markable=False,
            empty_text="No appointments.",
            id="diary-table",
        )
        keys = " · ".join(f"{k} {SHORT_OUTCOME[c]}" for k, c in OUTCOME_KEYS_HERE.items())
        yield Static(
            f"Outcome: {keys} · [ ] previous/next · g go to day · enter open case",
            id="diary-keys",
            markup=False,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#diary-table"))
        ctx = cast(HasContext, self.app).ctx
        kind, key = self._wanted
        actor = ctx.actor
        chosen = key if key is not None else actor.id

        def label(session: Session) -> DiarySubject:
            return DiarySubject(
                cast(Any, kind), chosen, _subject_label(session, actor, kind, chosen)
            )

        run_db(self, label, done=self._subject_chosen, what="opening the diary")

    # ---------------------------------------------------------------- what is shown

    def _range(self) -> tuple[datetime, datetime]:
        first = self.day
        if self.view == "week":
            first = self.day - timedelta(days=self.day.weekday())
        days = {"day": 1, "week": 7, "agenda": AGENDA_DAYS}[self.view]
        start = datetime.combine(first, time.min)
        return start, start + timedelta(days=days)

    def _subject_chosen(self, subject: DiarySubject | None) -> None:
        if subject is None:
            return
        self.subject = subject
        self._load(fresh=True)

    def _load(self, *, fresh: bool) -> None:
        """Read the range again: `fresh` (another view, day or diary) puts the cursor on top;
        otherwise the cursor stays where it is."""
        if self.subject is None:
            return
        self._seen_generation = getattr(self.app, "data_generation", 0)
        ctx = cast(HasContext, self.app).ctx
        actor, subject = ctx.actor, self.subject
        start, end = self._range()
        filters: dict[str, Any] = {f"{subject.kind}_id": subject.id}
        if self.kind:
            filters["kinds"] = [self.kind]
        self._asked += 1
        asked = self._asked
        self._show_title()
        with_deadlines = (
            self.view == "agenda" and subject.kind in ("staff", "team") and actor.has("case.read")
        )

        def read(s: Session) -> tuple[list[Row], int]:
            rows = diary_views.diary_range(s, actor, start=start, end=end, **filters)
            if not with_deadlines:
                return list(rows), 0
            found = diary_deadlines.diary_deadlines(
                s,
                actor,
                first=start.date(),
                last=(end - timedelta(days=1)).date(),
                **{f"{subject.kind}_id": subject.id},
            )
            return agenda.merged(rows, found.rows), found.hidden

        run_db(
            self,
            read,
            done=lambda got: self._show(asked, *got, fresh),
            what="reading the diary",
            group="diary-load",
        )

    def _show(self, asked: int, rows: list[Row], hidden: int, fresh: bool) -> None:
        if asked != self._asked:
            return  # the view has moved on since this was asked for
        self.rows, self.hidden_deadlines = rows, hidden
        table = self.query_one("#diary-table", PagedTable)
        if fresh:
            table.set_source(self._fetch, self._count)
        else:
            table.reload()  # the source reads self.rows: same cursor, new rows
        self._show_summary()

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        return self.rows[offset : offset + limit]

    def _count(self) -> int:
        return len(self.rows)

    def _show_title(self) -> None:
        if self.subject is None:
            return
        start, end = self._range()
        last = (end - timedelta(days=1)).date()
        if self.view == "day":
            when = f"{self.day:%A %d %B %Y}"
        elif self.view == "week":
            when = f"week of {start:%a %d %b} – {last:%a %d %b %Y}"
        else:
            when = f"agenda {start:%a %d %b} – {last:%a %d %b %Y}"
        only = f" · {appointment_kind_label(self.kind)} only" if self.kind else ""
        self.query_one("#diary-title", Static).update(
            content(f"{self.subject.label} · {when}{only}")
        )
        self.query_one(TopBar).set_title(f"Diary · {self.view}")

    def _show_summary(self) -> None:
        rows = agenda.appointments_of(self.rows)
        active = [r for r in rows if r.appointment.status not in GONE]
        if self.view == "week":
            start, _ = self._range()
            per_day = Counter(r.appointment.starts_at.date() for r in active)
            days = [start.date() + timedelta(days=i) for i in range(7)]
            text = "  ".join(f"{d:%a %d}: {per_day.get(d, 0)}" for d in days)
        else:
            # Every appointment listed is counted, as the CLI lists them; the parts add up.
            statuses = Counter(STATUS_SHOWN.get(r.appointment.status, "") for r in rows)
            parts = [f"{n} {status}" for status, n in statuses.items() if n]
            text = f"{len(rows)} appointment{'s' if len(rows) != 1 else ''}"
            text += f" ({', '.join(parts)})" if parts else ""
            text += agenda.deadlines_summary(self.rows, self.hidden_deadlines)
        self.query_one("#diary-summary", Static).update(content(text))

    # ---------------------------------------------------------------- moving about

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self._load(fresh=True)

    def action_step(self, direction: int) -> None:
        days = {"day": 1, "week": 7, "agenda": 7}[self.view]
        self.day += timedelta(days=days * direction)
        self._load(fresh=True)

    def action_today(self) -> None:
        self.day = clock.today()
        self._load(fresh=True)

    def action_go_to(self) -> None:
        self.app.push_screen(DiaryGoToModal(), self._go_to)

    def _go_to(self, day: date | None) -> None:
        if day is not None:
            self.day = day
            self._load(fresh=True)

    def action_whose(self) -> None:
        self.app.push_screen(DiaryWhoseModal(), self._subject_chosen)

    def action_refresh(self) -> None:
        self._load(fresh=False)

    def on_data_changed(self, _message: DataChanged) -> None:
        self._load(fresh=False)

    def on_screen_resume(self) -> None:
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self._load(fresh=False)

    # ---------------------------------------------------------------- acting on an appointment

    def action_export_diary(self) -> None:
        """What is on screen (the day, week or agenda) as an iCalendar file."""
        if self.subject is None:
            return
        from caseterm.core import exports
        from caseterm.core.services import export_views
        from caseterm.tui.screens.export_file import ask_and_write

        actor, subject = cast(HasContext, self.app).ctx.actor, self.subject
        start, end = self._range()
        filters: dict[str, Any] = {f"{subject.kind}_id": subject.id}

        def write(session: Any, target: Path) -> int:
            events = export_views.diary_events(session, actor, start=start, end=end, **filters)
            return exports.write_ics(
                target, events, name=f"caseterm: {subject.label}", option="file"
            )

        ask_and_write(
            self,
            what=f"the diary of {subject.label}",
            default_name=f"diary-{self.day:%Y-%m-%d}.ics",
            write=write,
            counted="appointments",
        )

    def current(self) -> Row | None:
        return cast(Row | None, self.query_one("#diary-table", PagedTable).current_row)

    def _usable(self, doing: str, statuses: tuple[str, ...] | None = None) -> DiaryRow | None:
        row = self.current()
        if row is None:
            self.notify("No appointment here.", severity="warning", markup=False)
            return None
        if isinstance(row, DiaryDeadline):
            self.notify(
                f"That is a deadline ({row.clock.label}): enter opens its case.",
                severity="warning",
                markup=False,
            )
            return None
        if row.restricted:
            self.notify(
                "That appointment is on a restricted case: ask its owner.",
                severity="warning",
                markup=False,
            )
            return None
        status = row.appointment.status
        if statuses is not None and status not in statuses:
            shown = STATUS_SHOWN.get(status, status)
            self.notify(f"Cannot {doing}: it is {shown}.", severity="warning", markup=False)
            return None
        return row

    def action_book(self) -> None:
        subject = self.subject
        staff_id = subject.id if subject is not None and subject.kind == "staff" else None
        self.app.push_screen(DiaryBookingScreen(staff_id=staff_id, day=self.day), self._booked)

    def _booked(self, ids: list[int] | None) -> None:
        if ids:
            many = f"{len(ids)} appointments" if len(ids) > 1 else "Appointment"
            self.notify(f"{many} booked.", markup=False)
            self._load(fresh=False)

    def action_move(self) -> None:
        row = self._usable("move it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(DiaryMoveScreen(row), self._changed)

    def action_cancel_appointment(self) -> None:
        row = self._usable("cancel it", ACTIVE_APPOINTMENT_STATUSES)
        if row is not None:
            self.app.push_screen(DiaryCancelScreen(row), self._changed)

    def action_move_rest(self) -> None:
        row = self._usable("move it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(
                DiaryMoveScreen(row, rest=row.appointment.series_id is not None), self._changed
            )

    def action_cancel_rest(self) -> None:
        row = self._usable("cancel it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(
                DiaryCancelScreen(row, rest=row.appointment.series_id is not None), self._changed
            )

    def action_attendees(self) -> None:
        row = self._usable("change its attendees", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(DiaryAttendeesScreen(row), self._changed)

    def action_booking_papers(self) -> None:
        row = self._usable("see its agenda and minutes")
        if row is not None:
            self.app.push_screen(BookingPapersScreen(row), self._changed)

    def action_kind_filter(self) -> None:
        self.app.push_screen(DiaryKindModal(self.kind), self._kind_chosen)

    def _kind_chosen(self, kind: str | None) -> None:
        if kind is not None:
            self.kind = kind
            self._load(fresh=True)

    def action_court_list(self) -> None:
        self.app.push_screen(CourtListScreen(self.day))

    def _changed(self, _saved: bool | None) -> None:
        self._load(fresh=False)

    def action_outcome(self, outcome: str) -> None:
        row = self._usable("record an outcome", ACTIVE_APPOINTMENT_STATUSES)
        if row is None:
            return
        a = row.appointment
        if a.case_id is None:
            self.notify("This appointment has no case to record it in.", severity="warning")
            return
        actor = cast(HasContext, self.app).ctx.actor
        appointment_id, version, reference = a.id, a.version, row.case_reference

        def record(session: Session) -> int:
            entry = diary.record_outcome(
                session,
                actor,
                appointment_id=appointment_id,
                outcome=outcome,
                expected_version=version,
            )
            return entry.id or 0  # the screen keeps the number, not the record

        run_db(
            self,
            record,
            done=lambda entry_id: self._recorded(outcome, reference, entry_id),
            failed=self._not_recorded,
            write=True,
            what="recording the outcome",
        )

    def _recorded(self, outcome: str, reference: str, entry_id: int) -> None:
        self.notify(
            f"{OUTCOMES[outcome]} recorded on {reference} (contact entry {entry_id}).",
            markup=False,
        )
        self._load(fresh=False)

    def _not_recorded(self, error: Exception) -> None:
        if isinstance(error, StaleEditError):
            self.app.push_screen(StaleScreen(error), lambda _answer: self._load(fresh=False))
            return
        self.notify(f"Not recorded: {error}", severity="warning", markup=False)
        self._load(fresh=False)

    def action_new_contact(self) -> None:
        row = self._usable("log a contact")
        if row is not None and row.appointment.case_id is not None:
            cast(HasContext, self.app).new_contact(row.appointment.case_id)

    @on(PagedTable.Selected, "#diary-table")
    def _open(self, event: PagedTable.Selected) -> None:
        row = cast(Row, event.row)
        if isinstance(row, DiaryDeadline):
            cast(HasContext, self.app).open_case(row.case_id)
            return
        if row.appointment.case_id is None:
            self.notify("This appointment has no case.", severity="warning", markup=False)
            return
        # A restricted case opens to "restricted — ask …" on the case screen.
        cast(HasContext, self.app).open_case(row.appointment.case_id)


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    DiaryScreen,
    DiaryBookingScreen,
    AppointmentKindKeys,
    DiaryMoveScreen,
    DiaryCancelScreen,
    DiaryWhoseModal,
    DiaryGoToModal,
    DiaryKindModal,
    CourtListScreen,
    DiaryAttendeesScreen,
    BookingPapersScreen,
    PaperTextForm,
    PaperImportForm,
)
