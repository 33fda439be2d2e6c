"""Increasing a fine on default (Courts Act 2003 Schedule 5): by up to 50% of the fine as imposed
(data: `rules/money_decisions.toml`), on the fine only, as a ledger adjustment on that imposition
(a negative adjustment increases what is owed; `reference` "increase" marks it). The increases
already made on the fine (not reversed) count towards the most allowed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Imposition, Payment
from caseterm.core.models.money import TxnKind
from caseterm.core.rules import money_decisions as rules
from caseterm.core.rules.money import format_pence
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import STATUS_WORDS, build_view, position_of
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

INCREASE_MARK = "increase"


@dataclass(frozen=True)
class Increased:
    txn_id: int
    imposition_id: int
    amount_pence: int
    increased_so_far_pence: int  # every increase of this fine, this one included
    most_pence: int  # the most the fine may be increased by in all
    balance_after_pence: int


def _fine(session: Session, case: CaseFile, imposition_id: int | None) -> Imposition:
    if imposition_id is not None:
        found = session.get(Imposition, imposition_id)
        if found is None or found.case_id != case.id:
            raise ValidationError("imposition", f"{imposition_id} is not on {case.reference}")
        return found
    kinds = rules.limits().increase_kinds
    fines = session.exec(
        select(Imposition)
        .where(Imposition.case_id == case.id, col(Imposition.kind).in_(kinds))
        .order_by(col(Imposition.id))
    ).all()
    if not fines:
        raise ValidationError("imposition", f"{case.reference} has no fine to increase")
    if len(fines) > 1:
        ids = ", ".join(str(f.id) for f in fines)
        raise ValidationError(
            "imposition", f"{case.reference} has several fines ({ids}); say which"
        )
    return fines[0]


def _increased_so_far(session: Session, imposition_id: int) -> int:
    """Pence the fine has been increased by, net of increases reversed."""
    rows = session.exec(
        select(Payment).where(
            Payment.imposition_id == imposition_id,
            Payment.kind == TxnKind.ADJUSTMENT,
            Payment.reference == INCREASE_MARK,
        )
    ).all()
    ids = [r.id for r in rows]
    reversed_ids = set(
        session.exec(select(Payment.reverses_id).where(col(Payment.reverses_id).in_(ids))).all()
    )
    return sum(-r.amount_pence for r in rows if r.id not in reversed_ids)


def increase_fine(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    reason: str,
    percent: int | None = None,
    amount_pence: int | None = None,
    imposition_id: int | None = None,
) -> Increased:
    """Increase the case's fine (or the fine `imposition_id`) by `percent` of it as imposed or by
    `amount_pence`; refused on any other kind of imposition, past the most allowed, or on an
    account that is closed, written off or paid."""
    actor.require("money.enforce")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    why = clean_line("reason", reason, limit=300)
    view = build_view(session, case)
    if view is None:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    if view.status != "live":
        raise ValidationError(
            "account", f"{case.reference} is {STATUS_WORDS[view.status]}: cannot increase the fine"
        )
    fine = _fine(session, case, imposition_id)
    already = _increased_so_far(session, fine.id or 0)
    pence = rules.increase_amount(
        fine.kind, fine.amount_pence, already, percent=percent, amount_pence=amount_pence
    )
    row = Payment(
        case_id=case_id,
        kind=TxnKind.ADJUSTMENT,
        amount_pence=-pence,
        paid_on=clock.today(),
        imposition_id=fine.id,
        reference=INCREASE_MARK,
        reason=why,
        created_at=clock.now(),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    most = rules.limits().increase_max_percent * fine.amount_pence // 100
    audit.record(
        session,
        actor,
        "account.increase",
        "payment",
        row.id,
        case_id=case_id,
        summary=f"fine increased by {format_pence(pence)} "
        f"({format_pence(already + pence)} of at most {format_pence(most)}): {why}",
        after=audit.snapshot(row),
    )
    return Increased(
        txn_id=row.id or 0,
        imposition_id=fine.id or 0,
        amount_pence=pence,
        increased_so_far_pence=already + pence,
        most_pence=most,
        balance_after_pence=position_of(session, case)[2].balance_pence,
    )
