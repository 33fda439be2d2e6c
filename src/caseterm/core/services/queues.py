"""Queues: named views over tasks, built in or saved by a user, counted and paged from SQL.

A queue is one or more disjoint "arms", each a plain filter on `task`; how arms are counted and
paged in queue order (due date, priority, id) is `queue_paging`.

`reception_waiting` is not over tasks: it lists today's arrived appointments at the actor's
office (the visitors waiting), as rows with `appointment_id` set and `task_id` 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    CaseType,
    Office,
    Person,
    Staff,
    Task,
)
from caseterm.core.models.vocab import (
    ACTIVE_TASK_STATUSES,
    AppointmentStatus,
    TaskKind,
    TaskStatus,
)
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, TASK_KINDS
from caseterm.core.services import queue_paging, saved_queues
from caseterm.core.services.access import can_see, hidden_restricted
from caseterm.core.services.identity import Actor
from caseterm.core.services.queue_paging import Where
from caseterm.core.services.saved_queues import SAVED_PREFIX, QueueFilter


@dataclass
class QueueDef:
    key: str
    name: str
    description: str
    builtin: bool = True


BUILTIN_QUEUES: tuple[QueueDef, ...] = (
    QueueDef("my_work", "My work", "Open tasks assigned to me"),
    QueueDef("team_unallocated", "Team unallocated", "Open tasks for my team with nobody on them"),
    QueueDef("incoming", "Incoming", "Post, messages, referrals and walk-ins awaiting triage"),
    QueueDef("due_today", "Due today", "Mine and my team's unallocated, due today or overdue"),
    QueueDef("reception_waiting", "Reception waiting", "Visitors arrived today at my office"),
    QueueDef("checks", "Checks awaiting me", "Check requests assigned to me"),
    QueueDef("enforcement", "Enforcement", "Open enforcement actions for my team"),
    QueueDef("office_duty", "Office duty", "Walk-ins at my office that nobody has taken"),
    QueueDef("deadlines", "Deadlines", "Statutory deadlines falling due: my team's and mine"),
    QueueDef("suspense", "Suspense", "Money in suspense to trace, apply or refund: my team's"),
)
_BUILTIN_KEYS = {q.key: q for q in BUILTIN_QUEUES}


@dataclass
class QueueSummary:
    key: str
    name: str
    count: int
    overdue: int
    builtin: bool
    shared: bool = False
    owner_name: str = ""


@dataclass
class TaskRow:
    task_id: int
    kind: str
    title: str
    due_date: date | None
    priority: int
    status: str
    case_id: int | None
    case_reference: str
    subject_name: str
    assignee_name: str
    overdue: bool
    restricted: bool
    version: int
    appointment_id: int | None = None  # set on reception_waiting rows (task_id is then 0)
    office_code: str = ""  # the task's office (an incoming item: where it arrived), "" if none


# ---------------------------------------------------------------- which tasks a queue holds


def _builtin_arms(actor: Actor, key: str, today: date) -> list[Where]:
    mine: Where = [col(Task.assignee_id) == actor.id, col(Task.status) == TaskStatus.OPEN]
    team_free: Where = (
        [
            col(Task.team_id) == actor.team_id,
            col(Task.status) == TaskStatus.OPEN,
            col(Task.assignee_id).is_(None),
        ]
        if actor.team_id is not None
        else []
    )
    due: ColumnElement[bool] = col(Task.due_date) <= today
    if key == "my_work":
        return [mine]
    if key == "team_unallocated":
        return [team_free] if team_free else []
    if key == "incoming":
        return [[col(Task.status) == TaskStatus.UNTRIAGED]]
    if key == "due_today":
        return [[*mine, due]] + ([[*team_free, due]] if team_free else [])
    if key == "checks":
        return [[*mine, col(Task.kind) == TaskKind.CHECK_REQUEST]]
    if key == "enforcement":
        if actor.team_id is None:
            return []
        return [
            [
                col(Task.team_id) == actor.team_id,
                col(Task.status) == TaskStatus.OPEN,
                col(Task.kind) == TaskKind.ENFORCEMENT,
            ]
        ]
    if key == "office_duty":
        if actor.office_id is None:
            return []
        return [
            [
                col(Task.office_id) == actor.office_id,
                col(Task.status) == TaskStatus.OPEN,
                col(Task.assignee_id).is_(None),
                col(Task.kind) == TaskKind.WALK_IN,
            ]
        ]
    if key == "deadlines":
        return _deadline_arms(actor)
    if key == "suspense":
        return _kind_arms(actor, TaskKind.SUSPENSE)
    raise NotFoundError("queue", key)


def _deadline_arms(actor: Actor) -> list[Where]:
    """Tasks a statutory clock raised: the team's, and mine outside the team (disjoint)."""
    deadline: Where = [col(Task.status) == TaskStatus.OPEN, col(Task.kind) == TaskKind.DEADLINE]
    mine: Where = [*deadline, col(Task.assignee_id) == actor.id]
    if actor.team_id is None:
        return [mine]
    other_team = or_(col(Task.team_id).is_(None), col(Task.team_id) != actor.team_id)
    return [[*deadline, col(Task.team_id) == actor.team_id], [*mine, other_team]]


