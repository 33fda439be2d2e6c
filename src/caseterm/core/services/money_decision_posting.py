"""How a money decision is checked and posted, shared by the maker's side (`money_decisions`:
write-off, remission, adjustment, new terms) and the checker's side (`money_decision_checks`:
approve, reject, the lists). A decision within the officer's limit (`rules/money_decisions.py`,
data) is posted at once; beyond it, it is held for a checker and posted only on approval,
checked again against the account as it is then. Each is refused before anything is written
when the account cannot take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, MoneyDecision, Payment, PaymentTerms
from caseterm.core.models.money import TermsKind, TxnKind
from caseterm.core.rules import money_decisions as limits
from caseterm.core.rules import terms as terms_rules
from caseterm.core.rules.money import WRITE_OFF_REASONS, check_pence, format_pence
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import (
    STATUS_WORDS,
    active_terms,
    build_view,
    position_of,
    terms_view,
)
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor

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


def account_case(session: Session, actor: Actor, case_id: int, capability: str) -> CaseFile:
    actor.require(capability)
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    return case


def live_balance(session: Session, case: CaseFile, doing: str) -> int:
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


def describe(d: MoneyDecision) -> str:
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
        owed = live_balance(session, case, "write off")
        if d.amount_pence > owed:
            raise ValidationError(
                "amount",
                f"{format_pence(d.amount_pence)} is more than the balance {format_pence(owed)}",
            )
        return d.amount_pence, ""
    if d.kind == "remission":
        owed = live_balance(session, case, "remit")
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
    owed = live_balance(session, case, "set payment terms")
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
            summary=describe(d) + (f" (approved by {actor.name})" if d.id else ""),
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
        summary=describe(d) + (f" (approved by {actor.name})" if d.id else ""),
        before=before,
        after=audit.snapshot(row_t, ("kind", "instalment_pence", "frequency", "first_due")),
    )


def outcome(session: Session, case: CaseFile, d: MoneyDecision, status: str) -> Decision:
    view = build_view(session, case)
    return Decision(
        id=d.id,
        case_id=case.id or 0,
        reference=case.reference,
        kind=d.kind,
        label=limits.DECISION_KINDS[d.kind],
        status=status,
        what=describe(d),
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


def decide(session: Session, actor: Actor, case: CaseFile, d: MoneyDecision) -> Decision:
    size, _ = _check(session, case, d)
    if d.kind == "terms":
        why = limits.over_months(actor.roles, size)
    else:
        why = limits.over_amount(d.kind, actor.roles, size)
    if not why:
        _post(session, actor, case, d)
        if d.means_id is not None and d.terms_id is not None:
            _link_means(session, d.means_id, d.terms_id)
        return outcome(session, case, d, "posted")
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
        summary=f"{describe(d)} held for a checker: {why}",
        after=audit.snapshot(d, DECISION_FIELDS),
    )
    return outcome(session, case, d, PENDING)


def _link_means(session: Session, means_id: int, terms_id: int) -> None:
    from caseterm.core.models import MeansAssessment

    means = session.get(MeansAssessment, means_id)
    if means is not None:
        means.terms_id = terms_id
        session.add(means)
        session.flush()


def post_approved(session: Session, actor: Actor, case: CaseFile, d: MoneyDecision) -> None:
    """Post a held decision a checker approved, checked again against the account as it is now
    (and link the means form that led to terms)."""
    _check(session, case, d)
    _post(session, actor, case, d)
    if d.means_id is not None and d.terms_id is not None:
        _link_means(session, d.means_id, d.terms_id)
