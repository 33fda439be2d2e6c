"""Checks awaiting me: letters submitted for checking on my team's cases, never my own, oldest
first. `enter` opens one to read, approve or reject."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.services import letter_views
from caseterm.core.services.letter_views import CheckRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain, uk_datetime
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

CHECK_COLUMNS: list[Column[CheckRow]] = [
    Column("Submitted", lambda r: uk_datetime(r.submitted_at), width=16),
    Column("Case", lambda r: plain(r.reference), width=15),
    Column("Letter", lambda r: plain(r.title), grow=3),
    Column("Maker", lambda r: plain(r.maker), width=18, hide_below=90),
]


class ChecksScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("letters.tcss")
    HELP_TITLE = "Checks awaiting me"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "refresh", "Refresh", "checks_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Checks awaiting me")
        yield Static("Reading…", id="checks-note", markup=False)
        yield PagedTable(
            CHECK_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="Nothing to check.",
            id="checks-table",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#checks-table", PagedTable).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor
        run_db(
            self,
            lambda s: letter_views.checks_awaiting(s, actor),
            done=self._show,
            what="reading the checks",
            group="checks",
            exclusive=True,
        )

    def _show(self, rows: list[CheckRow]) -> None:
        table = self.query_one("#checks-table", PagedTable)
        table.set_source(lambda offset, limit: rows[offset : offset + limit], lambda: len(rows))
        self.query_one("#checks-note", Static).update(
            content(f"{len(rows)} letter(s) to check. enter reads one: a approves, x rejects.")
        )

    @on(PagedTable.Selected, "#checks-table")
    def _selected(self, event: PagedTable.Selected) -> None:
        from caseterm.tui.letters.letter_screen import LetterScreen

        row = cast(CheckRow, event.row)
        self.app.push_screen(LetterScreen(row.id), lambda _: self.action_refresh())

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()
