"""Tasks: create, take, assign, complete, bring forward, reopen, reprioritise, cancel; and the
tasks the rules raise by themselves (failed-to-attend follow-up, enforcement).

Taking a task is a conditional UPDATE checked by its row count, so across processes (and on
PostgreSQL) exactly one person wins; the others get AlreadyTakenError naming the winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, or_, update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import AlreadyTakenError, OnBehalfError, ValidationError
from caseterm.core.models import (
    CaseFile,
    Person,
    ReviewSchedule,
    Staff,
    Task,
    Team,
)
from caseterm.core.models.vocab import (
    ACTIVE_TASK_STATUSES,
    CLOSED_TASK_STATUSES,
    ReviewStatus,
    TaskStatus,
)
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.rules.roles import manages_team
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.cases import check_priority
from caseterm.core.services.common import (
    check_version,
    ensure_case_open,
    get,
    staff_name,
    touch,
)
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.services.task_info import TaskInfo
from caseterm.core.text import clean_line, clean_notes

TASK_FIELDS = (
    "kind",
    "title",
    "case_id",
    "person_id",
    "team_id",
    "assignee_id",
    "office_id",
    "due_date",
    "priority",
    "status",
    "outcome",
    "about_name",
    "about_dob",
    "completed_on_behalf",
)
ROWS_PER_INSERT = 500  # rows per multi-row INSERT: well inside SQLite's and PostgreSQL's limits


def new_task_row(actor: Actor, now: datetime, **fields: Any) -> dict[str, Any]:
    """A new open task as a row for `insert_task_rows`: `fields` over the defaults (the schedulers
    raise thousands at once; the checks `create_task` makes are theirs to make first)."""
    return {
        "details": "",
        "status": TaskStatus.OPEN,
        "about_name": "",
        "about_dob": None,
        "completed_on_behalf": False,
        "outcome": "",
        "created_at": now,
        "updated_at": now,
        "updated_by_id": actor.id,
        "version": 1,
        **fields,
    }


def insert_task_rows(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert `rows` (`new_task_row`) a few hundred to a statement (INSERT … RETURNING); each new
    task's id by its `source`, which must be unique among them."""
    ids: dict[str, int] = {}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        returned = session.execute(
            insert(Task).returning(col(Task.id), col(Task.source)),
            list(rows[start : start + ROWS_PER_INSERT]),
        )
        ids.update({str(source): int(task_id) for task_id, source in returned})
    return ids


def _label(task: Task) -> str:
    return f"task {task.id} ({TASK_KINDS.get(task.kind, task.kind)})"


def _check_assignee(session: Session, assignee_id: int | None) -> Staff | None:
    if assignee_id is None:
        return None
    staff = session.get(Staff, assignee_id)
    if staff is None:
        raise ValidationError("assignee", f"no member of staff with id {assignee_id}")
    if not staff.active:
        raise ValidationError("assignee", f"{staff.name} is disabled")
    return staff


