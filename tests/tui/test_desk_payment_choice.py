"""F4 at the reception desk for a caller with two fines accounts (issue 14): the desk asks which
account they pay, the second one is picked, and the payment lands on that account, not the
first."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from caseterm.core.models import Payment
from caseterm.core.services import cases, ledger, payment_terms
from caseterm.tui.account.payment import PaymentDialog, ReceiptScreen
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.triage.dialogs import PickDialog
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _two_accounts(world: World) -> tuple[int, int, str]:
    """The world's case with a fine on instalments, and a second FINE case of the same person
    with costs of £85.00: (first case, second case, second reference)."""
    first = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=first, kind="fine", amount_pence=30_000)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=first,
            kind="instalments",
            instalment_pence=2_500,
            frequency="weekly",
            first_due=date(2026, 11, 30),
        )
        second = cases.open_case(
            s, world.clerk, case_type="FINE", subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )  # fmt: skip
        ledger.add_imposition(
            s, world.clerk, case_id=second.id or 0, kind="costs", amount_pence=8_500
        )
    return first, second.id or 0, second.reference


async def test_f4_asks_which_account_and_pays_the_second(
    frozen_clock: object, world: World
) -> None:
    first, second, reference = _two_accounts(world)
    app = CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        await press(pilot, *"Siobh")
        await wait_for(pilot, lambda: "1 found" in screen_text(app), 5)
        await press(pilot, "f4")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 5)
        assert "Which account does" in screen_text(app)
        assert world.case.reference in screen_text(app) and reference in screen_text(app)
        await press(pilot, "down", "enter")  # the second account
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentDialog), 5)
        assert "Take a payment: " + reference in screen_text(app)
        await press(pilot, "end", "ctrl+u", *"10.00", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen), 5)
        assert "Received £10.00" in screen_text(app)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen), 5)
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    assert [(p.case_id, p.kind, p.amount_pence, p.created_by_id) for p in rows] == [
        (second, "payment", 1_000, world.desk.id)
    ]
    assert first != second
