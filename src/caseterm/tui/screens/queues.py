"""Home: the queues with their counts (overdue in a warning style) and the chosen queue's tasks,
paged from SQL. Tasks are taken, completed, assigned and brought forward from here, one or many
(space marks), and `enter` opens the task's case. `S` saves a queue of one's own (from the saved
queue on screen, if it is one) and `X` deletes the saved queue on screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from caseterm.tui.screens.queue_save import SavedQueueResult

from caseterm.core.services import queues, saved_queues
from caseterm.core.services.queues import QueueSummary, TaskRow
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.first_rows import EarlyPage
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import clean
from caseterm.tui.screens.task_actions import TaskActions, kind_label
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, Count, Fetch, FirstPage, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

FIRST_QUEUE = "my_work"
EARLY_WAIT = 0.2  # seconds the first frame may wait for rows read at start-up
NARROW = 100  # columns below which the queue list is narrower (app.tcss: .-narrow)


def due_text(row: TaskRow) -> str:
    if row.due_date is None:
        return ""
    return f"{row.due_date:%d/%m}" + ("!" if row.overdue else "")


TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("Due", due_text, width=6),
    Column("P", lambda r: str(r.priority), width=1, hide_below=90),
    Column("Case", lambda r: r.case_reference, width=15),
    # The task is what the row is acted on: at 80×24 it gets the room (about 21 cells beside a
    # narrow queue list), the subject's name is cut with "…" at 12 (20 on wider screens).
    Column("Subject", lambda r: r.subject_name, width=20, min_width=12, hide_below=80),
    Column("Task", lambda r: r.title, grow=2),
    Column("Assigned", lambda r: r.assignee_name, width=16, hide_below=118),
    Column("Kind", lambda r: kind_label(r.kind), width=20, hide_below=150),
]

# The Incoming queue (issue 18): where each item arrived, never dropped (an office code is a
# few cells); an item waiting for triage has no case yet, so its Case column goes first.
INCOMING_COLUMNS: list[Column[TaskRow]] = [
    *TASK_COLUMNS[:2],
    Column("Office", lambda r: r.office_code, width=6),
    Column("Case", lambda r: r.case_reference, width=15, hide_below=160),
    *TASK_COLUMNS[3:],
]


def queue_columns(key: str) -> list[Column[TaskRow]]:
    """The columns queue `key`'s tasks are shown in."""
    return INCOMING_COLUMNS if key == "incoming" else TASK_COLUMNS


def task_row_class(row: TaskRow) -> str:
    if row.overdue:
        return "warning"
    return "muted" if row.restricted else ""


def make_task_table(ctx: TuiContext, key: str, *, id: str) -> PagedTable[TaskRow]:
    fetch, count = queue_source(ctx, key)
    return PagedTable(
        queue_columns(key),
        row_key=lambda r: (r.task_id, r.appointment_id),
        fetch=fetch,
        count=count,
        row_class=task_row_class,
        empty_text="No tasks in this queue.",
        id=id,
    )


def queue_source(ctx: TuiContext, key: str) -> tuple[Fetch[TaskRow], Count]:
    """fetch/count callables for a queue, each reading in its own short session."""
    db, actor = ctx.db, ctx.actor

    def fetch(offset: int, limit: int) -> list[TaskRow]:
        with db.read() as s:
            return queues.queue_page(s, actor, key=key, offset=offset, limit=limit)

    def count() -> int:
        with db.read() as s:
            return queues.queue_count(s, actor, key)

    return fetch, count


def queue_prompt(q: QueueSummary, width: int = 22) -> Content:
    """`Due today   12 (3!)`: the count, and how many are overdue in the warning style."""
    late = f" ({q.overdue}!)" if q.overdue else ""
    name_width = max(width - len(str(q.count)) - len(late) - 1, 4)
    name = clean(q.name)
    name = name if len(name) <= name_width else name[: name_width - 1] + "…"
    return Content.assemble(
        f"{name:<{name_width}} {q.count}",
        (late, "bold $text-warning") if late else "",
    )