def _check_team(session: Session, team_id: int | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise ValidationError("team", f"no team with id {team_id}")


def insert_task(
    session: Session,
    actor: Actor | None,
    *,
    kind: str,
    title: str,
    case_id: int | None = None,
    person_id: int | None = None,
    due_date: date | None = None,
    priority: int = 3,
    assignee_id: int | None = None,
    team_id: int | None = None,
    office_id: int | None = None,
    details: str = "",
    status: str = TaskStatus.OPEN,
    source: str = "",
    about_name: str = "",
    about_dob: date | None = None,
) -> Task:
    """Validate and write a task with its audit event, without a permission check: for tasks the
    rules raise on behalf of the actor (enforcement, follow-ups, reviews due)."""
    if kind not in TASK_KINDS:
        raise ValidationError(
            "kind", f"unknown task kind {kind!r}; use one of {', '.join(TASK_KINDS)}"
        )
    if status not in ACTIVE_TASK_STATUSES:
        raise ValidationError("status", "a new task is open or untriaged")
    if due_date is not None and due_date.year < 1900:
        raise ValidationError("due_date", "is before 1900")
    if about_dob is not None and not date(1900, 1, 1) <= about_dob <= clock.today():
        raise ValidationError("date of birth", "must be between 1900 and today")
    case = get(session, CaseFile, case_id, "case") if case_id is not None else None
    if person_id is not None:
        get(session, Person, person_id, "person")
    elif case is not None:
        person_id = case.subject_id
    assignee = _check_assignee(session, assignee_id)
    _check_team(session, team_id)
    if team_id is None:
        team_id = (
            assignee.team_id
            if assignee is not None
            else case.team_id
            if case is not None and case.team_id is not None
            else actor.team_id
            if actor is not None
            else None
        )
    if office_id is None:
        office_id = (
            case.office_id
            if case is not None and case.office_id is not None
            else assignee.office_id
            if assignee is not None
            else actor.office_id
            if actor is not None
            else None
        )
    task = Task(
        kind=kind,
        title=clean_line("title", title),
        details=clean_notes("details", details, limit=5000),
        case_id=case_id,
        person_id=person_id,
        office_id=office_id,
        team_id=team_id,
        assignee_id=assignee_id,
        due_date=due_date,
        priority=check_priority(priority),
        status=status,
        source=clean_line("source", source, required=False, limit=200),
        about_name=clean_line("about", about_name, required=False, limit=200),
        about_dob=about_dob,
        updated_by_id=actor.id if actor else None,
    )
    session.add(task)
    session.flush()
    audit.record(
        session,
        actor,
        "task.create",
        "task",
        task.id,
        case_id=case_id,
        person_id=person_id,
        summary=f"{_label(task)}: {task.title}",
        after=audit.snapshot(task, TASK_FIELDS),
    )
    return task


def create_task(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    title: str,
    case_id: int | None = None,
    person_id: int | None = None,
    due_date: date | None = None,
    priority: int = 3,
    assignee_id: int | None = None,
    team_id: int | None = None,
    office_id: int | None = None,
    details: str = "",
    status: str = TaskStatus.OPEN,
    source: str = "",
    about_name: str = "",
    about_dob: date | None = None,
) -> TaskInfo:
    """Create a task. Incoming items (post, phone messages, walk-ins, referrals) start
    "untriaged" and may also be created by reception; the team defaults to the assignee's, else
    the case's, else the actor's."""
    if not (kind in INCOMING_KINDS and actor.has("reception.desk")):
        actor.require("task.work")
    if case_id is not None:
        case = get(session, CaseFile, case_id, "case")
        ensure_can_see(session, actor, case, "task")
        if kind not in INCOMING_KINDS:  # what arrives about a closed case is still recorded
            ensure_case_open(case, "add a task")
    made = insert_task(
        session,
        actor,
        kind=kind,
        title=title,
        case_id=case_id,
        person_id=person_id,
        due_date=due_date,
        priority=priority,
        assignee_id=assignee_id,
        team_id=team_id,
        office_id=office_id,
        details=details,
        status=status,
        source=source,
        about_name=about_name,
        about_dob=about_dob,
    )
    return TaskInfo.of(made)


def _load(
    session: Session, actor: Actor, task_id: int, expected_version: int | None
) -> tuple[Task, dict[str, object]]:
    task = get(session, Task, task_id, "task")
    if task.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, task.case_id, "case"), "task")
    check_version(session, task, expected_version, _label(task))
    return task, audit.snapshot(task, TASK_FIELDS)


def _finish(
    session: Session,
    actor: Actor,
    task: Task,
    before: dict[str, object],
    action: str,
    summary: str,
) -> TaskInfo:
    touch(task, actor.id)
    old, new = audit.changed(before, audit.snapshot(task, TASK_FIELDS))
    audit.record(
        session,
        actor,
        action,
        "task",
        task.id,
        case_id=task.case_id,
        person_id=task.person_id,
        summary=f"{_label(task)}: {summary}",
        before=old,
        after=new,
    )
    session.flush()
    return TaskInfo.of(task)


def _require_live(task: Task) -> None:
    if task.status in CLOSED_TASK_STATUSES:
        raise ValidationError("status", f"{_label(task)} is {task.status}; reopen it first")


