"""What one of the board's task figures counts (received, completed, in progress, unallocated,
overdue, an ageing bucket, a person's completed tasks), as a queue: the workstation's task
table, paged from SQL, with the queue's task keys
(take, complete, assign, bring forward, priority, undo, new contact) and `enter` opening the
task's case. Tasks on restricted cases the user may not see are counted on the board, never
listed: the line above the table says how many were left out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from caseterm.core.services import board_lists, board_queue
from caseterm.core.services.board import Scope
from caseterm.core.services.queues import TaskRow
from caseterm.tui.context import TuiContext
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content
from caseterm.tui.screens.queues import TASK_COLUMNS, task_row_class
from caseterm.tui.screens.task_actions import TaskActions
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

# Received and completed hold done tasks too: the queue's columns, and what state each is in.
FIGURE_COLUMNS: list[Column[TaskRow]] = [
    *TASK_COLUMNS[:5],
    Column("Status", lambda r: r.status.replace("_", " "), width=9, hide_below=100),
    *TASK_COLUMNS[5:],
]


class FigureQueueScreen(TaskActions):
    HELP_TITLE = "Board figure queue"
    CSS_PATH = Path(__file__).with_name("board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [  # and the task keys (TaskActions)
        binding("r", "refresh", "Refresh", "refresh"),
    ]

    def __init__(self, scope: Scope, figure: str, day: date, *, title: str | None = None) -> None:
        super().__init__()
        self.scope, self.figure, self.day = scope, figure, day
        self.title_text = title or board_lists.figure_label(figure)
        self.totals: board_queue.FigureTotals | None = None
        self._seen_generation = 0

    def compose(self) -> ComposeResult:
        yield TopBar(f"{self.title_text} · {self.scope.code} · {self.day:%d/%m/%Y}")
        yield Static("Reading…", id="figure-queue-note", markup=False)
        yield PagedTable(
            FIGURE_COLUMNS,
            row_key=lambda r: (r.task_id, r.appointment_id),
            fetch=self._fetch,
            count=self._count,
            row_class=task_row_class,
            empty_text="No tasks to list.",
            id="figure-tasks",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self._seen_generation = getattr(self.app, "data_generation", 0)
        focus_now(self.task_table())

    def task_table(self) -> PagedTable[TaskRow]:
        return self.query_one("#figure-tasks", PagedTable)

    @property
    def _ctx(self) -> TuiContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    # The table reads in its own workers, each call in its own short session.

    def _fetch(self, offset: int, limit: int) -> list[TaskRow]:
        ctx, scope, figure, day = self._ctx, self.scope, self.figure, self.day
        with ctx.db.read() as s:
            return board_queue.figure_queue_page(
                s, ctx.actor, scope=scope, figure=figure, day=day, offset=offset, limit=limit
            )

    def _count(self) -> int:
        ctx, scope, figure, day = self._ctx, self.scope, self.figure, self.day
        with ctx.db.read() as s:
            totals = board_queue.figure_totals(s, ctx.actor, scope=scope, figure=figure, day=day)
        self.totals = totals  # shown when the table says it has counted
        return totals.listed

    @on(PagedTable.Counted, "#figure-tasks")
    def _counted(self) -> None:
        self._show_note()

    @on(PagedTable.MarksChanged, "#figure-tasks")
    def _marks_changed(self) -> None:
        self._show_note()

    def _show_note(self) -> None:
        totals = self.totals
        if totals is None:
            return
        parts = [f"{totals.listed:,} " + ("task" if totals.listed == 1 else "tasks")]
        if totals.hidden:
            parts.append(f"{totals.hidden:,} on restricted cases counted but not listed")
        marked = len(self.task_table().marked_rows)
        if marked:
            parts.append(f"{marked} marked")
        self.query_one("#figure-queue-note", Static).update(
            content(" · ".join(parts) + ". enter opens the case.")
        )

    @on(PagedTable.Selected, "#figure-tasks")
    def _open_selected(self) -> None:
        self.action_open_task_case()

    def refresh_data(self) -> None:
        """Read the tasks and the counts again; the cursor stays where it is."""
        self._seen_generation = getattr(self.app, "data_generation", 0)
        self.task_table().reload()

    def action_refresh(self) -> None:
        self.refresh_data()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.refresh_data()  # changed while a case was open over it
