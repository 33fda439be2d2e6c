"""Acting on tasks from a list without leaving it: take, complete, assign, bring forward, open
the case, new contact. Every action applies to the marked rows, else the row under the cursor;
each task is its own business action (one refusal does not undo the others), and a task changed
by someone else since it was shown opens the stale-edit dialog instead of being overwritten.

Used by the queues screen and the case's task section: the screen provides `task_table()` and
`refresh_data()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from sqlmodel import Session
from textual.binding import BindingType
from textual.screen import Screen

from caseterm.core.errors import StaleEditError
from caseterm.core.models import Task
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.queues import TaskRow
from caseterm.tui.dbwork import Outcome, describe_error, run_db_each
from caseterm.tui.keymap import binding
from caseterm.tui.safe import uk_date
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


def _plural(n: int) -> str:
    return f"{n} task" if n == 1 else f"{n} tasks"


class TaskActions(Screen[Any]):
    """A screen with a table of TaskRows to act on (see module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = TASK_BINDINGS

    def task_table(self) -> PagedTable[TaskRow]:
        raise NotImplementedError

    def refresh_data(self) -> None:
        raise NotImplementedError

    def _chosen(self) -> list[TaskRow]:
        rows = [r for r in self.task_table().rows_to_act_on() if r.task_id]
        if not rows:
            self.notify("No task here to act on.", severity="warning")
        return rows

    @property
    def _actor(self) -> Any:
        return self.app.ctx.actor  # type: ignore[attr-defined]

    def action_take_task(self) -> None:
        from caseterm.core.services import tasks

        rows, actor = self._chosen(), self._actor
        if rows:
            run_db_each(
                self,
                rows,
                lambda s, r: tasks.take_task(s, actor, r.task_id),
                done=lambda out: self._report("Took", out),
                what=f"taking {_plural(len(rows))}",
            )

    def action_complete_task(self) -> None:
        from caseterm.core.services import tasks

        rows, actor = self._chosen(), self._actor
        if rows:
            run_db_each(
                self,
                rows,
                lambda s, r: tasks.complete_task(
                    s, actor, task_id=r.task_id, expected_version=r.version
                ),
                done=lambda out: self._report("Completed", out),
                what=f"completing {_plural(len(rows))}",
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
            run_db_each(
                self,
                rows,
                lambda s, r: tasks.assign_task(
                    s,
                    actor,
                    task_id=r.task_id,
                    assignee_id=choice.staff_id,
                    expected_version=r.version,
                ),
                done=lambda out: self._report(f"Assigned to {choice.label}:", out),
                what=f"assigning {_plural(len(rows))}",
            )

        self.app.push_screen(AssignScreen(_plural(len(rows))), chosen)

    def action_bring_forward(self) -> None:
        from caseterm.core.services import tasks
        from caseterm.tui.screens.pickers import BringForwardScreen

        rows, actor = self._chosen(), self._actor
        if not rows:
            return

        def chosen(day: date | None) -> None:
            if day is None:
                return
            run_db_each(
                self,
                rows,
                lambda s, r: tasks.bring_forward(
                    s, actor, task_id=r.task_id, due_date=day, expected_version=r.version
                ),
                done=lambda out: self._report(f"Brought forward to {day:%d/%m/%Y}:", out),
                what=f"bringing forward {_plural(len(rows))}",
            )

        self.app.push_screen(BringForwardScreen(_plural(len(rows))), chosen)

    def _case_of_cursor(self) -> int | None:
        row = self.task_table().current_row
        if row is None or row.case_id is None:
            self.notify("This item has no case.", severity="warning")
            return None
        return row.case_id

    def action_open_task_case(self) -> None:
        case_id = self._case_of_cursor()
        if case_id is not None:
            self.app.open_case(case_id)  # type: ignore[attr-defined]

    def action_task_new_contact(self) -> None:
        case_id = self._case_of_cursor()
        if case_id is not None:
            self.app.new_contact(case_id)  # type: ignore[attr-defined]

    def _report(self, verb: str, outcomes: list[Outcome[TaskRow, Any]]) -> None:
        done = [o.item for o in outcomes if o.error is None]
        failed = [o for o in outcomes if o.error is not None]
        table = self.task_table()
        table.unmark(table.row_key(r) for r in done)
        if done:
            self.notify(f"{verb} {_plural(len(done))}.", markup=False)
        stale = next((o for o in failed if isinstance(o.error, StaleEditError)), None)
        # The first stale edit gets the dialog; everything else that failed is listed here.
        listed = [(o.item, o.error) for o in failed if o is not stale and o.error is not None]
        if listed:
            lines = [f"Task {row.task_id}: {describe_error(error)}" for row, error in listed[:5]]
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
