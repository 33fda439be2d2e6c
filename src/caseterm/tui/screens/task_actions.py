"""Acting on tasks from a list without leaving it: take, complete, assign, bring forward, open
the case, new contact. Every action applies to the marked rows, else the row under the cursor;
each task is its own business action (one refusal does not undo the others), and a task changed
by someone else since it was shown opens the stale-edit dialog instead of being overwritten.

An action applies to the tasks the user saw, captured by id when the key was pressed. When a
refresh has just replaced the row under a still cursor (a colleague took that task a moment
ago), a key pressed within REACTION_SECONDS was meant for the row that was there: it is acted on
(and the service says it was taken), never the row that slid under the cursor. Every message
names the task and its case; after an action re-sorts the list, the cursor follows the task.

Used by the queues screen and the case's task section: the screen provides `task_table()` and
`refresh_data()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from sqlmodel import Session
from textual import on
from textual.binding import BindingType
from textual.screen import Screen

from caseterm.core.errors import StaleEditError
from caseterm.core.models import Task
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.queues import TaskRow
from caseterm.tui.dbwork import Outcome, describe_error, run_db_each
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, uk_date
from caseterm.tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from caseterm.tui.screens.pickers import StaffChoice

# The task service, the pickers and the stale dialog are imported when first used: the queues
# are the first screen, and start-up time is what a person waits for (benchmarks/tui_bench.py).

TASK_BINDINGS: list[BindingType] = [
    binding("t", "take_task", "Take", "take_task"),
    binding("c", "complete_task", "Complete", "complete_task"),
    binding("a", "assign_task", "Assign", "assign_task"),
    binding("b", "bring_forward", "Bring fwd", "bring_forward"),
    binding("P", "task_priority", "Priority", "task_priority", show=False),
    binding("u", "undo_task", "Undo", "undo_task", show=False),
    binding("o", "open_task_case", "Open case", "open_case", show=False),
    binding("n", "task_new_contact", "New contact", "new_contact"),
]


def task_fields(
    title: str, due: date | None, priority: int, status: str, assignee: str
) -> dict[str, str]:
    """What the stale dialog compares."""
    return {
        "Title": title,
        "Due": uk_date(due),
        "Priority": str(priority),
        "Status": status,
        "Assigned to": assignee or "nobody",
    }


def stored_task_fields(task_id: int) -> Callable[[Session], Mapping[str, str]]:
    def load(session: Session) -> Mapping[str, str]:
        task = get(session, Task, task_id, "task")
        assignee = staff_name(session, task.assignee_id) if task.assignee_id else ""
        return task_fields(task.title, task.due_date, task.priority, task.status, assignee)

    return load


REACTION_SECONDS = 0.7  # a row that slid under the cursor this recently had not been seen yet
FOLLOW_SECONDS = 5.0  # how long after an action the cursor may still move to follow its task
FOLLOW_SCAN = 2000  # rows looked through (among those loaded) for the task to follow
TITLE_SHOWN = 40  # characters of a task's title in a message


def _plural(n: int) -> str:
    return f"{n} task" if n == 1 else f"{n} tasks"


def task_label(row: TaskRow) -> str:
    """`task 123 'Review due' on OM/2026/000012`: which task, in a message."""
    title = clean(row.title)
    title = title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1] + "…"
    on_case = f" on {clean(row.case_reference)}" if row.case_reference else ""
    return f"task {row.task_id} '{title}'{on_case}"


def _what(rows: list[TaskRow]) -> str:
    """What a picker's title names: the one task, or how many."""
    return task_label(rows[0]) if len(rows) == 1 else _plural(len(rows))


def tasks_label(rows: list[TaskRow]) -> str:
    """One task's label, or `3 tasks (task 1 '…' on …; …)` (the first five named)."""
    if len(rows) == 1:
        return task_label(rows[0])
    named = "; ".join(task_label(r) for r in rows[:5])
    more = f"; …and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f"{_plural(len(rows))} ({named}{more})"


