"""The case screen's work log keys: its Tasks section acts as a queue does (take, complete,
assign, bring forward, priority, undo; `enter` shows the task in full; `z` reopens a done or
cancelled task), `A` adds a task to the case, and `e` on the contact log corrects the entry
under the cursor.

A base of CaseDetailScreen: the task keys act only while the Tasks section is shown, `e` only
while the contact log is."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.widgets import TabbedContent

from caseterm.core.models.vocab import CLOSED_TASK_STATUSES
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services import letter_proposals
from caseterm.core.services.queues import TaskRow
from caseterm.core.services.task_info import TaskInfo
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import uk_date
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.screens.task_actions import FOLLOW_SECONDS, TaskActions, task_label
from caseterm.tui.widgets.paged_table import PagedTable

# Task keys that make sense only on the Tasks section (a queue's `o`/`n` are the case's own).
TASK_SECTION_ACTIONS = frozenset(
    {
        "take_task",
        "complete_task",
        "assign_task",
        "bring_forward",
        "task_priority",
        "undo_task",
        "add_task",
        "reopen_task",
    }
)


class CaseWorkLog(TaskActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("A", "add_task", "Add task", "add_task"),
        binding("e", "correct_entry", "Correct", "correct_entry"),
        binding("z", "reopen_task", "Reopen task", "reopen_task", show=False),
    ]

    case_id: int | None

    def task_table(self) -> PagedTable[TaskRow]:
        return self.query_one("#tasks-table", PagedTable)

    def _section(self) -> str:
        return self.query_one(TabbedContent).active or ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_task_case", "task_new_contact"):
            return False  # this is the case already; its own `n` logs a contact
        if action in TASK_SECTION_ACTIONS:
            return self._section() == "tasks"
        if action == "correct_entry":
            return self._section() == "contacts"
        return True

    @on(TabbedContent.TabActivated, "#sections")
    def _keys_follow_section(self) -> None:
        self.refresh_bindings()

    # ---------------------------------------------------------------- tasks

    @on(PagedTable.Selected, "#tasks-table")
    def _task_selected(self, event: PagedTable.Selected) -> None:
        row: TaskRow = event.row
        fields = [
            ("Kind", TASK_KINDS.get(row.kind, row.kind)),
            ("Due", uk_date(row.due_date) + (" (overdue)" if row.overdue else "")),
            ("Priority", str(row.priority)),
            ("Status", row.status),
            ("Assigned to", row.assignee_name or "nobody (the team's unallocated work)"),
        ]
        self.app.push_screen(RecordScreen(f"Task {row.task_id}: {row.title}", fields))

    def open_task_letter(
        self, then: Callable[[int | None], None], otherwise: Callable[[], None]
    ) -> bool:
        """`l` on a task in the Tasks section: the letter it proposes (a "Send letter" task, or a
        statutory clock's task whose rule names a template), that template preselected; on a
        task proposing none, `otherwise` (the plain choice of template). False if not on a task."""
        if self._section() != "tasks":
            return False
        row = self.task_table().current_row
        if row is None:
            return False
        actor, task_id = self._actor, row.task_id

        def chosen(proposal: letter_proposals.Proposal | None) -> None:
            if proposal is None:
                otherwise()
            else:
                self.app.letter_for_task(proposal, then)  # type: ignore[attr-defined]

        run_db(
            self,
            lambda s: letter_proposals.proposal_if_any(s, actor, task_id=task_id),
            done=chosen,
            what="reading the task",
            write=True,
        )
        return True

    def action_add_task(self) -> None:
        from caseterm.tui.work_log.add_task import AddTaskScreen, Whom, whom_choices

        view = getattr(self, "view", None)
        if self.case_id is None or view is None:
            return
        case_id, reference, actor = self.case_id, view.case.reference, self._actor

        def open_form(whom: list[Whom]) -> None:
            self.app.push_screen(AddTaskScreen(case_id, reference, whom), self._task_added)

        run_db(self, lambda s: whom_choices(s, actor), done=open_form, what="reading the staff")

    def action_reopen_task(self) -> None:
        """`z` on a done or cancelled task: open it again (its assignee kept), with a reason."""
        seen = self._row_seen(self.task_table())  # as the user saw it (task_actions.py)
        if not seen:
            return
        row = seen[0]
        if row.status not in CLOSED_TASK_STATUSES:
            self.notify(
                f"Task {row.task_id} is {row.status}: only a done or cancelled task reopens.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(
            PromptScreen(f"Reopen {task_label(row)}: why? (optional)", "the reason", optional=True),
            lambda reason: self._reopen(row, reason),
        )

    def _reopen(self, row: TaskRow, reason: str | None) -> None:
        from caseterm.core.services import tasks

        if reason is None:
            return
        actor, task_id, version = self._actor, row.task_id, row.version

        def reopened(task: TaskInfo) -> None:
            self.notify(f"Reopened {task_label(row)}: it is {task.status} again.", markup=False)
            # The cursor follows the task to its place among the open ones.
            self._own_change_until = time.monotonic() + FOLLOW_SECONDS
            self._follow = (task_id, version, self._own_change_until)
            self.refresh_data()

        run_db(
            self,
            lambda s: tasks.reopen_task(
                s, actor, task_id=task_id, reason=reason, expected_version=version
            ),
            write=True,
            done=reopened,
            what="reopening the task",
        )

    def _task_added(self, message: str | None) -> None:
        if message:
            self.refresh_data()

    # ---------------------------------------------------------------- the contact log

    def action_correct_entry(self) -> None:
        from caseterm.tui.work_log.correct import CorrectEntryScreen

        row = self.query_one("#contacts-table", PagedTable).current_row
        if row is None:
            self.notify("No contact entry here to correct.", severity="warning")
            return
        if row.superseded_by:
            self.notify(
                f"Entry {row.entry.id} was already corrected by entry {row.superseded_by}: "
                "correct that one.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(CorrectEntryScreen(row.entry), self._corrected)

    def _corrected(self, message: str | None) -> None:
        if message:
            self.query_one("#contacts-table", PagedTable).reload()
            self.refresh_data()
