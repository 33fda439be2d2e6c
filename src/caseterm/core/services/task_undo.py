"""Undoable task actions: what a queue action changed on a task, kept so that the person who did
it can put the task back exactly as it was (`u` on the workstation, as triage does).

`record_change` runs one task action (take, complete, assign, bring forward, priority) and
returns the task's state before and after; `undo_change` restores the state before, provided
nobody has changed the task since (otherwise StaleEditError names who did). The audit journal
keeps both the action and its undoing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.models import CaseFile, ReviewSchedule, Task
from caseterm.core.models.vocab import ReviewStatus, TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor

# What a queue action may change, and so what an undo puts back.
UNDO_FIELDS = (
    "status",
    "assignee_id",
    "team_id",
    "due_date",
    "priority",
    "outcome",
    "completed_at",
    "completed_by_id",
    "completed_on_behalf",
)
UNDOABLE = ("take", "complete", "assign", "bring_forward", "priority")


@dataclass(frozen=True)
class TaskChange:
    """One task action, enough to describe it and to undo it exactly."""

    task_id: int
    action: str  # one of UNDOABLE
    summary: str  # what was done, in the words of the message that said so
    before: dict[str, Any]
    after: dict[str, Any]


def _state(task: Task) -> dict[str, Any]:
    return {name: getattr(task, name) for name in UNDO_FIELDS}


def record_change(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    action: str,
    summary: str,
    do: Callable[[], object],
) -> TaskChange:
    """Run `do` (one task service call on `task_id`, in this transaction) and return what it
    changed, for `undo_change`. The service called checks permissions and writes its audit."""
    if action not in UNDOABLE:
        raise ValidationError("action", f"unknown task action {action!r}")
    task = get(session, Task, task_id, "task")
    before = _state(task)
    do()
    session.refresh(task)
    return TaskChange(task_id, action, summary, before, _state(task))


def undo_change(session: Session, actor: Actor, *, change: TaskChange) -> TaskChange:
    """Put the task back as it was before `change`, if it is still as `change` left it.
    Undoing a completion also reopens a review the completion had closed."""
    actor.require("task.work")
    task = get(session, Task, change.task_id, "task")
    if task.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, task.case_id, "case"), "task")
    label = f"task {task.id} ({TASK_KINDS.get(task.kind, task.kind)})"
    if _state(task) != change.after:
        raise StaleEditError(label, staff_name(session, task.updated_by_id), task.updated_at)
    for name, value in change.before.items():
        setattr(task, name, value)
    task.updated_at = clock.now()
    task.updated_by_id = actor.id
    session.add(task)
    if change.action == "complete" and task.status != TaskStatus.DONE:
        for review in session.exec(
            select(ReviewSchedule).where(
                ReviewSchedule.raised_task_id == task.id,
                ReviewSchedule.status == ReviewStatus.DONE,
            )
        ).all():
            review.status = ReviewStatus.RAISED
            session.add(review)
    session.flush()
    old, new = audit.changed(audit.snapshot_dict(change.after), audit.snapshot_dict(change.before))
    audit.record(
        session,
        actor,
        "task.undo",
        "task",
        task.id,
        case_id=task.case_id,
        person_id=task.person_id,
        summary=f"{label}: undid '{change.summary}'",
        before=old,
        after=new,
    )
    session.refresh(task)
    return TaskChange(task.id or 0, change.action, change.summary, change.after, _state(task))
