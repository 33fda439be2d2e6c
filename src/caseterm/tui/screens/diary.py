"""The diary: day, week and agenda views for me, a colleague, a team or a room. Book, move and
cancel from here, and record what happened at an appointment with one key (1 attended, 2 failed
to attend, …), which logs the contact entry and applies the breach rule.

The screen (whose diary, which days, reading them, moving about) is here; what it shows is
`diary_display.py`, what it does to an appointment `diary_actions.py`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.services import diary_deadlines, diary_views
from caseterm.core.services.diary_deadlines import DiaryDeadline
from caseterm.core.services.diary_views import DiaryPage
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content
from caseterm.tui.screens import diary_agenda as agenda
from caseterm.tui.screens import diary_display as display
from caseterm.tui.screens.diary_actions import DiaryActions
from caseterm.tui.screens.diary_agenda import Row, View
from caseterm.tui.screens.diary_attendees import DiaryAttendeesScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.diary_changes import DiaryCancelScreen, DiaryMoveScreen
from caseterm.tui.screens.diary_display import VIEWS
from caseterm.tui.screens.diary_meetings import CourtListScreen, DiaryKindModal
from caseterm.tui.screens.diary_paper_forms import PaperImportForm, PaperTextForm
from caseterm.tui.screens.diary_papers import BookingPapersScreen
from caseterm.tui.widgets.diary_pickers import (
    AppointmentKindKeys,
    DiaryGoToModal,
    DiarySubject,
    DiaryWhoseModal,
)
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Count, Fetch, FirstPage, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


class DiaryScreen(DiaryActions):
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
        *display.outcome_bindings(),
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
        self.rows: list[Row] = []  # what was read: the range, or the day view's first page
        self.page: DiaryPage | None = None  # the day view: its counts
        self._paged: tuple[datetime, datetime, dict[str, Any]] | None = None  # its source
        self.hidden_deadlines = 0  # on restricted cases, counted in the agenda's summary
        self.kind = ""  # the one kind shown ("" every kind)
        self._asked = 0
        self._seen_generation = 0

    def compose(self) -> ComposeResult:
        yield TopBar("Diary")
        yield Static("", id="diary-title", markup=False)
        yield Static("", id="diary-summary", markup=False)
        yield display.diary_table(lambda: self.view)
        yield Static(display.keys_text(), id="diary-keys", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#diary-table"))
        ctx = cast(HasContext, self.app).ctx
        kind, key = self._wanted
        actor = ctx.actor
        chosen = key if key is not None else actor.id

        def label(session: Session) -> DiarySubject:
            return DiarySubject(
                cast(Any, kind), chosen, display.subject_label(session, actor, kind, chosen)
            )

        run_db(self, label, done=self._subject_chosen, what="opening the diary")

    # ---------------------------------------------------------------- what is shown

    def _range(self) -> tuple[datetime, datetime]:
        return display.date_range(self.view, self.day)

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

        # A day or a week is read a page at a time (a large team's day holds hundreds), counted
        # whole in the database; the agenda (with its deadlines) is read whole.
        paged = self.view in ("day", "week")

        def read(s: Session) -> tuple[list[Row], int, DiaryPage | None]:
            if paged:
                page = diary_views.diary_page(
                    s, actor, start=start, end=end, limit=PagedTable.PAGE_SIZE, **filters
                )
                return list(page.rows), 0, page
            rows = diary_views.diary_range(s, actor, start=start, end=end, **filters)
            if not with_deadlines:
                return list(rows), 0, None
            found = diary_deadlines.diary_deadlines(
                s,
                actor,
                first=start.date(),
                last=(end - timedelta(days=1)).date(),
                **{f"{subject.kind}_id": subject.id},
            )
            return agenda.merged(rows, found.rows), found.hidden, None

        source = (start, end, filters) if paged else None
        run_db(
            self,
            read,
            done=lambda got: self._show(asked, *got, fresh, source=source),
            what="reading the diary",
            group="diary-load",
        )

    def _show(
        self,
        asked: int,
        rows: list[Row],
        hidden: int,
        page: DiaryPage | None,
        fresh: bool,
        *,
        source: tuple[datetime, datetime, dict[str, Any]] | None = None,
    ) -> None:
        """Show what was read: the whole range (`self.rows`), or (`page`: the day view) its
        first page, the rest fetched from `source` as the table scrolls to it."""
        if asked != self._asked:
            return  # the view has moved on since this was asked for
        self.rows, self.hidden_deadlines, self.page = rows, hidden, page
        table = self.query_one("#diary-table", PagedTable)
        if page is not None and source is not None:
            if fresh or self._paged != source:
                table.prime(FirstPage(rows, page.total))
                table.set_source(*self._page_source(*source))
                self._paged = source
            else:
                table.reload()  # the same day read again: same cursor
        elif fresh or self._paged is not None:
            self._paged = None
            table.set_source(self._fetch, self._count)
        else:
            table.reload()  # the source reads self.rows: same cursor, new rows
        self._show_summary()

    def _page_source(
        self, start: datetime, end: datetime, filters: dict[str, Any]
    ) -> tuple[Fetch[Row], Count]:
        """fetch/count for the table: pages of the range, each in its own short session."""
        ctx = cast(HasContext, self.app).ctx
        db, actor = ctx.db, ctx.actor

        def fetch(offset: int, limit: int) -> list[Row]:
            with db.read() as s:  # the rows only: the range was counted with its first page
                return list(
                    diary_views.diary_range(
                        s, actor, start=start, end=end, offset=offset, limit=limit, **filters
                    )
                )

        def count() -> int:
            with db.read() as s:
                page = diary_views.diary_page(s, actor, start=start, end=end, limit=0, **filters)
            return page.total

        return fetch, count

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        return self.rows[offset : offset + limit]

    def _count(self) -> int:
        return len(self.rows)

    def _show_title(self) -> None:
        if self.subject is None:
            return
        title = display.title_text(self.subject.label, self.view, self.day, self.kind)
        self.query_one("#diary-title", Static).update(content(title))
        self.query_one(TopBar).set_title(f"Diary · {self.view}")

    def _show_summary(self) -> None:
        text = display.summary_text(
            self.rows, self.view, self.day, self.hidden_deadlines, page=self.page
        )
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