def _kind_arms(actor: Actor, kind: str) -> list[Where]:
    """Open tasks of one kind: the team's, and mine outside the team (disjoint)."""
    of_kind: Where = [col(Task.status) == TaskStatus.OPEN, col(Task.kind) == kind]
    mine: Where = [*of_kind, col(Task.assignee_id) == actor.id]
    if actor.team_id is None:
        return [mine]
    other_team = or_(col(Task.team_id).is_(None), col(Task.team_id) != actor.team_id)
    return [[*of_kind, col(Task.team_id) == actor.team_id], [*mine, other_team]]


def _filter_arms(session: Session, actor: Actor, flt: QueueFilter, today: date) -> list[Where]:
    where: Where = []
    if flt.status is not None:
        where.append(col(Task.status) == flt.status)
    if flt.assignee == "me":
        where.insert(0, col(Task.assignee_id) == actor.id)
    elif flt.assignee == "team":
        if actor.team_id is None:
            return []
        where.insert(0, col(Task.team_id) == actor.team_id)
    elif flt.assignee == "none":
        where.insert(0, col(Task.assignee_id).is_(None))
    if flt.kinds:
        where.append(col(Task.kind).in_(flt.kinds))
    if flt.due_within_days is not None:
        where.append(col(Task.due_date) <= today + timedelta(days=flt.due_within_days))
    if flt.case_type:
        case_ids = (
            select(CaseFile.id)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == flt.case_type)
        )
        where.append(col(Task.case_id).in_(case_ids))
    return [where]


def _arms(session: Session, actor: Actor, key: str, today: date) -> list[Where]:
    if key.startswith(SAVED_PREFIX):
        return _filter_arms(session, actor, saved_queues.saved_filter(session, actor, key), today)
    return _builtin_arms(actor, key, today)


# ---------------------------------------------------------------- counting


def _count(session: Session, actor: Actor, key: str, today: date) -> tuple[int, int]:
    if key == "reception_waiting":
        return _count_waiting(session, actor, today)
    pairs = [queue_paging.count_arm(session, w, today) for w in _arms(session, actor, key, today)]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def queue_totals(session: Session, actor: Actor, key: str) -> tuple[int, int]:
    """How many items the queue holds for this actor, and how many of them are overdue."""
    return _count(session, actor, key, clock.today())


def queue_count(session: Session, actor: Actor, key: str) -> int:
    """How many items the queue holds for this actor."""
    return queue_totals(session, actor, key)[0]


def list_queues(session: Session, actor: Actor) -> list[QueueSummary]:
    """The built-in queues, then the actor's saved queues and those others shared, with counts
    and how many are overdue."""
    today = clock.today()
    out: list[QueueSummary] = []
    for q in BUILTIN_QUEUES:
        total, late = _count(session, actor, q.key, today)
        out.append(QueueSummary(q.key, q.name, total, late, True))
    for saved in saved_queues.visible_saved_queues(session, actor):
        total, late = _count(session, actor, saved.key, today)
        theirs = saved.owner_id != actor.id
        out.append(
            QueueSummary(
                saved.key,
                saved.name,
                total,
                late,
                False,
                saved.shared,
                saved.owner_name if theirs else "",
            )
        )
    return out


# ---------------------------------------------------------------- paging


