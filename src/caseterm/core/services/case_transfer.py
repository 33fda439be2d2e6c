"""Transferring a case between offices (seed 000, "preparing files for transfer between
offices").

The sending office transfers it out with a reason and its checklist ticked (papers sent, future
appointments moved or cancelled, open tasks handed over): the case becomes "transfer pending"
and a transfer-in task lands in the receiving office's queue, due within the case type's
`transfer_ack_days` working days. The receiving office accepts it (new owner and team) or
returns it with a reason. `raise_transfer_reminders` (run daily, idempotent) raises a reminder
for the sender on every transfer not acknowledged in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, CaseType, Office, Staff, Task, Team
from caseterm.core.models.case_lifecycle import CaseTransfer
from caseterm.core.models.vocab import (
    ACTIVE_TASK_STATUSES,
    CaseStatus,
    TaskKind,
    TaskStatus,
    TransferStatus,
)
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.case_edit import ensure_editable
from caseterm.core.services.cases import finish_change, load_for_change
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_line

CHECKLIST = {
    "papers_sent": "papers sent to the receiving office",
    "appointments_moved": "future appointments moved or cancelled",
    "tasks_handed_over": "open tasks handed over",
}


@dataclass(frozen=True)
class TransferInfo:
    transfer_id: int
    case_id: int
    reference: str
    status: str
    from_office: str
    to_office: str
    to_team: str | None
    reason: str
    acknowledge_by: date
    task_id: int | None
    case_version: int
    return_reason: str = ""


def _office_name(session: Session, office_id: int | None) -> str:
    office = session.get(Office, office_id) if office_id is not None else None
    return office.name if office else "(no office)"


def _info(session: Session, t: CaseTransfer, case: CaseFile) -> TransferInfo:
    team = session.get(Team, t.to_team_id) if t.to_team_id is not None else None
    assert t.id is not None and case.id is not None
    return TransferInfo(
        transfer_id=t.id,
        case_id=case.id,
        reference=case.reference,
        status=t.status,
        from_office=_office_name(session, t.from_office_id),
        to_office=_office_name(session, t.to_office_id),
        to_team=team.name if team else None,
        reason=t.reason,
        acknowledge_by=t.acknowledge_by,
        task_id=t.task_id,
        case_version=case.version,
        return_reason=t.return_reason,
    )


def transfer_info(session: Session, t: CaseTransfer, case: CaseFile) -> TransferInfo:
    """A transfer of `case` as shown (the caller has checked access)."""
    return _info(session, t, case)


def pending_transfer(session: Session, case_id: int) -> CaseTransfer | None:
    return session.exec(
        select(CaseTransfer).where(
            CaseTransfer.case_id == case_id, CaseTransfer.status == TransferStatus.PENDING
        )
    ).first()


def transfer_out(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    office_id: int,
    team_id: int | None = None,
    reason: str,
    papers_sent: bool,
    appointments_moved: bool,
    tasks_handed_over: bool,
    expected_version: int | None = None,
) -> TransferInfo:
    """Transfer a case out to another office (and team): refused to the office it is in, on a
    closed case, or with a step of the checklist not done."""
    actor.require("case.transfer")
    case, before = load_for_change(session, actor, case_id, expected_version)
    ensure_editable(case)
    office = session.get(Office, office_id)
    if office is None:
        raise ValidationError("office", f"no office with id {office_id}")
    if office_id == case.office_id:
        raise ValidationError(
            "office", f"{case.reference} is at {office.name} already: transfer to another office"
        )
    team = session.get(Team, team_id) if team_id is not None else None
    if team_id is not None and team is None:
        raise ValidationError("team", f"no team with id {team_id}")
    if team is not None and team.office_id not in (None, office_id):
        raise ValidationError("team", f"{team.name} is not a team of {office.name}")
    if case.status != CaseStatus.OPEN:
        raise ValidationError(
            "status", f"a {case.status.replace('_', ' ')} case cannot be transferred out"
        )
    why = clean_line("reason", reason, limit=300)
    ticked = {
        "papers_sent": papers_sent,
        "appointments_moved": appointments_moved,
        "tasks_handed_over": tasks_handed_over,
    }
    for field, done in ticked.items():
        if not done:
            raise ValidationError(
                field, f"tick the transfer checklist: {CHECKLIST[field]} (not yet confirmed)"
            )
    ct = get(session, CaseType, case.case_type_id, "case type")
    due = add_working_days(clock.today(), ct.transfer_ack_days)
    task = insert_task(
        session,
        actor,
        kind=TaskKind.TRANSFER_IN,
        title=f"Transfer in {case.reference} from {_office_name(session, case.office_id)}",
        details=f"Reason: {why}. Accept it (new owner and team) or return it with a reason.",
        case_id=case_id,
        due_date=due,
        priority=2,
        team_id=team_id,
        office_id=office_id,
    )
    transfer = CaseTransfer(
        case_id=case_id,
        from_office_id=case.office_id,
        from_team_id=case.team_id,
        to_office_id=office_id,
        to_team_id=team_id,
        reason=why,
        papers_sent=True,
        appointments_moved=True,
        tasks_handed_over=True,
        sent_at=clock.now(),
        sent_by_id=actor.id,
        acknowledge_by=due,
        task_id=task.id,
    )
    session.add(transfer)
    case.status = CaseStatus.TRANSFER_PENDING
    case.status_reason = why
    finish_change(
        session, actor, case, before, "case.transfer_out", f"transfer to {office.name}: {why}"
    )
    return _info(session, transfer, case)


def _decide(
    session: Session, actor: Actor, case_id: int, expected_version: int | None
) -> tuple[CaseFile, dict[str, object], CaseTransfer]:
    actor.require("case.transfer")
    case, before = load_for_change(session, actor, case_id, expected_version)
    transfer = pending_transfer(session, case_id)
    if transfer is None or case.status != CaseStatus.TRANSFER_PENDING:
        raise ValidationError("status", f"{case.reference} has no transfer waiting")
    return case, before, transfer


def _close_transfer_tasks(
    session: Session, actor: Actor, transfer: CaseTransfer, outcome: str
) -> None:
    for task_id in (transfer.task_id, transfer.reminder_task_id):
        task = session.get(Task, task_id) if task_id is not None else None
        if task is not None and task.status in ACTIVE_TASK_STATUSES:
            task.status = TaskStatus.DONE
            task.outcome = outcome
            task.completed_at = clock.now()
            task.completed_by_id = actor.id
            task.updated_at, task.updated_by_id = clock.now(), actor.id


def accept_transfer(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    owner_id: int | None = None,
    team_id: int | None = None,
    expected_version: int | None = None,
) -> TransferInfo:
    """The receiving office takes the case: it moves there with its new owner and team and is
    open again; the transfer-in task is done."""
    case, before, transfer = _decide(session, actor, case_id, expected_version)
    team = team_id if team_id is not None else transfer.to_team_id
    if team is not None and session.get(Team, team) is None:
        raise ValidationError("team", f"no team with id {team}")
    if owner_id is not None:
        staff = session.get(Staff, owner_id)
        if staff is None or not staff.active:
            raise ValidationError("owner", f"no active member of staff with id {owner_id}")
    case.office_id = transfer.to_office_id
    case.team_id = team
    case.owner_id = owner_id
    case.status = CaseStatus.OPEN
    case.status_reason = f"transferred in from {_office_name(session, transfer.from_office_id)}"
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_at, transfer.decided_by_id = clock.now(), actor.id
    transfer.to_team_id = team
    _close_transfer_tasks(session, actor, transfer, "accepted")
    if transfer.sent_by_id is not None and transfer.sent_by_id != actor.id:
        notify(
            session,
            recipient_id=transfer.sent_by_id,
            kind="transfer",
            text=f"{actor.name} accepted the transfer of {case.reference}",
            case_id=case_id,
        )
    finish_change(
        session,
        actor,
        case,
        before,
        "case.transfer_accept",
        f"transfer accepted at {_office_name(session, transfer.to_office_id)}",
    )
    return _info(session, transfer, case)


def return_transfer(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    reason: str,
    expected_version: int | None = None,
) -> TransferInfo:
    """The receiving office sends the case back with a reason: it stays where it was, open;
    the sender is told."""
    case, before, transfer = _decide(session, actor, case_id, expected_version)
    why = clean_line("reason", reason, limit=300)
    case.status = CaseStatus.OPEN
    case.status_reason = f"transfer returned: {why}"
    transfer.status = TransferStatus.RETURNED
    transfer.return_reason = why
    transfer.decided_at, transfer.decided_by_id = clock.now(), actor.id
    _close_transfer_tasks(session, actor, transfer, f"returned: {why}")
    if transfer.sent_by_id is not None and transfer.sent_by_id != actor.id:
        notify(
            session,
            recipient_id=transfer.sent_by_id,
            kind="transfer",
            text=f"{actor.name} returned the transfer of {case.reference}: {why}",
            case_id=case_id,
        )
    finish_change(session, actor, case, before, "case.transfer_return", f"transfer returned: {why}")
    return _info(session, transfer, case)


@dataclass(frozen=True)
class Reminder:
    transfer_id: int
    case_id: int
    reference: str
    task_id: int
    acknowledge_by: date


def _reminder_due(day: date) -> Any:
    """Transfers pending past their acknowledge-by date, not yet chased."""
    return and_(
        col(CaseTransfer.status) == TransferStatus.PENDING,
        col(CaseTransfer.acknowledge_by) < day,
        col(CaseTransfer.reminder_task_id).is_(None),
    )


def reminders_due(session: Session, *, today: date) -> int:
    """How many transfers `raise_transfer_reminders` would chase on `today`."""
    found = session.execute(
        sa_select(func.count()).select_from(CaseTransfer).where(_reminder_due(today))
    )
    return int(found.scalar() or 0)


def raise_transfer_reminders(
    session: Session, actor: Actor | None, *, today: date | None = None, limit: int | None = None
) -> list[Reminder]:
    """A reminder task for the sender of every transfer not acknowledged by its date. Running it
    again raises nothing twice (each transfer remembers its reminder). `limit`: at most that
    many (the scheduler's batches)."""
    if actor is not None:
        actor.require("case.transfer")
    day = today or clock.today()
    query = (
        select(CaseTransfer, CaseFile)
        .join(CaseFile, col(CaseFile.id) == col(CaseTransfer.case_id))
        .where(_reminder_due(day))
        .order_by(col(CaseTransfer.id))
    )
    overdue = session.exec(query if limit is None else query.limit(limit)).all()
    raised: list[Reminder] = []
    for transfer, case in overdue:
        sender = session.get(Staff, transfer.sent_by_id) if transfer.sent_by_id else None
        task = insert_task(
            session,
            actor,
            kind=TaskKind.TRANSFER_CHASE,
            title=(
                f"Transfer of {case.reference} to {_office_name(session, transfer.to_office_id)}"
                f" not acknowledged (due {transfer.acknowledge_by:%d/%m/%Y})"
            ),
            case_id=case.id,
            due_date=day,
            priority=2,
            assignee_id=sender.id if sender is not None and sender.active else None,
            team_id=transfer.from_team_id,
            office_id=transfer.from_office_id,
        )
        transfer.reminder_task_id = task.id
        session.flush()
        audit.record(
            session,
            actor,
            "case.transfer_reminder",
            "case",
            case.id,
            case_id=case.id,
            person_id=case.subject_id,
            summary=f"{case.reference}: transfer not acknowledged by "
            f"{transfer.acknowledge_by:%d/%m/%Y}, reminder raised",
        )
        assert transfer.id is not None and case.id is not None and task.id is not None
        raised.append(
            Reminder(transfer.id, case.id, case.reference, task.id, transfer.acknowledge_by)
        )
    return raised


def transfers_of_case(session: Session, actor: Actor, *, case_id: int) -> list[TransferInfo]:
    """Every transfer of a case, newest first."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    rows = session.exec(
        select(CaseTransfer)
        .where(CaseTransfer.case_id == case_id)
        .order_by(col(CaseTransfer.id).desc())
    ).all()
    return [_info(session, t, case) for t in rows]
