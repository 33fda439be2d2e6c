"""The fines account services on a real database: taking payments with receipts, suspense,
reversals, write-offs, adjustments, terms with history, and every refusal (nothing written)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, Payment, PaymentTerms, Task
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import accounts, case_closure, ledger, money_decisions, payment_terms
from tests.factories import World

FINE, COSTS, SURCHARGE = 82_000, 62_000, 8_200
TOTAL = FINE + COSTS + SURCHARGE

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _account(world: World) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        for kind, pence in (("fine", FINE), ("costs", COSTS), ("victim_surcharge", SURCHARGE)):
            ledger.add_imposition(
                s,
                world.clerk,
                case_id=case_id,
                kind=kind,
                amount_pence=pence,
                imposed_on=date(2026, 10, 1),
                court="Preston Magistrates' Court",
            )
    return case_id


def _show(world: World) -> accounts.AccountView:
    with world.db.write() as s:
        return accounts.show_account(s, world.clerk, reference_or_id=world.case.reference)


def _rows(world: World) -> list[Payment]:
    with world.db.read() as s:
        return list(s.exec(select(Payment).order_by(col(Payment.id))).all())


def test_a_payment_is_allocated_by_priority_with_a_receipt(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=10_000, method="card", reference="A1"
        )
    assert receipt.receipt_no == f"R26-{receipt.txn_id:07d}"
    assert (receipt.applied_pence, receipt.to_suspense_pence) == (10_000, 0)
    assert receipt.balance_after_pence == TOTAL - 10_000
    assert "Received £100.00 by Card (ref A1)" in receipt.lines()
    view = _show(world)
    paid = {line.kind: (line.paid_pence, line.outstanding_pence) for line in view.lines}
    assert paid == {
        "victim_surcharge": (8_200, 0),
        "costs": (1_800, 60_200),
        "fine": (0, 82_000),
    }
    assert view.balance_pence == 142_200 and view.paid_pence == 10_000
    assert view.header_text() == "Owes £1,422.00"
    [row] = _rows(world)
    assert (row.kind, row.amount_pence, row.method, row.created_by_id) == (
        "payment",
        10_000,
        "card",
        world.clerk.id,
    )
    with world.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "account.payment")).one()
    assert event.summary == f"£100.00 by Card, receipt {receipt.receipt_no}"


def test_an_overpayment_goes_to_suspense_with_a_task(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=TOTAL + 1_234, method="cash"
        )
    assert (receipt.applied_pence, receipt.to_suspense_pence) == (TOTAL, 1_234)
    view = _show(world)
    assert (view.balance_pence, view.suspense_pence, view.status) == (0, 1_234, "paid")
    with world.db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "suspense")).one()
    assert task.id == receipt.suspense_task_id and task.case_id == case_id
    assert task.title == f"Overpayment £12.34 in suspense: refund or apply ({world.case.reference})"
    with world.db.write() as s:
        refund = ledger.from_suspense(s, world.manager, case_id=case_id, refund=True)
    assert (refund.kind, refund.amount_pence) == ("refund", -1_234)
    assert _show(world).suspense_pence == 0


def test_a_reversal_restores_the_balance_once(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=5_000, method="cheque"
        )
    with world.db.write() as s:
        posted = ledger.reverse_transaction(
            s, world.manager, txn_id=receipt.txn_id, reason="cheque dishonoured"
        )
    assert (posted.kind, posted.amount_pence, posted.balance_after_pence) == (
        "reversal",
        -5_000,
        TOTAL,
    )
    view = _show(world)
    assert [(t.kind, t.reversed) for t in view.transactions] == [
        ("reversal", False),
        ("payment", True),
    ]
    for txn, message in ((receipt.txn_id, "already been reversed"), (posted.txn_id, "itself")):
        with pytest.raises(ValidationError, match=message), world.db.write() as s:
            ledger.reverse_transaction(s, world.manager, txn_id=txn, reason="again")
    assert len(_rows(world)) == 2


def test_a_write_off_closes_the_account_to_payments(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        posted = money_decisions.write_off(
            s, world.manager, case_id=case_id, reason_code="deceased"
        )
    assert (posted.status, posted.amount_pence, posted.balance_after_pence) == ("posted", TOTAL, 0)
    view = _show(world)
    assert (view.status, view.written_off_pence) == ("written_off", TOTAL)
    assert view.transactions[0].reason == "Deceased"
    refused = pytest.raises(ValidationError, match="is written off: cannot take a payment")
    with refused, world.db.write() as s:
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=100, method="cash")
    assert len(_rows(world)) == 1


def test_a_payment_on_a_closed_case_is_refused(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        closing = case_closure.start_closure(s, world.worker, case_id=case_id, reason="completed")
        for step in closing.outstanding:
            case_closure.waive_step(
                s, world.worker, case_id=case_id, step=step.code, reason="not needed here"
            )
        case_closure.close_case(s, world.worker, case_id=case_id)
    refused = pytest.raises(ValidationError, match="is closed: cannot take a payment")
    with refused, world.db.write() as s:
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=100, method="cash")
    assert _rows(world) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount_pence": 0}, "amount: must be more than £0.00"),
        ({"amount_pence": -500}, "amount: must be more than £0.00"),
        ({"method": "barter"}, "method: unknown 'barter'"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_written(
    world: World, kwargs: dict[str, object], message: str
) -> None:
    case_id = _account(world)
    args: dict[str, object] = {"amount_pence": 100, "method": "cash", **kwargs}
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        ledger.take_payment(s, world.clerk, case_id=case_id, **args)  # type: ignore[arg-type]
    assert _rows(world) == []


def test_only_a_manager_reverses_and_a_write_off_needs_a_known_code(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        paid = ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=100, method="cash")
    refused = pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.correct"])
    with refused, world.db.write() as s:
        ledger.reverse_transaction(s, world.clerk, txn_id=paid.txn_id, reason="chargeback")
    with pytest.raises(ValidationError, match="reason: unknown 'lost'"), world.db.write() as s:
        money_decisions.write_off(s, world.manager, case_id=case_id, reason_code="lost")
    assert len(_rows(world)) == 1


def test_terms_keep_their_history_and_arrears_count(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        first = payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=5_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
    assert first.describe() == "£50.00 weekly from 02/11/2026"
    with world.db.write() as s:
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=6_000, method="cash")
    view = _show(world)
    # Due 2, 9, 16 and 23 November by Monday 23rd: £200.00; paid £60.00.
    assert (view.arrears_pence, view.missed) == (14_000, 3)
    assert (view.next_due_on, view.next_due_pence) == (date(2026, 11, 30), 5_000)
    assert view.suggested_pence == 14_000
    assert view.stage == "In arrears: 3 instalments missed, £140.00 behind"
    with pytest.raises(ValidationError, match="reason: is required"), world.db.write() as s:
        payment_terms.set_terms(
            s, world.clerk, case_id=case_id, kind="by_date", first_due=date(2027, 1, 29)
        )
    with world.db.write() as s:
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="by_date",
            first_due=date(2027, 1, 29),
            reason="extension: new job starts in January",
        )
    with world.db.read() as s:
        rows = s.exec(select(PaymentTerms).order_by(col(PaymentTerms.id))).all()
    assert [(r.kind, r.active) for r in rows] == [("instalments", False), ("by_date", True)]
    view = _show(world)
    assert view.terms is not None and view.terms.describe() == "Pay in full by 29/01/2027"
    assert (view.arrears_pence, view.next_due_pence) == (0, TOTAL - 6_000)


def test_terms_that_never_pay_off_are_refused(world: World) -> None:
    case_id = _account(world)
    with pytest.raises(ValidationError, match="never pay off"), world.db.write() as s:
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=0,
            frequency="monthly",
            first_due=date(2026, 12, 1),
        )
    with world.db.read() as s:
        assert s.exec(select(PaymentTerms)).all() == []


def test_only_money_moving_rows_count_as_cash(world: World) -> None:
    from sqlmodel import func

    from caseterm.core.models.money import is_cash

    case_id = _account(world)
    with world.db.write() as s:
        paid = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=5_000, method="card"
        )
        kept = ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=700, method="cash")
        ledger.reverse_transaction(s, world.manager, txn_id=paid.txn_id, reason="chargeback")
        off = money_decisions.write_off(s, world.manager, case_id=case_id, reason_code="remitted")
        assert off.txn_id is not None
        ledger.reverse_transaction(s, world.manager, txn_id=off.txn_id, reason="remitted in error")
    with world.db.read() as s:
        total = s.exec(select(func.sum(Payment.amount_pence)).where(is_cash())).one()
    assert kept.amount_pence == total == 700
    assert _show(world).balance_pence == TOTAL - 700
