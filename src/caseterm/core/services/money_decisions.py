"""Write-offs, remissions, manual adjustments and changes of payment terms, decided by a fines
officer within the limit of their role (`rules/money_decisions.py`, data) and held for a
checker beyond it, as letters are: the decision waits in the checker's "Checks awaiting me"
until someone with `money.approve` who did not make it (and who works for the case's team)
approves or rejects it with a reason. The ledger or the terms change only when it is posted: at
once within the limit, else on approval. Each is refused before anything is written when the
account cannot take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, or_, select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import CaseFile, MoneyDecision, Payment, PaymentTerms
from caseterm.core.models.money import TermsKind, TxnKind
from caseterm.core.rules import money_decisions as limits
from caseterm.core.rules import terms as terms_rules
from caseterm.core.rules.money import (
    FREQUENCIES,
    WRITE_OFF_REASONS,
    check_choice,
    check_pence,
    format_pence,
)
from caseterm.core.services import audit
from caseterm.core.services.access import can_see, ensure_can_see
from caseterm.core.services.accounts import (
    STATUS_WORDS,
    active_terms,
    build_view,
    position_of,
    terms_view,
)
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
BACKDATE_DAYS = 366  # as payment_terms: how far back new terms may start
DECISION_FIELDS = (
    "kind",
    "status",
    "amount_pence",
    "reason_code",
    "reason",
    "terms_kind",
    "instalment_pence",
    "frequency",
    "first_due",
    "lump_sum_pence",
    "why_held",
    "checker_id",
    "decision_reason",
    "txn_id",
    "terms_id",
)


@dataclass(frozen=True)
class TermsAsked:
    kind: str  # by_date | instalments
    first_due: date
    instalment_pence: int = 0
    frequency: str = "monthly"
    lump_sum_pence: int = 0


@dataclass(frozen=True)
class Decision:
    """A money decision: posted at once (`status` "posted", the ledger row or terms it made) or
    held for a checker ("pending"), then "approved" (posted) or "rejected"."""

    id: int | None  # None when posted at once within the limit (no decision to check)
    case_id: int
    reference: str
    kind: str
    label: str
    status: str
    what: str  # the decision in words
    amount_pence: int  # written off or remitted (0 for terms)
    why_held: str
    maker: str
    checker: str
    decision_reason: str
    txn_id: int | None
    terms_id: int | None
    balance_after_pence: int
    made_at: datetime | None = None  # when it was held (None when posted at once)
    decided_at: datetime | None = None  # when a checker approved or rejected it


@dataclass(frozen=True)
class DecisionRow:
    id: int
    created_at: datetime
    reference: str
    label: str
    what: str
    why_held: str
    maker: str


def _case(session: Session, actor: Actor, case_id: int, capability: str) -> CaseFile:
    actor.require(capability)
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    return case


def _live_balance(session: Session, case: CaseFile, doing: str) -> int:
    view = build_view(session, case)
    if view is None:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    if view.status not in ("live", "paid"):
        raise ValidationError(
            "account", f"{case.reference} is {STATUS_WORDS[view.status]}: cannot {doing}"
        )
    if view.balance_pence <= 0:
        raise ValidationError("account", f"{case.reference} owes nothing to {doing}")
    return view.balance_pence


def _describe(d: MoneyDecision) -> str:
    if d.kind == "write_off":
        return (
            f"write off {format_pence(d.amount_pence)} "
            f"({WRITE_OFF_REASONS.get(d.reason_code, d.reason_code)})"
        )
    if d.kind == "remission":
        return f"remit {format_pence(d.amount_pence)}: {d.reason}"
    if d.kind == "adjustment":
        way = "reduce" if d.amount_pence > 0 else "increase"
        return f"adjust ({way} the balance by {format_pence(abs(d.amount_pence))}): {d.reason}"
    view = terms_view(_terms_row(d, 0))
    return f"payment terms {view.describe() if view else ''}: {d.reason}"


def _terms_row(d: MoneyDecision, case_id: int) -> PaymentTerms:
    return PaymentTerms(
        case_id=case_id or d.case_id,
        kind=d.terms_kind,
        instalment_pence=d.instalment_pence,
        frequency=d.frequency,
        first_due=d.first_due or clock.today(),
        pay_by=d.first_due if d.terms_kind == TermsKind.BY_DATE else None,
        lump_sum_pence=d.lump_sum_pence,
        reason=d.reason,
    )


def _check(session: Session, case: CaseFile, d: MoneyDecision) -> tuple[int, str]:
    """Refuse a decision the account cannot take now; (pence or months it amounts to, words)."""
    if d.kind == "write_off":
        owed = _live_balance(session, case, "write off")
        if d.amount_pence > owed:
            raise ValidationError(
                "amount",
                f"{format_pence(d.amount_pence)} is more than the balance {format_pence(owed)}",
            )
        return d.amount_pence, ""
    if d.kind == "remission":
        owed = _live_balance(session, case, "remit")
        position = position_of(session, case)[2]
        if d.imposition_id is not None and d.imposition_id not in {
            line.charge.id for line in position.lines
        }:
            raise ValidationError("imposition", f"{d.imposition_id} is not on {case.reference}")
        if d.amount_pence > owed:
            raise ValidationError(
                "amount",
                f"{format_pence(d.amount_pence)} is more than the balance {format_pence(owed)}",
            )
        return d.amount_pence, ""
    if d.kind == "adjustment":
        return _check_adjustment(session, case, d), ""
    owed = _live_balance(session, case, "set payment terms")
    plan = terms_rules.Terms(
        kind=d.terms_kind,
        instalment_pence=d.instalment_pence,
        frequency=d.frequency,
        first_due=d.first_due or clock.today(),
        pay_by=d.first_due if d.terms_kind == TermsKind.BY_DATE else None,
        lump_sum_pence=d.lump_sum_pence,
    )
    dues = terms_rules.schedule(plan, owed)  # refuses terms that never pay off
    last = dues[-1].on if dues else clock.today()
    today = clock.today()
    months = limits.months_between(
        (today.year, today.month, today.day), (last.year, last.month, last.day)
    )
    return months, f"paid off by {last:%d/%m/%Y}"


def _check_adjustment(session: Session, case: CaseFile, d: MoneyDecision) -> int:
    """A manual adjustment: never £0.00; reducing, never by more than is owed; on one of the
    account's impositions if it names one; the account live or paid off."""
    view = build_view(session, case)
    if view is None:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    if view.status not in ("live", "paid"):
        raise ValidationError(
            "account", f"{case.reference} is {STATUS_WORDS[view.status]}: cannot adjust"
        )
    if d.amount_pence == 0:
        raise ValidationError("amount", "must not be £0.00")
    check_pence(abs(d.amount_pence))
    if d.imposition_id is not None and d.imposition_id not in {line.id for line in view.lines}:
        raise ValidationError("imposition", f"{d.imposition_id} is not on {case.reference}")
    if d.amount_pence > view.balance_pence:
        raise ValidationError(
            "amount",
            f"{format_pence(d.amount_pence)} is more than the balance "
            f"{format_pence(view.balance_pence)}",
        )
    return d.amount_pence


