"""A case's tasks as its Tasks section and `caseterm case show` list them (the queues, across
cases, are in queues.py; changing a task is in tasks.py)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from caseterm.core.models import Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, CLOSED_TASK_STATUSES
from caseterm.core.services.access import require_visible
from caseterm.core.services.identity import Actor
from caseterm.core.services.queues import TaskRow, task_rows


def case_tasks(
    session: Session, actor: Actor, *, case_id: int, include_closed: bool = True, limit: int = 500
) -> list[TaskRow]:
    """A case's tasks for its Tasks section: untriaged and open ones in queue order (earliest
    due first, then priority), then (if `include_closed`) done and cancelled ones, latest first."""
    actor.require("case.read")
    require_visible(session, actor, case_id, "tasks")
    live = session.exec(
        select(Task)
        .where(Task.case_id == case_id, col(Task.status).in_(ACTIVE_TASK_STATUSES))
        .order_by(
            col(Task.due_date).is_(None), col(Task.due_date), col(Task.priority), col(Task.id)
        )
        .limit(limit)
    ).all()
    found = list(live)
    if include_closed and len(found) < limit:
        found += session.exec(
            select(Task)
            .where(Task.case_id == case_id, col(Task.status).in_(CLOSED_TASK_STATUSES))
            .order_by(col(Task.completed_at).desc(), col(Task.id).desc())
            .limit(limit - len(found))
        ).all()
    return task_rows(session, actor, tasks=found)


def open_tasks_for_case(
    session: Session, actor: Actor, *, case_id: int, limit: int = 50
) -> list[TaskRow]:
    """A case's untriaged and open tasks, earliest due first."""
    return case_tasks(session, actor, case_id=case_id, include_closed=False, limit=limit)