class QueuesScreen(TaskActions):
    HELP_TITLE = "Queues"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "refresh", "Refresh", "refresh"),
        binding(
            "right_square_bracket",
            "next_queue",
            "Next queue",
            "next_queue",
            show=False,
            key_display="]",
        ),
        binding(
            "left_square_bracket",
            "previous_queue",
            "Previous queue",
            "previous_queue",
            show=False,
            key_display="[",
        ),
        # Listed in help and the palette, not the key bar: even at 120 columns it has no room
        # left once the task keys, search and the diary are shown.
        binding("S", "save_queue", "Save queue", "save_queue", show=False),
        binding("X", "delete_queue", "Delete queue", "delete_queue", show=False),
        binding("E", "export_queue", "Export queue", "export_queue", show=False),
        # Money in suspense (tui/suspense/forms.py): allocate a bank credit, or apply or
        # refund an overpayment, from the Suspense task under the cursor.
        binding("L", "allocate_suspense", "Allocate suspense", "allocate_suspense", show=False),
    ]

    def __init__(self, start_queue: str | None = None, early: EarlyPage | None = None) -> None:
        super().__init__()
        self.queue_key = start_queue or FIRST_QUEUE
        self._early = early if early is not None and early.queue_key == self.queue_key else None
        self.summaries: list[QueueSummary] = []
        self._seen_generation = 0
        self._queues_loaded = False

    def compose(self) -> ComposeResult:
        ctx: TuiContext = self.app.ctx  # type: ignore[attr-defined]
        self.set_class(self.app.size.width < NARROW, "-narrow")  # before the first frame
        yield TopBar("Queues")
        with Horizontal(id="queues-body"):
            yield OptionList(id="queue-list")
            with Vertical(id="queue-main"):
                yield Static("", id="queue-title")
                table = make_task_table(ctx, self.queue_key, id="tasks")
                self._prime(table)
                yield table
        yield KeyBar()

    def _prime(self, table: PagedTable[TaskRow]) -> None:
        """Rows read while the app started: shown in the first frame if they are ready in time
        (the wait is short; otherwise the table reads them itself)."""
        early, self._early = self._early, None
        got = early.wait(EARLY_WAIT) if early is not None else None
        if got is not None:
            rows, count = got
            table.prime(FirstPage(rows, count))

    def on_mount(self) -> None:
        focus_now(self.query_one("#tasks"))
        self.set_timer(1.0, self._first_rows_shown)  # in case the rows are slow to come

    def _fit_queue_list(self, width: int) -> None:
        """Below NARROW columns the queue list is narrower (app.tcss), for the task's sake."""
        narrow = width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            if self.summaries:  # its lines are cut to its width: again, once laid out
                self.call_after_refresh(self._show_queues, self.summaries)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_queue_list(event.size.width)

    @on(PagedTable.Highlighted, "#tasks")
    def _first_rows_shown(self) -> None:
        # The counts of every queue are read once the first rows are on screen: those are
        # what a person waits for.
        if not self._queues_loaded:
            self._queues_loaded = True
            self._load_queues()

    def task_table(self) -> PagedTable[TaskRow]:
        return self.query_one("#tasks", PagedTable)

    # ---------------------------------------------------------------- the queue list

    def _load_queues(self) -> None:
        actor = self.app.ctx.actor  # type: ignore[attr-defined]
        run_db(
            self,
            lambda s: queues.list_queues(s, actor),
            done=self._show_queues,
            group="queue-list",
            exclusive=True,
        )

    def _show_queues(self, summaries: list[QueueSummary]) -> None:
        self.summaries = summaries
        options = self.query_one("#queue-list", OptionList)
        highlighted = next((i for i, q in enumerate(summaries) if q.key == self.queue_key), 0)
        width = max(options.scrollable_content_region.width - 2, 12)
        options.set_options([Option(queue_prompt(q, width), id=q.key) for q in summaries])
        options.highlighted = highlighted
        self._show_title()

    @on(OptionList.OptionHighlighted, "#queue-list")
    def _queue_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key is not None and key != self.queue_key:
            self.show_queue(key)

    @on(OptionList.OptionSelected, "#queue-list")
    def _queue_selected(self) -> None:
        self.task_table().focus()

    def show_queue(self, key: str) -> None:
        """Show another queue's tasks (cursor to the top, marks cleared)."""
        self.queue_key = key
        self.forget_seen()
        self.task_table().set_columns(queue_columns(key))
        self.task_table().set_source(*queue_source(self.app.ctx, key))  # type: ignore[attr-defined]
        self._show_title()

    def _step_queue(self, step: int) -> None:
        if not self.summaries:
            return
        keys = [q.key for q in self.summaries]
        index = keys.index(self.queue_key) if self.queue_key in keys else 0
        options = self.query_one("#queue-list", OptionList)
        options.highlighted = (index + step) % len(keys)

    def action_next_queue(self) -> None:
        self._step_queue(1)

    def action_previous_queue(self) -> None:
        self._step_queue(-1)

    def _show_title(self) -> None:
        summary = next((q for q in self.summaries if q.key == self.queue_key), None)
        table = self.task_table()
        count = table.count if table.count is not None else summary.count if summary else None
        parts = [summary.name if summary else "…"]
        if count is not None:
            parts.append(f"{count:,} " + ("item" if count == 1 else "items"))
        if summary and summary.overdue:
            parts.append(f"{summary.overdue:,} overdue")
        marked = len(table.marked_rows)
        if marked:
            parts.append(f"{marked} marked")
        self.query_one("#queue-title", Static).update(Content(clean(" · ".join(parts))))

    @on(PagedTable.Counted, "#tasks")
    def _counted(self, event: PagedTable.Counted) -> None:
        self._show_title()
        if event.count == 0:
            self._first_rows_shown()

    @on(PagedTable.MarksChanged, "#tasks")
    def _marks_changed(self) -> None:
        self._show_title()

    @on(PagedTable.Selected, "#tasks")
    def _open_selected(self) -> None:
        self.action_open_task_case()

    # ---------------------------------------------------------------- saving and deleting

    def action_save_queue(self) -> None:
        from caseterm.tui.screens.queue_save import SaveQueueScreen

        self.app.push_screen(SaveQueueScreen(self.queue_key), self._queue_saved)

    def _queue_saved(self, saved: SavedQueueResult | None) -> None:
        if saved is None:
            return
        self.show_queue(saved.key)
        self._load_queues()  # highlights the new queue once the list is read again
        shared = " (shared with everyone)" if saved.shared else ""
        self.notify(f"Saved queue {clean(saved.name)!r}{shared}.", markup=False)

    def action_export_queue(self) -> None:
        """The whole queue as a spreadsheet (a path ending .csv gives CSV)."""
        from caseterm.core import clock, exports
        from caseterm.core.services import export_views
        from caseterm.tui.screens.export_file import ask_and_write, writing_progress

        summary = next((q for q in self.summaries if q.key == self.queue_key), None)
        if summary is None:
            return
        ctx: TuiContext = self.app.ctx  # type: ignore[attr-defined]
        actor = ctx.actor

        shown = writing_progress(self)

        def write(session: Any, target: Path) -> int:
            sheet = export_views.queue_sheet(session, actor, key=summary.key, title=summary.name)
            progress = lambda n: shown(n, summary.count)  # noqa: E731
            if target.suffix.lower() == ".csv":
                return exports.write_csv(target, sheet, option="file", progress=progress)
            return exports.write_xlsx(target, [sheet], option="file", progress=progress)

        name = summary.key.replace(":", "-")
        ask_and_write(
            self,
            what=summary.name,
            default_name=f"{name}-{clock.today():%Y-%m-%d}.xlsx",
            write=write,
            counted="items",
        )

    def action_delete_queue(self) -> None:
        from caseterm.tui.screens.queue_save import DeleteQueueScreen

        summary = next((q for q in self.summaries if q.key == self.queue_key), None)
        if summary is None:
            return
        if summary.builtin:
            self.notify(
                f"{summary.name} is a built-in queue: built-in queues cannot be deleted.",
                severity="warning",
                markup=False,
            )
            return
        queue_id = int(summary.key.removeprefix(saved_queues.SAVED_PREFIX))
        actor = self.app.ctx.actor  # type: ignore[attr-defined]
        if summary.owner_name and not actor.has("staff.admin"):
            # Someone else's shared queue: nothing to confirm, the service says why not.
            self._delete_queue(summary, queue_id)
            return
        self.app.push_screen(
            DeleteQueueScreen(summary.name, summary.owner_name, summary.shared),
            lambda yes: self._delete_queue(summary, queue_id) if yes else None,
        )

    def _delete_queue(self, summary: QueueSummary, queue_id: int) -> None:
        actor = self.app.ctx.actor  # type: ignore[attr-defined]
        run_db(
            self,
            lambda s: saved_queues.delete_queue(s, actor, queue_id),
            done=lambda _: self._queue_deleted(summary),
            failed=lambda error: self.notify(
                describe_error(error), title="Not deleted", severity="warning", markup=False
            ),
            write=True,
            what="deleting the queue",
        )

    def _queue_deleted(self, summary: QueueSummary) -> None:
        self.notify(f"Deleted queue {clean(summary.name)!r}.", markup=False)
        if self.queue_key == summary.key:
            self.show_queue(FIRST_QUEUE)
        self._load_queues()

    # ---------------------------------------------------------------- refreshing

    def refresh_data(self) -> None:
        """Fetch the counts and the visible tasks again; the cursor stays where it is."""
        self._seen_generation = getattr(self.app, "data_generation", 0)
        self.task_table().reload()
        self._load_queues()

    def action_allocate_suspense(self) -> None:
        from caseterm.tui.suspense.forms import deal_with_suspense

        seen = self._row_seen(self.task_table())  # as the user saw it when the key was pressed
        row = seen[0] if seen else None
        if row is None or not row.task_id or row.kind != "suspense":
            self.notify("Choose a task in the Suspense queue.", severity="warning", markup=False)
            return
        deal_with_suspense(self, row.task_id, self.refresh_data)

    def action_refresh(self) -> None:
        self.refresh_data()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.refresh_data()
