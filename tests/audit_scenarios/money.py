"""Money on a case: the account (reads), the ledger's postings and payment terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from caseterm.core.services import cases, ledger, money_run, payment_terms
from tests.audit_scenarios import audited, reads
from tests.factories import World


def _account(w: World) -> int:
    """The world's case with a fine and costs (committed)."""
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=20_000)
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="costs", amount_pence=8_500)
    return w.case.id or 0


def _paid(w: World) -> int:
    case_id = _account(w)
    with w.db.write() as s:
        receipt = ledger.take_payment(
            s, w.clerk, case_id=case_id, amount_pence=30_000, method="cash"
        )
    return receipt.txn_id


reads(
    "accounts",
    "show_account",
    "account_if_any",
    "build_view",
    "position_of",
    "active_terms",
    "terms_of",
    "terms_view",
)
reads("ledger", "receipt_for", "receipt_number")


@audited("ledger", "add_imposition", "account.impose")
def _impose(s: Session, w: World, _: Any) -> None:
    ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=100)


@audited("ledger", "take_payment", "account.payment", _account)
def _pay(s: Session, w: World, case_id: int) -> None:
    ledger.take_payment(s, w.clerk, case_id=case_id, amount_pence=1_000, method="card")


@audited("ledger", "reverse_transaction", "account.reverse", _paid)
def _reverse(s: Session, w: World, txn_id: int) -> None:
    ledger.reverse_transaction(s, w.manager, txn_id=txn_id, reason="chargeback")


@audited("ledger", "from_suspense", "account.suspense", _paid)
def _suspense(s: Session, w: World, _: int) -> None:
    ledger.from_suspense(s, w.manager, case_id=w.case.id or 0, refund=True, reason="by cheque")


@audited("payment_terms", "set_terms", "account.terms", _account)
def _terms(s: Session, w: World, case_id: int) -> None:
    payment_terms.set_terms(
        s,
        w.clerk,
        case_id=case_id,
        kind="instalments",
        instalment_pence=2_000,
        frequency="monthly",
        first_due=date(2026, 12, 1),
    )


def _defaulted(w: World) -> int:
    """A fines case with weekly terms from four weeks ago and nothing paid (committed)."""
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        case_id = case.id or 0
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
    with w.db.write() as s:
        payment_terms.set_terms(
            s,
            w.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=1_000,
            frequency="weekly",
            first_due=date(2026, 10, 26),
        )
    return case_id


@audited("money_run", "run_enforcement", "money.run", _defaulted)
def _money_run(s: Session, w: World, _: int) -> None:
    money_run.run_enforcement(s, w.manager)


reads("cashup", "cash_up")
