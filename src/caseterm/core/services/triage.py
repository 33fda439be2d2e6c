"""Triage: clearing incoming items (new referrals, post, phone messages, walk-ins) one at a time.

Incoming items are tasks with status `untriaged`. Each decision returns a `Decision` holding the
item's exact state before, so `undo` can put it back, repeatedly, back through a session. An
item brought forward stays untriaged and is hidden until its date. What is shown of one item,
with its duplicate suggestions, is `triage_suggestions.load_item` (also reachable here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlalchemy import case as sql_case
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from caseterm.core import clock
from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    ContactEntry,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonWarning,
    Staff,
    Task,
    Team,
)
from caseterm.core.models.vocab import CaseStatus, TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services import audit, cases, people
from caseterm.core.services.access import can_see
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.triage_suggestions import CaseSummary as CaseSummary
from caseterm.core.services.triage_suggestions import TriageItem as TriageItem
from caseterm.core.services.triage_suggestions import load_item as load_item
from caseterm.core.text import clean_line

TASK_STATE = (
    "kind",
    "title",
    "case_id",
    "person_id",
    "team_id",
    "assignee_id",
    "due_date",
    "priority",
    "status",
    "outcome",
    "completed_at",
    "completed_by_id",
    "triaged_at",
    "triaged_by_id",
)


@dataclass(frozen=True)
class Decision:
    """One triage decision: enough to describe it and to undo it exactly."""

    task_id: int
    action: str
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]
    finishes: bool  # the item left the incoming queue
    created_case_id: int | None = None
    created_person_id: int | None = None


def _incoming(actor: Actor, today: date) -> Any:
    q = select(Task).where(
        Task.status == TaskStatus.UNTRIAGED,
        or_(col(Task.due_date).is_(None), col(Task.due_date) <= today),
    )
    if actor.office_id is not None:
        q = q.where(or_(col(Task.office_id).is_(None), col(Task.office_id) == actor.office_id))
    return q


def _count_incoming(session: Session, actor: Actor) -> int:
    sub = _incoming(actor, clock.today()).subquery()
    return int(session.exec(select(func.count()).select_from(sub)).one())


@dataclass(frozen=True)
class IncomingCounts:
    """Why triage shows fewer items than the Incoming queue: the queue holds every untriaged
    item; triage deals with those due now at the user's office (or at none)."""

    due_here: int
    other_offices: int
    brought_forward: int

    @property
    def total(self) -> int:
        return self.due_here + self.other_offices + self.brought_forward

    def why_fewer(self) -> str:
        """ "" when triage shows them all, else e.g. "of 40 incoming: 25 at other offices, 5
        brought forward"."""
        parts = []
        if self.other_offices:
            parts.append(f"{self.other_offices} at other offices")
        if self.brought_forward:
            parts.append(f"{self.brought_forward} brought forward")
        return f"of {self.total} incoming: {', '.join(parts)}" if parts else ""


def incoming_counts(session: Session, actor: Actor) -> IncomingCounts:
    """The untriaged items split as triage sees them (counts only, no item content)."""
    today = clock.today()
    here = (
        or_(col(Task.office_id).is_(None), col(Task.office_id) == actor.office_id)
        if actor.office_id is not None
        else col(Task.id).is_not(None)
    )
    later = col(Task.due_date) > today
    rows = session.execute(
        select_columns(
            func.count(),
            func.sum(sql_case((here, 0), else_=1)),
            func.sum(sql_case((and_(here, later), 1), else_=0)),
        ).where(col(Task.status) == TaskStatus.UNTRIAGED)
    ).one()
    total, elsewhere, forward = int(rows[0] or 0), int(rows[1] or 0), int(rows[2] or 0)
    return IncomingCounts(total - elsewhere - forward, elsewhere, forward)