_TXN_KINDS = {
    "write_off": TxnKind.WRITE_OFF,
    "remission": TxnKind.ADJUSTMENT,
    "adjustment": TxnKind.ADJUSTMENT,
}
_AUDIT_ACTIONS = {
    "write_off": "account.write_off",
    "remission": "account.remit",
    "adjustment": "account.adjust",
}


def _post(session: Session, actor: Actor, case: CaseFile, d: MoneyDecision) -> None:
    """Make the decision's change (the ledger row or the new terms); `actor` is who posts it
    now (the maker within the limit, the checker on approval); the row is the maker's."""
    if d.kind in _TXN_KINDS:
        row = Payment(
            case_id=d.case_id,
            kind=_TXN_KINDS[d.kind],
            amount_pence=d.amount_pence,
            paid_on=clock.today(),
            imposition_id=d.imposition_id if d.kind != "write_off" else None,
            reference="remission" if d.kind == "remission" else "",
            reason=d.reason_code if d.kind == "write_off" else d.reason,
            created_at=clock.now(),
            created_by_id=d.maker_id,
        )
        session.add(row)
        session.flush()
        d.txn_id = row.id
        audit.record(
            session,
            actor,
            _AUDIT_ACTIONS[d.kind],
            "payment",
            row.id,
            case_id=case.id,
            summary=_describe(d) + (f" (approved by {actor.name})" if d.id else ""),
            after=audit.snapshot(row),
        )
        return
    old = active_terms(session, d.case_id)
    before: dict[str, object] = {}
    if old is not None:
        before = audit.snapshot(old, ("kind", "instalment_pence", "frequency", "first_due"))
        old.active = False
        session.add(old)
        session.flush()
    row_t = _terms_row(d, d.case_id)
    row_t.active = True
    row_t.created_at = clock.now()
    row_t.created_by_id = d.maker_id
    session.add(row_t)
    session.flush()
    d.terms_id = row_t.id
    audit.record(
        session,
        actor,
        "account.terms",
        "payment_terms",
        row_t.id,
        case_id=case.id,
        summary=_describe(d) + (f" (approved by {actor.name})" if d.id else ""),
        before=before,
        after=audit.snapshot(row_t, ("kind", "instalment_pence", "frequency", "first_due")),
    )


