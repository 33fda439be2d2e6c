"""F4 at the reception desk (issue 14): find the caller, F4 opens the case's payment form with
the instalment due offered, enter takes it; the receipt number is shown and the payment is in
the ledger, taken by the desk."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from caseterm.core.models import Payment
from caseterm.core.services import desk_accounts, ledger, payment_terms
from caseterm.tui.account.payment import PaymentDialog, ReceiptScreen
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.desk.screen import DeskScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _account(world: World) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=30_000)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=2_500,
            frequency="weekly",
            first_due=date(2026, 11, 30),
        )
    return case_id


def test_the_desk_reads_the_accounts_of_the_person(frozen_clock: object, world: World) -> None:
    case_id = _account(world)
    with world.db.read() as s:
        views = desk_accounts.accounts_of_person(s, world.desk, person_id=world.person.id or 0)
    assert [(v.case_id, v.balance_pence, v.suggested_pence) for v in views] == [
        (case_id, 30_000, 2_500)
    ]


def test_accounts_that_take_payments_come_first(frozen_clock: object, world: World) -> None:
    from caseterm.core.services import cases, money_decisions

    first = _account(world)
    with world.db.write() as s:
        money_decisions.write_off(s, world.manager, case_id=first, reason_code="remitted")
        later = cases.open_case(
            s, world.clerk, case_type="FINE", subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )  # fmt: skip
        ledger.add_imposition(
            s, world.clerk, case_id=later.id or 0, kind="costs", amount_pence=8_500
        )
        cases.open_case(  # no impositions: no account
            s, world.clerk, case_type="FINE", subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )  # fmt: skip
    with world.db.read() as s:
        views = desk_accounts.accounts_of_person(s, world.desk, person_id=world.person.id or 0)
    assert [(v.case_id, v.status, v.balance_pence) for v in views] == [
        (later.id, "live", 8_500),
        (first, "written_off", 0),  # written off in full
    ]


async def test_take_a_payment_at_the_desk(frozen_clock: object, world: World) -> None:
    case_id = _account(world)
    app = CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen)
        await press(pilot, *"Siobh")
        await wait_for(pilot, lambda: "1 found" in screen_text(app), 5)
        await press(pilot, "f4")
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentDialog), 5)
        assert "Take a payment: " + world.case.reference in screen_text(app)
        assert "25.00" in screen_text(app)  # the instalment due on the 30th
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen), 5)
        receipt = screen_text(app)
        assert "Receipt R26-" in receipt and "Received £25.00" in receipt
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen), 5)
    with world.db.read() as s:
        rows = s.exec(select(Payment).where(Payment.case_id == case_id).order_by(col(Payment.id)))
        paid = [(p.kind, p.amount_pence, p.created_by_id, (p.receipt_no or "")[:4]) for p in rows]
    assert paid == [("payment", 2_500, world.desk.id, "R26-")]
