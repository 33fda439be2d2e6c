"""The Account section with Pilot: the balance in the header, the section's figures, and taking
a payment with `p` then `enter` (the amount due offered), asserted in the ledger."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from textual.widgets import Input

from caseterm.core.models import Payment, Task
from caseterm.core.services import ledger, payment_terms
from caseterm.tui.account.payment import PaymentDialog, ReceiptScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _account(tw: TuiWorld) -> int:
    w = tw.world
    case_id = w.case.id or 0
    with w.db.write() as s:
        for kind, pence in (("fine", 40_000), ("costs", 8_500), ("victim_surcharge", 4_000)):
            ledger.add_imposition(s, w.clerk, case_id=case_id, kind=kind, amount_pence=pence)
        payment_terms.set_terms(
            s,
            w.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=2_500,
            frequency="weekly",
            first_due=date(2026, 11, 9),
        )
        ledger.take_payment(s, w.clerk, case_id=case_id, amount_pence=2_500, method="card")
    return case_id


def _ledger(tw: TuiWorld) -> list[tuple[str, int, str, int | None]]:
    with tw.world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(r.kind, r.amount_pence, r.method, r.created_by_id) for r in rows]


async def test_take_a_payment_in_two_keys(tui_world: TuiWorld) -> None:
    _account(tui_world)
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        lines = screen_text(app).splitlines()
        # Due 9, 16 and 23 November (£75.00), £25.00 paid: £50.00 behind.
        assert "Open · Owes £500.00 (arrears £50.00)" in lines[1]
        await press(pilot, "8")
        await settle(pilot)
        text = screen_text(app)
        assert "Arrears £50.00 (2 missed)" in text
        assert "Stage: In arrears: 2 instalments missed, £50.00 behind" in text
        await press(pilot, "dollar_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentDialog), 5)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen), 5)
        await settle(pilot)
        receipt = screen_text(app)
        assert "Received £50.00 by Card" in receipt and "Balance now £450.00" in receipt
        await press(pilot, "escape")
        await settle(pilot)
        assert "Owes £450.00 · P3" in screen_text(app).splitlines()[1]
    assert _ledger(tui_world) == [
        ("payment", 2_500, "card", tui_world.world.clerk.id),
        ("payment", 5_000, "card", tui_world.world.clerk.id),
    ]


async def test_a_bad_amount_is_refused_in_the_dialog(tui_world: TuiWorld) -> None:
    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "dollar_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentDialog), 5)
        app.screen.query_one("#amount", Input).value = "1.234"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PaymentDialog)
        assert "amount: has more than two decimal places (1.234)" in screen_text(app)
        await press(pilot, "escape")
        await settle(pilot)
    assert len(_ledger(tui_world)) == 1


async def test_an_overpayment_makes_a_suspense_task(tui_world: TuiWorld) -> None:
    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "dollar_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentDialog), 5)
        app.screen.query_one("#amount", Input).value = "510"
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen), 5)
        await settle(pilot)
        assert "Held in suspense: £10.00 (more than was owed)" in screen_text(app)
    with tui_world.world.db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "suspense")).one()
    assert task.case_id == case_id
    assert _ledger(tui_world)[-1][:2] == ("payment", 51_000)


async def test_reverse_a_payment_with_x(tui_world: TuiWorld) -> None:
    from caseterm.tui.account.payment import ReasonDialog

    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "8")
        await settle(pilot)
        await press(pilot, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonDialog), 5)
        assert "Reverse Payment £25.00 on 23/11/2026" in screen_text(app)
        app.screen.query_one("#reason", Input).value = "cheque dishonoured"
        await press(pilot, "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "Owes £525.00" in screen_text(app), 5)
    with tui_world.world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    assert [(r.kind, r.amount_pence, r.reverses_id, r.reason) for r in rows] == [
        ("payment", 2_500, None, ""),
        ("reversal", -2_500, rows[0].id, "cheque dishonoured"),
    ]