def next_items(
    session: Session, actor: Actor, *, skip: frozenset[int] = frozenset(), limit: int = 2
) -> list[Task]:
    """The next incoming items, most urgent first, oldest first; skipped ones left out."""
    actor.require("task.work")
    q = _incoming(actor, clock.today())
    if skip:
        q = q.where(col(Task.id).not_in(skip))
    q = q.order_by(col(Task.priority), col(Task.created_at), col(Task.id)).limit(limit)
    return list(session.exec(q).all())


def _state(task: Task) -> dict[str, Any]:
    return {k: getattr(task, k) for k in TASK_STATE}


def _begin(
    session: Session, actor: Actor, task_id: int, expected_version: int | None
) -> tuple[Task, dict[str, Any]]:
    actor.require("task.work")
    task = get(session, Task, task_id, "task")
    if task.status != TaskStatus.UNTRIAGED:
        raise ValidationError("task", f"item {task_id} was already dealt with ({task.status})")
    if expected_version is not None and task.version != expected_version:
        raise StaleEditError(
            f"item {task_id}", staff_name(session, task.updated_by_id), task.updated_at
        )
    return task, _state(task)


def _finish_item(task: Task, actor: Actor) -> None:
    task.status = TaskStatus.OPEN
    task.triaged_at = clock.now()
    task.triaged_by_id = actor.id


def _decided(
    session: Session,
    actor: Actor,
    task: Task,
    before: dict[str, Any],
    action: str,
    summary: str,
    *,
    finishes: bool,
    created_case_id: int | None = None,
    created_person_id: int | None = None,
) -> Decision:
    task.updated_at = clock.now()
    task.updated_by_id = actor.id
    session.add(task)
    session.flush()
    old, new = audit.changed(audit.snapshot_dict(before), audit.snapshot_dict(_state(task)))
    audit.record(
        session,
        actor,
        f"triage.{action}",
        "task",
        task.id,
        case_id=task.case_id,
        person_id=task.person_id,
        summary=f"item {task.id}: {summary}",
        before=old,
        after=new,
    )
    return Decision(
        task_id=task.id or 0,
        action=action,
        summary=summary,
        before=before,
        after=_state(task),
        finishes=finishes,
        created_case_id=created_case_id,
        created_person_id=created_person_id,
    )


