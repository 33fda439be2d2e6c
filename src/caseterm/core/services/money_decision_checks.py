"""The checker's side of money decisions: a decision held beyond the maker's limit waits in the
checker's "Checks awaiting me" until someone with `money.approve` who did not make it (and who
works for the case's team) approves it (only then is it posted, `money_decision_posting`) or
rejects it with a reason; and a case's decision history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import CaseFile, MoneyDecision
from caseterm.core.rules import money_decisions as limits
from caseterm.core.services import audit
from caseterm.core.services.access import can_see, ensure_can_see
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decision_posting import (
    APPROVED,
    DECISION_FIELDS,
    PENDING,
    REJECTED,
    Decision,
    describe,
    outcome,
    post_approved,
)
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class DecisionRow:
    id: int
    created_at: datetime
    reference: str
    label: str
    what: str
    why_held: str
    maker: str


def decisions_awaiting(session: Session, actor: Actor) -> list[DecisionRow]:
    """Money decisions held for a checker that `actor` may check: never their own, only their
    team's cases (any team's for someone in none), oldest first; restricted cases they cannot see
    left out."""
    actor.require("money.approve")
    query = (
        select(MoneyDecision, CaseFile)
        .join(CaseFile, col(CaseFile.id) == MoneyDecision.case_id)
        .where(MoneyDecision.status == PENDING, MoneyDecision.maker_id != actor.id)
        .order_by(col(MoneyDecision.created_at), col(MoneyDecision.id))
    )
    if actor.team_id is not None:
        query = query.where(
            or_(col(CaseFile.team_id).is_(None), col(CaseFile.team_id) == actor.team_id)
        )
    return [
        DecisionRow(
            d.id or 0,
            d.created_at,
            case.reference,
            limits.DECISION_KINDS[d.kind],
            describe(d),
            d.why_held,
            staff_name(session, d.maker_id),
        )
        for d, case in session.exec(query).all()
        if not case.restricted or can_see(session, actor, case)
    ]


def _checkable(session: Session, actor: Actor, decision_id: int) -> tuple[MoneyDecision, CaseFile]:
    actor.require("money.approve")
    d = get(session, MoneyDecision, decision_id, "money decision")
    case = get(session, CaseFile, d.case_id, "case")
    ensure_can_see(session, actor, case, "account")
    if d.status != PENDING:
        raise ValidationError("decision", f"#{d.id} is {d.status} already")
    if d.maker_id == actor.id:
        raise PermissionDeniedError(
            f"{actor.login} made decision #{d.id}; a checker cannot check their own decision"
        )
    if actor.team_id is not None and case.team_id not in (None, actor.team_id):
        raise PermissionDeniedError(
            f"{case.reference} belongs to another team; its checkers check its decisions"
        )
    return d, case


def approve_decision(session: Session, actor: Actor, *, decision_id: int) -> Decision:
    """A checker (not the maker) approves a held decision: only now is it posted (checked again
    against the account as it is now)."""
    d, case = _checkable(session, actor, decision_id)
    before = audit.snapshot(d, DECISION_FIELDS)
    post_approved(session, actor, case, d)
    d.status = APPROVED
    d.checker_id = actor.id
    d.decided_at = clock.now().replace(microsecond=0)
    session.add(d)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(d, DECISION_FIELDS))
    audit.record(
        session,
        actor,
        "account.decision_approve",
        "money_decision",
        d.id,
        case_id=case.id,
        summary=f"approved: {describe(d)} (made by {staff_name(session, d.maker_id)})",
        before=old,
        after=new,
    )
    return outcome(session, case, d, APPROVED)


def reject_decision(session: Session, actor: Actor, *, decision_id: int, reason: str) -> Decision:
    """A checker (not the maker) rejects a held decision with a reason; nothing is posted."""
    why = clean_line("reason", reason, limit=500)
    d, case = _checkable(session, actor, decision_id)
    before = audit.snapshot(d, DECISION_FIELDS)
    d.status = REJECTED
    d.checker_id = actor.id
    d.decided_at = clock.now().replace(microsecond=0)
    d.decision_reason = why
    session.add(d)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(d, DECISION_FIELDS))
    audit.record(
        session,
        actor,
        "account.decision_reject",
        "money_decision",
        d.id,
        case_id=case.id,
        summary=f"rejected: {describe(d)}: {why}",
        before=old,
        after=new,
    )
    return outcome(session, case, d, REJECTED)


def case_decisions(session: Session, actor: Actor, *, case_id: int) -> list[Decision]:
    """Every money decision held on a case, newest first (what is awaiting a checker, and what
    was approved or rejected with the reason)."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    rows = session.exec(
        select(MoneyDecision)
        .where(MoneyDecision.case_id == case_id)
        .order_by(col(MoneyDecision.id).desc())
    ).all()
    return [outcome(session, case, d, d.status) for d in rows]