def _outcome(session: Session, case: CaseFile, d: MoneyDecision, status: str) -> Decision:
    view = build_view(session, case)
    return Decision(
        id=d.id,
        case_id=case.id or 0,
        reference=case.reference,
        kind=d.kind,
        label=limits.DECISION_KINDS[d.kind],
        status=status,
        what=_describe(d),
        amount_pence=d.amount_pence,
        why_held=d.why_held,
        maker=staff_name(session, d.maker_id),
        checker=staff_name(session, d.checker_id) if d.checker_id else "",
        decision_reason=d.decision_reason,
        txn_id=d.txn_id,
        terms_id=d.terms_id,
        balance_after_pence=view.balance_pence if view else 0,
        made_at=d.created_at if d.id else None,
        decided_at=d.decided_at,
    )


def _decide(session: Session, actor: Actor, case: CaseFile, d: MoneyDecision) -> Decision:
    size, _ = _check(session, case, d)
    if d.kind == "terms":
        why = limits.over_months(actor.roles, size)
    else:
        why = limits.over_amount(d.kind, actor.roles, size)
    if not why:
        _post(session, actor, case, d)
        if d.means_id is not None and d.terms_id is not None:
            _link_means(session, d.means_id, d.terms_id)
        return _outcome(session, case, d, "posted")
    d.why_held = why[:300]
    session.add(d)
    session.flush()
    audit.record(
        session,
        actor,
        "account.decision_held",
        "money_decision",
        d.id,
        case_id=case.id,
        summary=f"{_describe(d)} held for a checker: {why}",
        after=audit.snapshot(d, DECISION_FIELDS),
    )
    return _outcome(session, case, d, PENDING)


def _link_means(session: Session, means_id: int, terms_id: int) -> None:
    from caseterm.core.models import MeansAssessment

    means = session.get(MeansAssessment, means_id)
    if means is not None:
        means.terms_id = terms_id
        session.add(means)
        session.flush()