def queue_page(
    session: Session, actor: Actor, *, key: str, offset: int = 0, limit: int = 100
) -> list[TaskRow]:
    """One page of a queue, in queue order (overdue/earliest due first, priority, id)."""
    if key == "reception_waiting":
        return _waiting_page(session, actor, offset, limit)
    today = clock.today()
    arms = _arms(session, actor, key, today)
    return task_rows(
        session,
        actor,
        tasks=queue_paging.tasks_page(session, arms, max(0, offset), limit, None),
        today=today,
    )


def _queue_page_after(
    session: Session, actor: Actor, *, key: str, after: TaskRow | None, limit: int = 100
) -> list[TaskRow]:
    """The page following `after` (keyset paging: as fast at the end of a long queue as at the
    start, and stable while others take tasks). `after=None` gives the first page."""
    if key == "reception_waiting":
        return _waiting_page(session, actor, 0, limit, after)
    if after is None:
        return queue_page(session, actor, key=key, limit=limit)
    today = clock.today()
    arms = _arms(session, actor, key, today)
    mark: queue_paging.SortKey = (
        0 if after.due_date is not None else 1,
        after.due_date or date.min,
        after.priority,
        after.task_id,
    )
    return task_rows(
        session, actor, tasks=queue_paging.tasks_page(session, arms, 0, limit, mark), today=today
    )


def queue_chunks(
    session: Session, actor: Actor, *, key: str, chunk: int = 2000
) -> Iterator[list[TaskRow]]:
    """Every item of queue `key` in queue order, `chunk` rows at a time, read in one pass
    (`queue_paging.tasks_stream`): for writing a whole queue to a file."""
    if key == "reception_waiting":  # a day's arrivals: a page or two
        after = None
        while page := _queue_page_after(session, actor, key=key, after=after, limit=chunk):
            yield page
            if len(page) < chunk:
                return
            after = page[-1]
        return
    today = clock.today()
    arms = _arms(session, actor, key, today)
    for tasks in queue_paging.tasks_stream(session, arms, chunk):
        yield task_rows(session, actor, tasks=tasks, today=today)


def task_rows(
    session: Session, actor: Actor, *, tasks: list[Task], today: date | None = None
) -> list[TaskRow]:
    """Display rows for tasks: case reference, subject and assignee names; tasks on restricted
    cases the actor may not see say whom to ask instead of the subject, and only their kind."""
    today = today or clock.today()
    case_ids = {t.case_id for t in tasks if t.case_id is not None}
    # The few columns a row shows, as plain rows (no ORM objects: a page of 2,000 in an export).
    shown = [col(CaseFile.id), col(CaseFile.reference), col(CaseFile.subject_id)]
    shown += [col(CaseFile.owner_id), col(CaseFile.admin_owner_id), col(CaseFile.restricted)]
    cases: dict[int, Any] = (
        {c.id: c for c in session.execute(sa_select(*shown).where(col(CaseFile.id).in_(case_ids)))}
        if case_ids
        else {}
    )
    person_ids = {c.subject_id for c in cases.values()} | {
        t.person_id for t in tasks if t.person_id is not None
    }
    people = _names(session, Person, person_ids)
    staff_ids = {t.assignee_id for t in tasks if t.assignee_id is not None} | {
        c.owner_id for c in cases.values() if c.owner_id is not None
    }
    staff = _names(session, Staff, staff_ids)
    # Restricted cases not the actor's own: whether each may be seen, in one query.
    hidden = hidden_restricted(
        session,
        actor,
        cases=((cid, c.restricted, c.owner_id, c.admin_owner_id) for cid, c in cases.items()),
    )
    office_ids = {t.office_id for t in tasks if t.office_id is not None}
    offices = (
        {
            office_id: code
            for office_id, code in session.exec(
                select(Office.id, Office.code).where(col(Office.id).in_(office_ids))
            )
        }
        if office_ids
        else {}
    )
    rows = []
    for t in tasks:
        c = cases.get(t.case_id) if t.case_id is not None else None
        restricted = t.case_id in hidden
        if c is not None and restricted:
            ask = staff.get(c.owner_id or 0, "the duty manager")
            subject, title = f"Restricted — ask {ask}", TASK_KINDS.get(t.kind, t.kind)
        else:
            who = c.subject_id if c is not None else t.person_id
            subject, title = people.get(who or 0, ""), t.title
            if not subject and t.about_name:
                subject = f"({t.about_name})"  # as written on an item nobody has linked yet
        rows.append(
            TaskRow(
                task_id=t.id or 0,
                kind=t.kind,
                title=title,
                due_date=t.due_date,
                priority=t.priority,
                status=t.status,
                case_id=t.case_id,
                case_reference=c.reference if c is not None else "",
                subject_name=subject,
                assignee_name=staff.get(t.assignee_id or 0, ""),
                overdue=t.due_date is not None
                and t.due_date < today
                and t.status in ACTIVE_TASK_STATUSES,
                restricted=restricted,
                version=t.version,
                office_code=offices.get(t.office_id or 0, ""),
            )
        )
    return rows