def take_task(session: Session, actor: Actor, task_id: int) -> TaskInfo:
    """Take an open task that nobody holds. Exactly one of several people taking the same task
    at once wins (conditional UPDATE, row count checked); the others get AlreadyTakenError."""
    actor.require("task.work")
    task = get(session, Task, task_id, "task")
    if task.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, task.case_id, "case"), "task")
    result = session.execute(
        update(Task)
        .where(
            col(Task.id) == task_id,
            col(Task.status) == TaskStatus.OPEN,
            or_(col(Task.assignee_id).is_(None), col(Task.assignee_id) == actor.id),
        )
        .values(
            assignee_id=actor.id,
            version=col(Task.version) + 1,
            updated_at=clock.now(),
            updated_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    won = int(getattr(result, "rowcount", 0) or 0) == 1
    session.refresh(task)
    if not won:
        if task.assignee_id is not None and task.assignee_id != actor.id:
            raise AlreadyTakenError(task_id, staff_name(session, task.assignee_id))
        if task.status == TaskStatus.DONE:
            raise AlreadyTakenError(task_id, staff_name(session, task.completed_by_id))
        raise ValidationError("status", f"{_label(task)} is {task.status}, not open")
    audit.record(
        session,
        actor,
        "task.take",
        "task",
        task.id,
        case_id=task.case_id,
        person_id=task.person_id,
        summary=f"{_label(task)}: taken by {actor.name}",
        after={"assignee_id": actor.id},
    )
    return TaskInfo.of(task)


def assign_task(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    assignee_id: int | None = None,
    team_id: int | None = None,
    expected_version: int | None = None,
) -> TaskInfo:
    """Give a task to a person (their team unless another is named) or, with no assignee, back
    to a team's unallocated pile. Needs task.assign, except to hand on one's own task. Assigning
    an untriaged item opens it. The new assignee is notified."""
    task, before = _load(session, actor, task_id, expected_version)
    if task.assignee_id != actor.id:
        actor.require("task.assign")
    else:
        actor.require("task.work")
    _require_live(task)
    assignee = _check_assignee(session, assignee_id)
    _check_team(session, team_id)
    if team_id is None:
        team_id = assignee.team_id if assignee and assignee.team_id else task.team_id
    if assignee is None and team_id is None:
        raise ValidationError("team", "name a person or a team")
    task.assignee_id = assignee_id
    task.team_id = team_id
    if task.status == TaskStatus.UNTRIAGED:
        task.status = TaskStatus.OPEN
    whom = assignee.name if assignee else f"team {team_id} (unallocated)"
    if assignee is not None and assignee.id != actor.id:
        notify(
            session,
            recipient_id=assignee.id or 0,
            kind="task",
            text=f"{actor.name} gave you {_label(task)}",
            case_id=task.case_id,
        )
    return _finish(session, actor, task, before, "task.assign", f"assigned to {whom}")


def complete_task(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    outcome: str = "",
    on_behalf: bool = False,
    expected_version: int | None = None,
) -> TaskInfo:
    """Mark a task done with an optional outcome; a review it was raised for is done too. A task
    someone else holds may be completed by a manager of their team, or by anyone who confirms
    they did it on the holder's behalf (`on_behalf`, recorded on the task and in the journal);
    otherwise OnBehalfError."""
    actor.require("task.work")
    task, before = _load(session, actor, task_id, expected_version)
    if task.status == TaskStatus.DONE:
        raise ValidationError(
            "status",
            f"{_label(task)} was already done by {staff_name(session, task.completed_by_id)}",
        )
    _require_live(task)
    holder = _someone_elses(session, actor, task)
    theirs = holder is not None and not manages_team(actor.roles, actor.team_id, holder.team_id)
    if holder is not None and theirs and not on_behalf:
        raise OnBehalfError(task.id or 0, holder.name)
    task.status = TaskStatus.DONE
    task.outcome = clean_line("outcome", outcome, required=False)
    task.completed_at = clock.now()
    task.completed_by_id = actor.id
    task.completed_on_behalf = theirs
    for review in session.exec(
        select(ReviewSchedule).where(
            ReviewSchedule.raised_task_id == task.id, ReviewSchedule.status == ReviewStatus.RAISED
        )
    ).all():
        review.status = ReviewStatus.DONE
    said = task.outcome or "done"
    if holder is not None:
        said += f" ({'on behalf of' if theirs else 'as the team manager, for'} {holder.name})"
    return _finish(session, actor, task, before, "task.complete", said)


def _someone_elses(session: Session, actor: Actor, task: Task) -> Staff | None:
    """The member of staff holding the task, if it is not the actor."""
    if task.assignee_id is None or task.assignee_id == actor.id:
        return None
    return session.get(Staff, task.assignee_id)


def cancel_task(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    reason: str,
    expected_version: int | None = None,
) -> TaskInfo:
    """Close a task that needs no action (duplicate post, raised in error), with the reason."""
    actor.require("task.work")
    task, before = _load(session, actor, task_id, expected_version)
    _require_live(task)
    task.status = TaskStatus.CANCELLED
    task.outcome = clean_line("reason", reason)
    task.completed_at = clock.now()
    task.completed_by_id = actor.id
    return _finish(session, actor, task, before, "task.cancel", f"cancelled: {task.outcome}")


def bring_forward(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    due_date: date,
    expected_version: int | None = None,
) -> TaskInfo:
    """Move a task's due date (a bring-forward); the new date may not be in the past."""
    actor.require("task.work")
    task, before = _load(session, actor, task_id, expected_version)
    _require_live(task)
    if due_date < clock.today():
        raise ValidationError("due_date", "is in the past")
    task.due_date = due_date
    return _finish(session, actor, task, before, "task.bring_forward", f"due {due_date:%d/%m/%Y}")


def reopen_task(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    reason: str = "",
    expected_version: int | None = None,
) -> TaskInfo:
    """Reopen a done or cancelled task (it keeps its assignee)."""
    actor.require("task.work")
    task, before = _load(session, actor, task_id, expected_version)
    if task.status not in CLOSED_TASK_STATUSES:
        raise ValidationError("status", f"{_label(task)} is {task.status}, not closed")
    task.status = TaskStatus.OPEN
    task.completed_at = None
    task.completed_by_id = None
    task.outcome = ""
    task.completed_on_behalf = False
    why = clean_line("reason", reason, required=False)
    return _finish(session, actor, task, before, "task.reopen", f"reopened {why}".strip())


def set_task_priority(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    priority: int,
    expected_version: int | None = None,
) -> TaskInfo:
    """Set a task's priority: 1 urgent … 4 low."""
    actor.require("task.work")
    task, before = _load(session, actor, task_id, expected_version)
    _require_live(task)
    task.priority = check_priority(priority)
    return _finish(session, actor, task, before, "task.priority", f"priority {priority}")