def write_off(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    reason_code: str,
    amount_pence: int | None = None,
) -> Decision:
    """Write off the balance (or `amount_pence` of it) with a reason code: posted at once within
    the officer's limit, else held for a checker."""
    case = _case(session, actor, case_id, "money.decide")
    code = check_choice(reason_code, WRITE_OFF_REASONS, "reason")
    owed = _live_balance(session, case, "write off")
    amount = owed if amount_pence is None else check_pence(amount_pence)
    d = MoneyDecision(
        case_id=case_id,
        kind="write_off",
        amount_pence=amount,
        reason_code=code,
        maker_id=actor.id,
    )
    return _decide(session, actor, case, d)


def remit(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    amount_pence: int,
    reason: str,
    imposition_id: int | None = None,
) -> Decision:
    """Remit part of what is owed (on `imposition_id`, else by priority), with a reason: posted
    at once within the officer's limit, else held for a checker."""
    case = _case(session, actor, case_id, "money.decide")
    why = clean_line("reason", reason, limit=300)
    d = MoneyDecision(
        case_id=case_id,
        kind="remission",
        amount_pence=check_pence(amount_pence),
        reason=why,
        imposition_id=imposition_id,
        maker_id=actor.id,
    )
    return _decide(session, actor, case, d)


def adjust(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    amount_pence: int,
    reason: str,
    imposition_id: int | None = None,
) -> Decision:
    """A manual adjustment of the ledger with a reason (a correction the other postings do not
    cover): a positive amount reduces what is owed, a negative one increases it (on
    `imposition_id`, else by priority). Posted at once within the officer's limit (either
    way), else held for a checker."""
    case = _case(session, actor, case_id, "money.decide")
    d = MoneyDecision(
        case_id=case_id,
        kind="adjustment",
        amount_pence=amount_pence,
        reason=clean_line("reason", reason, limit=300),
        imposition_id=imposition_id,
        maker_id=actor.id,
    )
    return _decide(session, actor, case, d)


def vary_terms(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    asked: TermsAsked,
    reason: str = "",
    means_id: int | None = None,
) -> Decision:
    """New payment terms (the old ones kept, no longer active): set at once when they pay off
    within the officer's limit of months, else held for a checker. Changing terms that exist
    needs a reason."""
    case = _case(session, actor, case_id, "money.terms")
    actor.require("money.decide")
    kind = check_choice(asked.kind, {k.value: k.value for k in TermsKind}, "kind")
    frequency = check_choice(asked.frequency, FREQUENCIES, "frequency")
    why = clean_line("reason", reason, required=False, limit=300)
    if asked.lump_sum_pence < 0:
        raise ValidationError("lump sum", "must not be negative")
    if asked.first_due < clock.today() - timedelta(days=BACKDATE_DAYS):
        raise ValidationError("first due", f"{asked.first_due:%d/%m/%Y} is too far in the past")
    if active_terms(session, case_id) is not None and not why:
        raise ValidationError("reason", "is required to change payment terms that exist")
    instalments = kind == TermsKind.INSTALMENTS
    d = MoneyDecision(
        case_id=case_id,
        kind="terms",
        reason=why,
        terms_kind=kind,
        instalment_pence=asked.instalment_pence if instalments else 0,
        frequency=frequency,
        first_due=asked.first_due,
        lump_sum_pence=asked.lump_sum_pence if instalments else 0,
        means_id=means_id,
        maker_id=actor.id,
    )
    return _decide(session, actor, case, d)


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
            _describe(d),
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
    _check(session, case, d)
    _post(session, actor, case, d)
    if d.means_id is not None and d.terms_id is not None:
        _link_means(session, d.means_id, d.terms_id)
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
        summary=f"approved: {_describe(d)} (made by {staff_name(session, d.maker_id)})",
        before=old,
        after=new,
    )
    return _outcome(session, case, d, APPROVED)


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
        summary=f"rejected: {_describe(d)}: {why}",
        before=old,
        after=new,
    )
    return _outcome(session, case, d, REJECTED)


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
    return [_outcome(session, case, d, d.status) for d in rows]
