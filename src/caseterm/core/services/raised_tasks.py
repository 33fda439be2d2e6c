"""Tasks the rules raise on a case for its owner: a failure-to-attend follow-up after each
failure to attend, and an enforcement action when unacceptable absences reach the case type's
limit (the breach rule in `rules/enforcement.py`)."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseFile, CaseType, ContactEntry, Staff, Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, TaskKind, TaskStatus
from caseterm.core.rules import enforcement
from caseterm.core.rules.catalogue import TASK_KINDS, UNACCEPTABLE_OUTCOMES
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.services.tasks import insert_task

ENFORCEMENT_SOURCE = "contact_entry:"  # Task.source of an enforcement task: the last absence
WITHDRAWN = "Withdrawn: "  # how a withdrawn task's outcome starts (its absences count again)


def active_owner(session: Session, case: CaseFile) -> int | None:
    """The case owner to give a rule-raised task to; None (the team's pile) if they are gone."""
    owner = session.get(Staff, case.owner_id) if case.owner_id is not None else None
    return owner.id if owner is not None and owner.active else None


def raise_fta_follow_up(session: Session, actor: Actor, *, case: CaseFile, entry_id: int) -> Task:
    """A failure to attend: the case owner must find out why (acceptable or not) within
    FTA_FOLLOW_UP_WORKING_DAYS working days."""
    task = insert_task(
        session,
        actor,
        kind=TaskKind.FTA_FOLLOW_UP,
        title=f"Failed to attend: follow up ({case.reference})",
        case_id=case.id,
        assignee_id=active_owner(session, case),
        team_id=case.team_id,
        due_date=add_working_days(clock.today(), enforcement.FTA_FOLLOW_UP_WORKING_DAYS),
        priority=2,
        source=f"{ENFORCEMENT_SOURCE}{entry_id}",
    )
    if case.owner_id is not None and case.owner_id != actor.id:
        notify(
            session,
            recipient_id=case.owner_id,
            kind="fta",
            text=f"{case.reference}: failed to attend",
            case_id=case.id,
        )
    return task


def raise_enforcement_if_due(session: Session, actor: Actor, case_id: int) -> Task | None:
    """Apply the breach rule (rules/enforcement.py) to a case's contact log: when unacceptable
    absences within the case type's window reach its limit, raise one enforcement task for the
    case owner. Absences counted towards an earlier enforcement task never count again, so a
    breach is raised once. Corrected (superseded) entries are judged by their correction."""
    case = get(session, CaseFile, case_id, "case")
    ct = get(session, CaseType, case.case_type_id, "case type")
    if ct.fta_limit <= 0:
        return None
    superseded = select(ContactEntry.supersedes_id).where(
        ContactEntry.case_id == case_id, col(ContactEntry.supersedes_id).is_not(None)
    )
    rows = session.exec(
        select(ContactEntry.id, ContactEntry.occurred_at).where(
            ContactEntry.case_id == case_id,
            col(ContactEntry.outcome).in_(UNACCEPTABLE_OUTCOMES),
            col(ContactEntry.id).not_in(superseded),
        )
    ).all()
    absences = [enforcement.Absence(entry_id or 0, at) for entry_id, at in rows]
    breach = enforcement.find_breach(
        absences,
        limit=ct.fta_limit,
        window_months=ct.fta_window_months,
        after_entry_id=_last_breach_entry(session, case_id),
    )
    if breach is None:
        return None
    task = insert_task(
        session,
        actor,
        kind=TaskKind.ENFORCEMENT,
        title=(
            f"Enforcement: {len(breach.absences)} unacceptable absences within "
            f"{ct.fta_window_months} months ({case.reference})"
        ),
        case_id=case_id,
        assignee_id=active_owner(session, case),
        team_id=case.team_id,
        due_date=add_working_days(clock.today(), enforcement.ENFORCEMENT_DUE_WORKING_DAYS),
        priority=1,
        details="Absences: "
        + ", ".join(f"{a.occurred_at:%d/%m/%Y %H:%M}" for a in breach.absences),
        source=f"{ENFORCEMENT_SOURCE}{breach.last_entry_id}",
    )
    if case.owner_id is not None:
        notify(
            session,
            recipient_id=case.owner_id,
            kind="enforcement",
            text=f"{case.reference}: enforcement action due",
            case_id=case_id,
        )
    return task


def withdraw_raised_tasks(
    session: Session, actor: Actor, *, entry: ContactEntry, reason: str
) -> list[int]:
    """An absence was corrected: cancel the still-open tasks it raised (its failure-to-attend
    follow-up, and an enforcement task whose breach it was part of), saying why. Their absences
    count again towards a breach: the caller runs the breach rule on the corrected log."""
    case = get(session, CaseFile, entry.case_id, "case")
    ct = get(session, CaseType, case.case_type_id, "case type")
    live = session.exec(
        select(Task).where(
            Task.case_id == entry.case_id,
            col(Task.kind).in_((TaskKind.FTA_FOLLOW_UP, TaskKind.ENFORCEMENT)),
            col(Task.status).in_(ACTIVE_TASK_STATUSES),
            col(Task.source).startswith(ENFORCEMENT_SOURCE),
        )
    ).all()
    withdrawn: list[int] = []
    for task in live:
        raw = task.source[len(ENFORCEMENT_SOURCE) :]
        source_id = int(raw) if raw.isdigit() else 0
        if task.kind == TaskKind.FTA_FOLLOW_UP:
            hit = source_id == entry.id
        else:
            last = session.get(ContactEntry, source_id)
            hit = last is not None and (
                source_id == entry.id
                or (
                    (entry.id or 0) < source_id
                    and entry.occurred_at
                    >= enforcement.window_start(last.occurred_at, ct.fta_window_months)
                )
            )
        if not hit:
            continue
        before = task.status
        task.status = TaskStatus.CANCELLED
        task.outcome = (WITHDRAWN + reason)[:300]
        task.completed_at = clock.now()
        task.completed_by_id = actor.id
        task.updated_at = clock.now()
        task.updated_by_id = actor.id
        session.add(task)
        session.flush()
        audit.record(
            session,
            actor,
            "task.withdraw",
            "task",
            task.id,
            case_id=task.case_id,
            person_id=task.person_id,
            summary=f"task {task.id} ({TASK_KINDS.get(task.kind, task.kind)}) withdrawn: {reason}",
            before={"status": before},
            after={"status": task.status, "outcome": task.outcome},
        )
        withdrawn.append(task.id or 0)
    return withdrawn


def _last_breach_entry(session: Session, case_id: int) -> int:
    sources = session.exec(
        select(Task.source).where(
            Task.case_id == case_id,
            Task.kind == TaskKind.ENFORCEMENT,
            # A withdrawn enforcement (an absence of its breach was corrected) spends nothing.
            or_(
                col(Task.status) != TaskStatus.CANCELLED,
                ~col(Task.outcome).startswith(WITHDRAWN),
            ),
        )
    ).all()
    ids = [
        int(s[len(ENFORCEMENT_SOURCE) :])
        for s in sources
        if s.startswith(ENFORCEMENT_SOURCE) and s[len(ENFORCEMENT_SOURCE) :].isdigit()
    ]
    return max(ids, default=0)