def assign(
    session: Session,
    actor: Actor,
    task_id: int,
    *,
    assignee_id: int | None = None,
    team_id: int | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Give the item to a member of staff or a team; it leaves incoming as an open task."""
    task, before = _begin(session, actor, task_id, expected_version)
    if assignee_id is None and team_id is None:
        raise ValidationError("assignee", "choose a person or a team")
    if assignee_id is not None:
        who = session.get(Staff, assignee_id)
        if who is None or not who.active:
            raise ValidationError("assignee", f"no active member of staff with id {assignee_id}")
        task.assignee_id = assignee_id
        task.team_id = who.team_id if team_id is None else team_id
        label = who.name
    else:
        team = session.get(Team, team_id)
        if team is None:
            raise ValidationError("team", f"no team with id {team_id}")
        task.team_id = team_id
        task.assignee_id = None
        label = team.name
    _finish_item(task, actor)
    return _decided(session, actor, task, before, "assign", f"assigned to {label}", finishes=True)


def route(
    session: Session,
    actor: Actor,
    task_id: int,
    *,
    kind: str,
    team_id: int | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Route the item to a work queue: it becomes an open task of `kind` (for `team_id`)."""
    task, before = _begin(session, actor, task_id, expected_version)
    if kind not in TASK_KINDS:
        raise ValidationError("kind", f"unknown queue {kind!r}")
    if team_id is not None and session.get(Team, team_id) is None:
        raise ValidationError("team", f"no team with id {team_id}")
    task.kind = kind
    task.team_id = team_id if team_id is not None else (task.team_id or actor.team_id)
    _finish_item(task, actor)
    return _decided(
        session, actor, task, before, "route", f"routed to {TASK_KINDS[kind]}", finishes=True
    )


def set_priority(
    session: Session,
    actor: Actor,
    task_id: int,
    priority: int,
    *,
    expected_version: int | None = None,
) -> Decision:
    """Set the item's priority (1 urgent … 4 low); it stays in the incoming queue."""
    task, before = _begin(session, actor, task_id, expected_version)
    task.priority = cases.check_priority(priority)
    return _decided(
        session, actor, task, before, "priority", f"priority {priority}", finishes=False
    )


def link(
    session: Session,
    actor: Actor,
    task_id: int,
    *,
    person_id: int | None = None,
    case_id: int | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Link the item to an existing person and/or case (a case brings its subject); it stays."""
    task, before = _begin(session, actor, task_id, expected_version)
    if case_id is not None:
        case = get(session, CaseFile, case_id, "case")
        if not can_see(session, actor, case):
            raise ValidationError("case", f"{case.reference} is restricted; refer it to its owner")
        task.case_id = case_id
        task.person_id = case.subject_id
        label = case.reference
    elif person_id is not None:
        person = get(session, Person, person_id, "person")
        task.person_id = person_id
        label = person.full_name
        only = _open_cases_of(session, actor, person_id)
        if len(only) == 1:  # their one open case: the item belongs on it (and its Tasks)
            task.case_id = only[0].id
            label = f"{label} ({only[0].reference})"
    else:
        raise ValidationError("link", "choose a person or a case")
    return _decided(session, actor, task, before, "link", f"linked to {label}", finishes=False)


OPEN_CASE_STATUSES = (CaseStatus.REFERRAL, CaseStatus.OPEN, CaseStatus.TRANSFER_PENDING)


def _open_cases_of(session: Session, actor: Actor, person_id: int) -> list[CaseFile]:
    """The person's open cases the actor may see, newest first: where a linked item belongs."""
    rows = session.exec(
        select(CaseFile)
        .where(
            CaseFile.subject_id == person_id,
            col(CaseFile.status).in_(OPEN_CASE_STATUSES),
        )
        .order_by(col(CaseFile.id).desc())
    ).all()
    return [c for c in rows if can_see(session, actor, c)]


def open_case_from(
    session: Session,
    actor: Actor,
    task_id: int,
    *,
    case_type: str,
    person_id: int | None = None,
    new_person: people.PersonInput | None = None,
    owner_id: int | None = None,
    team_id: int | None = None,
    expected_version: int | None = None,
    create_anyway: bool = False,
) -> Decision:
    """Open a new case from the item (for a linked or new person); the item becomes an open task
    on that case. A new person who may already have a record is refused
    (people.LikelyDuplicateError) unless the user confirmed `create_anyway`."""
    actor.require("case.write")
    task, before = _begin(session, actor, task_id, expected_version)
    created_person: int | None = None
    subject = person_id or task.person_id
    if subject is None:
        if new_person is None:
            raise ValidationError("person", "link a person first or give the new person's name")
        person = people.create_person(session, actor, new_person, create_anyway=create_anyway)
        subject = created_person = person.id
    assert subject is not None
    case = cases.open_case(
        session,
        actor,
        case_type=case_type,
        subject_id=subject,
        owner_id=owner_id,
        team_id=team_id,  # None: the type's usual team at the user's office
        status=CaseStatus.OPEN,
    )
    task.case_id = case.id
    task.person_id = subject
    task.team_id = task.team_id or case.team_id
    _finish_item(task, actor)
    return _decided(
        session,
        actor,
        task,
        before,
        "open_case",
        f"opened {case.reference}",
        finishes=True,
        created_case_id=case.id,
        created_person_id=created_person,
    )


def bring_forward(
    session: Session, actor: Actor, task_id: int, due: date, *, expected_version: int | None = None
) -> Decision:
    """Put the item aside until `due`: it stays incoming but is hidden until then."""
    task, before = _begin(session, actor, task_id, expected_version)
    if due <= clock.today():
        raise ValidationError("due_date", "bring forward to a date after today")
    task.due_date = due
    return _decided(
        session,
        actor,
        task,
        before,
        "bring_forward",
        f"brought forward to {due:%d/%m/%Y}",
        finishes=True,
    )


def close_no_action(
    session: Session,
    actor: Actor,
    task_id: int,
    reason: str = "",
    *,
    expected_version: int | None = None,
) -> Decision:
    """Close the item with no further action (the reason is kept on the task)."""
    task, before = _begin(session, actor, task_id, expected_version)
    task.status = TaskStatus.DONE
    task.outcome = clean_line("reason", reason or "no action needed", limit=300)
    task.completed_at = clock.now()
    task.completed_by_id = actor.id
    task.triaged_at = clock.now()
    task.triaged_by_id = actor.id
    return _decided(session, actor, task, before, "close", f"closed: {task.outcome}", finishes=True)


def undo(session: Session, actor: Actor, decision: Decision) -> Task:
    """Put the item back exactly as it was before `decision`. A case (and person) the decision
    opened is removed, provided nothing else has been recorded on it since; the audit journal
    keeps both the decision and its undoing."""
    actor.require("task.work")
    task = get(session, Task, decision.task_id, "task")
    # Undoing a later decision first brings the item back to this one's outcome; anything else
    # means someone has changed the item since.
    if _state(task) != decision.after:
        raise StaleEditError(
            f"item {task.id}", staff_name(session, task.updated_by_id), task.updated_at
        )
    after = _state(task)
    for key, value in decision.before.items():
        setattr(task, key, value)
    task.updated_at = clock.now()
    task.updated_by_id = actor.id
    session.add(task)
    session.flush()
    removed = []
    if decision.created_case_id is not None:
        removed.append(_remove_created_case(session, decision.created_case_id, task.id or 0))
    if decision.created_person_id is not None:
        _remove_created_person(session, decision.created_person_id)
        removed.append(f"person {decision.created_person_id}")
    old, new = audit.changed(audit.snapshot_dict(after), audit.snapshot_dict(_state(task)))
    audit.record(
        session,
        actor,
        "triage.undo",
        "task",
        task.id,
        case_id=decision.created_case_id or task.case_id,
        person_id=task.person_id,
        summary=f"item {task.id}: undid '{decision.summary}'"
        + (f"; removed {', '.join(removed)}" if removed else ""),
        before=old,
        after=new,
    )
    return task


def _remove_created_case(session: Session, case_id: int, task_id: int) -> str:
    case = get(session, CaseFile, case_id, "case")
    used = (
        session.exec(
            select(func.count()).select_from(ContactEntry).where(ContactEntry.case_id == case_id)
        ).one()
        + session.exec(
            select(func.count()).select_from(Appointment).where(Appointment.case_id == case_id)
        ).one()
        + session.exec(
            select(func.count())
            .select_from(Task)
            .where(Task.case_id == case_id, col(Task.id) != task_id)
        ).one()
    )
    if used:
        raise ValidationError(
            "undo", f"{case.reference} has had work recorded on it since; close it instead"
        )
    session.delete(case)
    session.flush()
    return case.reference


def _remove_created_person(session: Session, person_id: int) -> None:
    in_use = session.exec(
        select(func.count()).select_from(CaseFile).where(CaseFile.subject_id == person_id)
    ).one()
    if in_use:
        raise ValidationError("undo", "the new person is now the subject of a case")
    for model in (PersonName, PersonIdentifier, PersonContact, PersonWarning):
        session.execute(delete(model).where(col(model.person_id) == person_id))
    session.delete(get(session, Person, person_id, "person"))
    session.flush()


def _decided_since(session: Session, actor: Actor, since: datetime) -> int:
    """How many incoming items `actor` has decided since `since` (for the throughput counter)."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Task)
            .where(Task.triaged_by_id == actor.id, col(Task.triaged_at) >= since)
        ).one()
    )
