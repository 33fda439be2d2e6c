"""The board screen: for a team or an office, today's and yesterday's figures against the same
day last week, open work by age, who completed what, and 12-week trends as sparklines with
their numbers beside them (readable without colour). `enter` on a figure drills down to what
it counts: a task figure, an ageing bucket or a person's completed count opens as a queue (the
task keys work there), the failed-to-attend and money figures as a list whose `enter` opens the
case; `[` and `]` move a day; `t` chooses another
team or office."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Sparkline, Static

from caseterm.core.rules.money import format_pence
from caseterm.core.services import board, board_drill
from caseterm.core.services.board import Board, Figure, Trend
from caseterm.core.services.board_lists import TASK_FIGURES
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

CSS = Path(__file__).with_name("board.tcss")


def value_text(value: float, unit: str) -> str:
    if unit == "pence":
        return format_pence(value)
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{value:g}"


def change_text(value: float, unit: str) -> str:
    """The change in words and numbers ("+3", "-£20.00", "same"): never colour alone."""
    if value == 0:
        return "same"
    return ("+" if value > 0 else "-") + value_text(abs(value), unit)


def _room_for_position(rows: int = 99) -> Column[Any]:
    """An empty last column where the header says which row the cursor is on (`3/13`), so the
    position never covers the last column's label ("vs last wk", "Wk ago", "Yday"): room for
    " 13/13 " (less the space between columns) with up to `rows` rows."""
    return Column("", lambda _row: "", width=2 * len(str(rows)) + 2)


FIGURE_COLUMNS: list[Column[Figure]] = [
    Column("Figure", lambda f: f.label, grow=2),
    Column("Today", lambda f: value_text(f.today, f.unit), width=11, justify="right"),
    Column(
        "vs last wk",
        lambda f: change_text(f.today - f.today_week_ago, f.unit),
        width=11,
        justify="right",
    ),
    Column("Yesterday", lambda f: value_text(f.yesterday, f.unit), width=11, justify="right"),
    Column(
        "vs last wk",
        lambda f: change_text(f.yesterday - f.yesterday_week_ago, f.unit),
        width=11,
        justify="right",
        hide_below=90,
    ),
    _room_for_position(),
]
AGEING_COLUMNS: list[Column[tuple[str, int, int]]] = [
    Column("Open work, working days", lambda a: a[0], grow=2),
    Column("Now", lambda a: str(a[1]), width=5, justify="right"),
    Column("Wk ago", lambda a: str(a[2]), width=6, justify="right"),
    _room_for_position(len(board.AGEING_BUCKETS)),
]
PEOPLE_COLUMNS: list[Column[board.PersonFigures]] = [
    Column("Completed by", lambda p: p.name, grow=2),
    Column("Today", lambda p: str(p.completed_today), width=5, justify="right"),
    Column("Yday", lambda p: str(p.completed_yesterday), width=5, justify="right"),
    _room_for_position(),
]


class TrendLine(Horizontal):
    """One trend: its name, a sparkline, and the latest, lowest and highest values in words."""

    def __init__(self, trend: Trend) -> None:
        super().__init__(classes="trend")
        self.trend = trend

    def compose(self) -> ComposeResult:
        t = self.trend
        values = list(t.values) or [0.0]
        yield Label(content(t.label), classes="trend-label")
        yield Sparkline(values, summary_function=max, classes="trend-line")
        low, high = value_text(min(values), t.unit), value_text(max(values), t.unit)
        numbers = f"now {value_text(values[-1], t.unit)} (range {low} to {high})"
        yield Label(content(numbers), classes="trend-numbers")


class BoardScreen(Screen[None]):
    HELP_TITLE = "Team board"
    CSS_PATH = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("enter", "list_figure", "List", "board_list"),
        binding(
            "left_square_bracket",
            "previous_day",
            "Day before",
            "board_previous_day",
            key_display="[",
        ),
        binding("right_square_bracket", "next_day", "Day after", "board_next_day", key_display="]"),
        binding("t", "choose_scope", "Team/office", "board_scope"),
        binding("p", "reports", "Reports", "board_reports"),
        binding("r", "refresh", "Refresh", "board_refresh"),
    ]

    def __init__(self, scope_code: str | None = None, day: date | None = None) -> None:
        super().__init__()
        self.scope_code = scope_code
        self.day = day
        self.shown: Board | None = None
        self._filled: set[str] = set()  # tables shown once (shown again, they keep the cursor)
        self._seen_generation = 0  # the app's data generation the figures were read at

    def compose(self) -> ComposeResult:
        yield TopBar("Team board")
        yield Static("", id="board-title", markup=False)
        yield PagedTable(
            FIGURE_COLUMNS,
            row_key=lambda f: f.key,
            markable=False,
            empty_text="Reading the figures…",
            id="board-figures",
        )
        with Horizontal(id="board-lower"):
            yield PagedTable(
                AGEING_COLUMNS, row_key=lambda a: a[0], markable=False, id="board-ageing"
            )
            yield PagedTable(
                PEOPLE_COLUMNS,
                row_key=lambda p: p.staff_id,
                markable=False,
                empty_text="Nothing completed yet.",
                id="board-people",
            )
        yield Vertical(id="board-trends")
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#board-figures", PagedTable))
        self.load()

    @property
    def actor(self) -> Any:
        return cast(HasContext, self.app).ctx.actor

    def load(self) -> None:
        self._seen_generation = getattr(self.app, "data_generation", 0)
        actor, code, day = self.actor, self.scope_code, self.day

        def read(session: Any) -> Board:
            scope = board.resolve_scope(session, actor, code=code)
            return board.team_board(session, actor, scope=scope, day=day)

        run_db(
            self,
            read,
            done=self._show,
            failed=self._failed,
            what="reading the board",
            group="board",
            exclusive=True,
        )

    def _failed(self, error: Exception) -> None:
        """Say what went wrong where the user is looking; what is on screen stays."""
        self.scope_code = self.shown.scope.code if self.shown else None
        title = self.query_one("#board-title", Static)
        title.update(content(describe_error(error)))
        title.add_class("-error")

    def _show(self, shown: Board) -> None:
        self.query_one("#board-title", Static).remove_class("-error")
        self.shown = shown
        self.day = shown.day
        self.query_one("#board-title", Static).update(
            content(
                f"{shown.scope.title[0].upper()}{shown.scope.title[1:]} · {shown.day:%a %d/%m/%Y}"
            )
        )
        self._fill("#board-figures", shown.figures)
        self._fill("#board-ageing", shown.ageing)
        self._fill("#board-people", shown.people)
        trends = self.query_one("#board-trends", Vertical)
        trends.remove_children()
        trends.mount_all([TrendLine(t) for t in shown.trends])

    def _fill(self, selector: str, rows: Any) -> None:
        """The table's rows; read again (a refresh, someone else's commit, another day) they are
        swapped in place, so the cursor stays on the figure the user had moved to."""
        table = self.query_one(selector, PagedTable)
        table.show_rows(list(rows), again=selector in self._filled)
        self._filled.add(selector)

    def on_data_changed(self) -> None:
        """Another process committed: the figures may have moved (see tui/live.py)."""
        self.load()

    def on_screen_resume(self) -> None:
        """Back from a list the board opened: what was committed meanwhile (the clock scheduler
        raising tasks, a colleague's work) reached that list, not the board, so read again."""
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.load()

    # ---------------------------------------------------------------- actions

    def action_refresh(self) -> None:
        self.load()

    def action_previous_day(self) -> None:
        if self.shown is not None:
            self.day = self.shown.day - timedelta(days=1)
            self.load()

    def action_next_day(self) -> None:
        if self.shown is None:
            return
        from caseterm.core import clock

        if self.shown.day >= clock.today():
            self.notify("The board does not show days to come.", markup=False)
            return
        self.day = self.shown.day + timedelta(days=1)
        self.load()

    def action_list_figure(self) -> None:
        """`enter`: the list behind the figure, ageing bucket or person under the cursor of the
        table that has focus (the figures' table when none has)."""
        focused = self.focused
        if isinstance(focused, PagedTable) and focused.id == "board-ageing":
            self._list_bucket()
        elif isinstance(focused, PagedTable) and focused.id == "board-people":
            self._list_person()
        else:
            self._list_figure()

    def _list_figure(self) -> None:
        figure = self.query_one("#board-figures", PagedTable).current_row
        if figure is None or self.shown is None:
            return
        shown = cast(Figure, figure)
        if shown.key in TASK_FIGURES:
            self._open_queue(shown.key)
            return
        from caseterm.tui.board.list_screen import BoardListScreen

        self.app.push_screen(BoardListScreen(self.shown.scope, shown.key, self.shown.day))

    def _open_queue(self, figure: str, title: str | None = None) -> None:
        from caseterm.tui.board.figure_queue import FigureQueueScreen

        if self.shown is not None:
            scope, day = self.shown.scope, self.shown.day
            self.app.push_screen(FigureQueueScreen(scope, figure, day, title=title))

    def _list_bucket(self) -> None:
        """The open work in the ageing bucket under the cursor, as a queue."""
        table = self.query_one("#board-ageing", PagedTable)
        row = table.current_row
        if row is None or self.shown is None:
            return
        index = [a[0] for a in self.shown.ageing].index(cast(tuple[str, int, int], row)[0])
        self._open_queue(board_drill.ageing_figure(index))

    def _list_person(self) -> None:
        """The tasks the person under the cursor completed yesterday and today, as a queue."""
        row = self.query_one("#board-people", PagedTable).current_row
        if row is None:
            return
        person = cast(board.PersonFigures, row)
        title = f"Completed yesterday and today by {person.name}"
        self._open_queue(board_drill.person_figure(person.staff_id), title)

    @on(PagedTable.Selected, "#board-figures")
    def _selected(self) -> None:
        self._list_figure()

    @on(PagedTable.Selected, "#board-ageing")
    def _bucket_selected(self) -> None:
        self._list_bucket()

    @on(PagedTable.Selected, "#board-people")
    def _person_selected(self) -> None:
        self._list_person()

    def action_choose_scope(self) -> None:
        from caseterm.tui.screens.prompt import PromptScreen

        def chosen(code: str | None) -> None:
            if code:
                self.scope_code = code
                self.load()

        now = f"now {self.shown.scope.code}: " if self.shown else ""
        question = PromptScreen(
            "Whose board?", f"{now}a team code (PRE-OM) or an office code (PRE)"
        )
        self.app.push_screen(question, chosen)

    def action_reports(self) -> None:
        from caseterm.tui.board.reports_screen import ReportsScreen

        self.app.push_screen(ReportsScreen(self.shown.scope if self.shown else None))