def _names(session: Session, model: type[Person] | type[Staff], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    if model is Person:
        return {
            pid or 0: f"{given} {family}".strip()
            for pid, given, family in session.exec(
                select(Person.id, Person.given_name, Person.family_name).where(
                    col(Person.id).in_(ids)
                )
            ).all()
        }
    return {
        sid or 0: name
        for sid, name in session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(ids)))
    }


# ---------------------------------------------------------------- reception waiting


def _waiting_where(actor: Actor, today: date) -> Where:
    start = datetime.combine(today, time.min)
    return [
        col(Appointment.office_id) == actor.office_id,
        col(Appointment.starts_at) >= start,
        col(Appointment.starts_at) < start + timedelta(days=1),
        col(Appointment.status) == AppointmentStatus.ARRIVED,
    ]


def _count_waiting(session: Session, actor: Actor, today: date) -> tuple[int, int]:
    if actor.office_id is None:
        return 0, 0
    late = func.sum(case((col(Appointment.starts_at) < clock.now(), 1), else_=0))
    total, overdue = session.exec(
        select(func.count(), late).select_from(Appointment).where(*_waiting_where(actor, today))
    ).one()
    return int(total or 0), int(overdue or 0)


def _waiting_page(
    session: Session, actor: Actor, offset: int, limit: int, after: TaskRow | None = None
) -> list[TaskRow]:
    """Arrived visitors, earliest arrival first. `overdue` means their time has passed."""
    if actor.office_id is None:
        return []
    today = clock.today()
    q = select(Appointment).where(*_waiting_where(actor, today))
    if after is not None and after.appointment_id is not None:
        q = q.where(col(Appointment.id) > after.appointment_id)
    appts = list(
        session.exec(q.order_by(col(Appointment.id)).offset(max(0, offset)).limit(limit)).all()
    )
    case_ids = {a.case_id for a in appts if a.case_id is not None}
    cases = (
        {c.id: c for c in session.exec(select(CaseFile).where(col(CaseFile.id).in_(case_ids)))}
        if case_ids
        else {}
    )
    people = _names(session, Person, {a.person_id for a in appts if a.person_id is not None})
    staff = _names(
        session,
        Staff,
        {a.staff_id for a in appts} | {c.owner_id for c in cases.values() if c.owner_id},
    )
    now = clock.now()
    rows = []
    for a in appts:
        c = cases.get(a.case_id) if a.case_id is not None else None
        hidden = c is not None and c.restricted and not can_see(session, actor, c)
        arrived = f"arrived {a.arrived_at:%H:%M}" if a.arrived_at else "arrived"
        kind = APPOINTMENT_KINDS.get(a.kind, a.kind).lower()
        rows.append(
            TaskRow(
                task_id=0,
                kind="arrival",
                title=f"{a.starts_at:%H:%M} {kind} with {staff.get(a.staff_id, '?')} ({arrived})",
                due_date=a.starts_at.date(),
                priority=3,
                status=a.status,
                case_id=a.case_id,
                case_reference="" if hidden or c is None else c.reference,
                subject_name=("Restricted" if hidden else people.get(a.person_id or 0, "")),
                assignee_name=staff.get(a.staff_id, ""),
                overdue=a.starts_at < now,
                restricted=hidden,
                version=a.version,
                appointment_id=a.id,
            )
        )
    return rows


# ---------------------------------------------------------------- definitions


def _queue_def(session: Session, actor: Actor, key: str) -> QueueDef:
    """The name and description of a queue key (built-in or saved)."""
    if key in _BUILTIN_KEYS:
        return _BUILTIN_KEYS[key]
    saved = saved_queues.saved_queue(session, actor, key)
    return QueueDef(key, saved.name, saved_queues.describe_filter(saved.filter), builtin=False)
