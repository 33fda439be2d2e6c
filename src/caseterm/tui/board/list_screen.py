"""What one of the board's figures counts, as a list: the tasks, appointments or payments on
cases the user may see (restricted cases are counted on the board and never listed here).
`enter` opens the case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.rules.money import format_pence
from caseterm.core.services import board
from caseterm.core.services.board import Listed, ListedRow, Scope
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain, uk_date, uk_datetime
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


def _when(row: ListedRow) -> str:
    if isinstance(row.when, datetime):
        return uk_datetime(row.when)
    if isinstance(row.when, date):
        return uk_date(row.when)
    return ""


LIST_COLUMNS: list[Column[ListedRow]] = [
    Column("Case", lambda r: plain(r.reference or "—"), width=15),
    Column("Subject", lambda r: plain(r.subject), grow=2),
    Column("What", lambda r: plain(r.what), grow=3),
    Column("Who", lambda r: plain(r.who), grow=1, hide_below=90),
    Column("When", _when, width=16),
    Column(
        "Amount",
        lambda r: format_pence(r.amount_pence) if r.amount_pence is not None else "",
        width=10,
        justify="right",
        hide_below=100,
    ),
]


class BoardListScreen(Screen[None]):
    HELP_TITLE = "Board figure"
    CSS_PATH = Path(__file__).with_name("board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("o", "open_case", "Open case", "board_open_case"),
    ]

    def __init__(self, scope: Scope, figure: str, day: date) -> None:
        super().__init__()
        self.scope, self.figure, self.day = scope, figure, day
        self.listed: Listed | None = None

    def compose(self) -> ComposeResult:
        title = f"{board.LISTABLE.get(self.figure, self.figure)} · {self.scope.code}"
        yield TopBar(f"{title} · {self.day:%d/%m/%Y}")
        yield Static("Reading…", id="board-list-note", markup=False)
        yield PagedTable(
            LIST_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="Nothing to list.",
            id="board-list",
        )
        yield KeyBar()

    _seen_generation = 0  # the app's data generation the list was read at

    def on_mount(self) -> None:
        focus_now(self.query_one("#board-list", PagedTable))
        self._seen_generation = getattr(self.app, "data_generation", 0)
        actor = cast(HasContext, self.app).ctx.actor
        scope, figure, day = self.scope, self.figure, self.day
        run_db(
            self,
            lambda s: board.board_list(s, actor, scope=scope, figure=figure, day=day),
            done=self._show,
            what="listing",
        )

    def _show(self, listed: Listed) -> None:
        self.listed = listed
        rows = list(listed.rows)
        table = self.query_one("#board-list", PagedTable)
        table.show_rows(rows, again=True)
        note = f"{len(rows)} listed"
        if listed.hidden:
            note += f"; {listed.hidden} on restricted cases counted but not listed"
        self.query_one("#board-list-note", Static).update(content(note + ". enter opens the case."))

    def action_open_case(self) -> None:
        row = self.query_one("#board-list", PagedTable).current_row
        if row is None:
            return
        listed = cast(ListedRow, row)
        if listed.case_id is None:
            self.notify("This one has no case.", severity="warning", markup=False)
            return
        cast(HasContext, self.app).open_case(listed.case_id)

    @on(PagedTable.Selected, "#board-list")
    def _selected(self) -> None:
        self.action_open_case()

    def on_data_changed(self) -> None:
        self.on_mount()

    def on_screen_resume(self) -> None:
        """Back from a case opened over the list: read again if anything was committed."""
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.on_mount()