class TaskActions(Screen[Any]):
    """A screen with a table of TaskRows to act on (see module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = TASK_BINDINGS

    # What the user has seen under the cursor: the row, its index, and the row a refresh
    # replaced there (with when), for a key pressed before the user could have noticed.
    _seen: TaskRow | None = None
    _seen_index = -1
    _replaced: tuple[TaskRow, float] | None = None
    # After an action: the task to keep the cursor on (id, version acted on, until when), and
    # until when rows changing under the cursor are this user's own doing (the refresh after it).
    _follow: tuple[int, int, float] | None = None
    _own_change_until = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The task actions of this session, latest last, each a list of TaskChange: `u` undoes.
        self._journal: list[list[Any]] = []

    def forget_seen(self) -> None:
        """Another list is shown (another queue): nothing on it has been seen yet."""
        self._seen, self._seen_index, self._replaced, self._follow = None, -1, None, None

    def task_table(self) -> PagedTable[TaskRow]:
        raise NotImplementedError

    def refresh_data(self) -> None:
        raise NotImplementedError

    def _chosen(self) -> list[TaskRow]:
        table = self.task_table()
        rows = table.marked_rows or self._row_seen(table)
        rows = [r for r in rows if r.task_id]
        if not rows:
            self.notify("No task here to act on.", severity="warning")
        return rows

    def _row_seen(self, table: PagedTable[TaskRow]) -> list[TaskRow]:
        """The row under the cursor as the user saw it when they pressed the key."""
        row = table.current_row
        if row is None:
            return []
        if time.monotonic() < self._own_change_until:
            return [row]  # the list changed after this user's own action, as they expect
        if (
            table.cursor == self._seen_index
            and self._seen is not None
            and table.row_key(self._seen) != table.row_key(row)
        ):
            return [self._seen]  # replaced under a still cursor, not even shown yet
        if self._replaced is not None:
            before, at = self._replaced
            if time.monotonic() - at < REACTION_SECONDS:
                return [before]
        return [row]

    @on(PagedTable.Highlighted)
    def _track_cursor(self, event: PagedTable.Highlighted) -> None:
        table = self.task_table()
        if event.control is not table:
            return
        row: TaskRow | None = table.current_row
        index = table.cursor
        seen = self._seen
        if self._follow_task(table):
            return  # moved the cursor: a new Highlighted says what is under it now
        if (
            index == self._seen_index
            and seen is not None
            and row is not None
            and table.row_key(seen) != table.row_key(row)
        ):
            # A refresh, not the user, changed it (and not after the user's own action).
            now = time.monotonic()
            self._replaced = None if now < self._own_change_until else (seen, now)
        elif index != self._seen_index:
            self._replaced = None  # the user moved
        self._seen, self._seen_index = row, index

    def _follow_task(self, table: PagedTable[TaskRow]) -> bool:
        """After an action re-sorted the list: put the cursor back on the task acted on, once
        its new state is loaded. True if the cursor moved."""
        if self._follow is None:
            return False
        task_id, version, until = self._follow
        if time.monotonic() > until:
            self._follow = None
            return False
        for index in range(min(table.count or 0, FOLLOW_SCAN)):
            row = table.row_at(index)
            if row is not None and row.task_id == task_id and row.version > version:
                self._follow = None
                if index == table.cursor:
                    return False
                # The cursor follows on purpose: not a replacement.
                self._seen, self._seen_index, self._replaced = row, index, None
                table.move_cursor(index)
                return True
        return False

    @property
    def _actor(self) -> Any:
        return self.app.ctx.actor  # type: ignore[attr-defined]

    # Each action runs through task_undo.record_change so that `u` can put it back.

    def _act(
        self,
        rows: list[TaskRow],
        action: str,
        say: Callable[[str], str],
        call: Callable[[Session, TaskRow], object],
        *,
        what: str,
        done: Callable[[list[Outcome[TaskRow, Any]]], None] | None = None,
    ) -> None:
        from caseterm.core.services import task_undo

        actor = self._actor

        def one(session: Session, row: TaskRow) -> Any:
            return task_undo.record_change(
                session,
                actor,
                task_id=row.task_id,
                action=action,
                summary=say(task_label(row)),
                do=lambda: call(session, row),
            )

        def finished(outcomes: list[Outcome[TaskRow, Any]]) -> None:
            changes = [o.result for o in outcomes if o.result is not None]
            if changes:
                self._journal.append(changes)
            if done is not None:
                done(outcomes)
            else:
                self._report(say, outcomes)

        run_db_each(self, rows, one, done=finished, what=what)

    def action_take_task(self) -> None:
        from caseterm.core.services import tasks

        rows, actor = self._chosen(), self._actor
        if rows:
            self._act(
                rows,
                "take",
                lambda what: f"Took {what}.",
                lambda s, r: tasks.take_task(s, actor, r.task_id),
                what=f"taking {_plural(len(rows))}",
            )

    def action_complete_task(self) -> None:
        from caseterm.tui.work_log.questions import OutcomeScreen

        rows = self._chosen()
        if not rows:
            return

        def answered(outcome: str | None) -> None:
            if outcome is not None:
                self._complete(rows, outcome, on_behalf=False)

        self.app.push_screen(OutcomeScreen(_what(rows)), answered)

    def _complete(self, rows: list[TaskRow], outcome: str, *, on_behalf: bool) -> None:
        from caseterm.core.errors import OnBehalfError
        from caseterm.core.services import tasks
        from caseterm.tui.work_log.questions import OnBehalfScreen

        actor = self._actor
        behalf = " on their holder's behalf" if on_behalf else ""

        def say(what: str) -> str:
            return f"Completed {what}{behalf}" + (f": {outcome}." if outcome else ".")

        def done(outcomes: list[Outcome[TaskRow, Any]]) -> None:
            theirs = [o for o in outcomes if isinstance(o.error, OnBehalfError)]
            self._report(say, [o for o in outcomes if o not in theirs])
            if not theirs:
                return
            holders = sorted({o.error.holder for o in theirs if isinstance(o.error, OnBehalfError)})
            again = [o.item for o in theirs]
            said = f"{tasks_label(again)} is assigned to {', '.join(holders)}."

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._complete(again, outcome, on_behalf=True)

            self.app.push_screen(OnBehalfScreen(said), confirmed)

        self._act(
            rows,
            "complete",
            say,
            lambda s, r: tasks.complete_task(
                s,
                actor,
                task_id=r.task_id,
                outcome=outcome,
                on_behalf=on_behalf,
                expected_version=r.version,
            ),
            what=f"completing {_plural(len(rows))}",
            done=done,
        )

    def action_assign_task(self) -> None:
        from caseterm.core.services import tasks
        from caseterm.tui.screens.pickers import AssignScreen

        rows, actor = self._chosen(), self._actor
        if not rows:
            return

        def chosen(choice: StaffChoice | None) -> None:
            if choice is None:
                return
            self._act(
                rows,
                "assign",
                lambda what: f"Assigned {what} to {clean(choice.label)}.",
                lambda s, r: tasks.assign_task(
                    s,
                    actor,
                    task_id=r.task_id,
                    assignee_id=choice.staff_id,
                    team_id=choice.team_id,
                    expected_version=r.version,
                ),
                what=f"assigning {_plural(len(rows))}",
            )

        self.app.push_screen(AssignScreen(_what(rows)), chosen)

    def action_bring_forward(self) -> None:
        from caseterm.core.services import tasks
        from caseterm.tui.screens.pickers import BringForwardScreen

        rows, actor = self._chosen(), self._actor
        if not rows:
            return

        def chosen(day: date | None) -> None:
            if day is None:
                return
            self._act(
                rows,
                "bring_forward",
                lambda what: f"Brought {what} forward to {day:%d/%m/%Y}.",
                lambda s, r: tasks.bring_forward(
                    s, actor, task_id=r.task_id, due_date=day, expected_version=r.version
                ),
                what=f"bringing forward {_plural(len(rows))}",
            )

        self.app.push_screen(BringForwardScreen(_what(rows)), chosen)

    def action_task_priority(self) -> None:
        from caseterm.core.services import tasks
        from caseterm.tui.work_log.questions import PRIORITY_NAMES, PriorityScreen

        rows, actor = self._chosen(), self._actor
        if not rows:
            return

        def chosen(priority: int | None) -> None:
            if priority is None:
                return
            self._act(
                rows,
                "priority",
                lambda what: f"Set {what} to priority {priority} ({PRIORITY_NAMES[priority]}).",
                lambda s, r: tasks.set_task_priority(
                    s, actor, task_id=r.task_id, priority=priority, expected_version=r.version
                ),
                what=f"changing the priority of {_plural(len(rows))}",
            )

        self.app.push_screen(PriorityScreen(_what(rows)), chosen)

    def action_undo_task(self) -> None:
        """Undo the last task action of this session (all the tasks it acted on)."""
        from caseterm.core.services import task_undo

        if not self._journal:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        changes = self._journal[-1]
        actor = self._actor

        def finished(outcomes: list[Outcome[Any, Any]]) -> None:
            undone = [o.item for o in outcomes if o.error is None]
            failed = [o for o in outcomes if o.error is not None]
            if not failed:
                self._journal.pop()
            elif undone:
                self._journal[-1] = [o.item for o in failed]
            if undone:
                said = "; ".join(c.summary.rstrip(".") for c in undone[:3])
                more = f"; …and {len(undone) - 3} more" if len(undone) > 3 else ""
                self.notify(f"Undone: {said}{more}.", markup=False)
                first = undone[0]
                self._follow = (first.task_id, 0, time.monotonic() + FOLLOW_SECONDS)
                self._own_change_until = time.monotonic() + FOLLOW_SECONDS
            if failed:
                self.notify(
                    "\n".join(f"{describe_error(o.error)}" for o in failed[:5] if o.error),
                    title="Cannot undo",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            self.refresh_data()

        run_db_each(
            self,
            list(reversed(changes)),
            lambda s, change: task_undo.undo_change(s, actor, change=change),
            done=finished,
            what="undoing",
        )

    def _case_of_cursor(self) -> int | None:
        row = self.task_table().current_row
        if row is None or row.case_id is None:
            self.notify("This item has no case.", severity="warning")
            return None
        return row.case_id

    def action_open_task_case(self) -> None:
        case_id = self._case_of_cursor()
        row = self.task_table().current_row
        if case_id is not None and row is not None and row.kind == "enforcement" and row.task_id:
            from caseterm.tui.screens.enforcement_task import open_step_task

            open_step_task(self, row.task_id, case_id)  # on the Account section (issue 14)
        elif case_id is not None:
            self.app.open_case(case_id)  # type: ignore[attr-defined]

    def action_task_new_contact(self) -> None:
        case_id = self._case_of_cursor()
        if case_id is not None:
            self.app.new_contact(case_id)  # type: ignore[attr-defined]

    def _report(self, say: Callable[[str], str], outcomes: list[Outcome[TaskRow, Any]]) -> None:
        done = [o.item for o in outcomes if o.error is None]
        failed = [o for o in outcomes if o.error is not None]
        table = self.task_table()
        keys: list[Hashable] = [table.row_key(r) for r in done]
        table.unmark(keys)
        self._replaced = None
        self._own_change_until = time.monotonic() + FOLLOW_SECONDS
        if done:
            self.notify(say(tasks_label(done)), markup=False)
            first = done[0]
            self._follow = (first.task_id, first.version, time.monotonic() + FOLLOW_SECONDS)
        stale = next((o for o in failed if isinstance(o.error, StaleEditError)), None)
        # The first stale edit gets the dialog; everything else that failed is listed here.
        listed = [(o.item, o.error) for o in failed if o is not stale and o.error is not None]
        if listed:
            lines = [
                f"T{task_label(row)[1:]}: {describe_error(error)}" for row, error in listed[:5]
            ]
            if len(listed) > 5:
                lines.append(f"…and {len(listed) - 5} more")
            self.notify(
                "\n".join(lines),
                title=f"{_plural(len(listed))} not changed",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self.refresh_data()
        if stale is not None and isinstance(stale.error, StaleEditError):
            from caseterm.tui.screens.stale import StaleScreen

            row = stale.item
            mine = task_fields(row.title, row.due_date, row.priority, row.status, row.assignee_name)
            self.app.push_screen(
                StaleScreen(stale.error, mine=mine, load_theirs=stored_task_fields(row.task_id)),
                self._after_stale,
            )

    def _after_stale(self, choice: str | None) -> None:
        if choice == "reload":
            self.refresh_data()


def kind_label(kind: str) -> str:
    return TASK_KINDS.get(kind, kind.replace("_", " ").capitalize())
