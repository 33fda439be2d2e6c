"""The contact log and tasks kept right: undoing a queue action, withdrawing the tasks a
corrected absence raised."""

from __future__ import annotations

from sqlmodel import Session

from caseterm.core.models import ContactEntry
from caseterm.core.services import contacts, raised_tasks, task_undo, tasks
from caseterm.core.services.task_undo import TaskChange
from tests.audit_scenarios import audited
from tests.factories import World


def _open_task(w: World) -> int:
    with w.db.write() as s:
        task = tasks.create_task(
            s, w.clerk, kind="general", title="Chase the court", case_id=w.case.id
        )
        return task.id or 0


@audited("task_undo", "record_change", "task.take", _open_task)
def _record(s: Session, w: World, task_id: int) -> None:
    task_undo.record_change(
        s,
        w.worker,
        task_id=task_id,
        action="take",
        summary="Took it",
        do=lambda: tasks.take_task(s, w.worker, task_id),
    )


def _taken(w: World) -> TaskChange:
    task_id = _open_task(w)
    with w.db.write() as s:
        return task_undo.record_change(
            s,
            w.worker,
            task_id=task_id,
            action="take",
            summary="Took it",
            do=lambda: tasks.take_task(s, w.worker, task_id),
        )


@audited("task_undo", "undo_change", "task.undo", _taken)
def _undo(s: Session, w: World, change: TaskChange) -> None:
    task_undo.undo_change(s, w.worker, change=change)


def _absence_with_follow_up(w: World) -> int:
    with w.db.write() as s:
        entry = contacts.log_contact(
            s, w.worker, case_id=w.case.id or 0, contact_type="phone_in", outcome="failed_to_attend"
        )
        case = s.get(type(w.case), w.case.id)
        assert case is not None
        raised_tasks.raise_fta_follow_up(s, w.worker, case=case, entry_id=entry.id or 0)
        return entry.id or 0


@audited("raised_tasks", "withdraw_raised_tasks", "task.withdraw", _absence_with_follow_up)
def _withdraw(s: Session, w: World, entry_id: int) -> None:
    entry = s.get(ContactEntry, entry_id)
    assert entry is not None
    raised_tasks.withdraw_raised_tasks(s, w.worker, entry=entry, reason="attended after all")
