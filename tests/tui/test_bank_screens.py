"""The money office in the workstation: `M` opens the bank statement import (o reads a file,
space holds a line back, P posts) and `Y` the banking against the cash-up (e enters what was
banked); each asserted in the database."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from caseterm.core.models import Banking, BankLine, Payment, Task
from caseterm.core.services import ledger
from caseterm.tui.bank.banking_screen import BankingScreen
from caseterm.tui.bank.import_screen import BankImportScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _account(tw: TuiWorld) -> str:
    w = tw.world
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=30_000)
    return w.case.reference


async def test_import_a_statement_holding_one_line_back(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    reference = _account(tui_world)
    w = tui_world.world
    csv = tmp_path / "nov.csv"
    csv.write_text(
        "Posted,Paid in,Their ref,Payer\n"
        f"20/11/2026,40.00,{reference},A Payer\n"
        f"20/11/2026,9.00,{reference},A Payer\n"
        "21/11/2026,3.00,UNKNOWN,Someone\n",
        encoding="utf-8",
    )
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "M")
        await settle(pilot)
        assert isinstance(app.screen, BankImportScreen)
        screen = app.screen
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, *str(csv))
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, *"date=Posted,amount=Paid in,reference=Their ref,name=Payer")
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, *"Lloyds")
        await press(pilot, "enter")
        await settle(pilot)
        table = screen.query_one("#bank-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 3, 10)
        assert "2 will post, 1 to suspense" in screen_text(app)
        await press(pilot, "down", "space")  # hold back the £9.00 line
        await press(pilot, "P")
        await settle(pilot)
        await wait_for(pilot, lambda: "Posted 1 payments" in screen_text(app), 10)
    with w.db.read() as s:
        payments = s.exec(select(Payment).order_by(col(Payment.id))).all()
        lines = s.exec(select(BankLine).order_by(col(BankLine.line_no))).all()
        tasks = s.exec(select(Task).where(Task.kind == "suspense")).all()
    assert [(p.amount_pence, p.method) for p in payments] == [(4_000, "bank_transfer")]
    assert [(x.line_no, x.status) for x in lines] == [
        (2, "posted"),
        (3, "suspense"),
        (4, "suspense"),
    ]
    assert lines[1].note == "held back at review" and len(tasks) == 2


async def test_enter_what_was_banked_against_the_cash_up(tui_world: TuiWorld) -> None:
    _account(tui_world)
    w = tui_world.world
    with w.db.write() as s:
        ledger.take_payment(s, w.clerk, case_id=w.case.id or 0, amount_pence=12_345, method="cash")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "Y")
        await settle(pilot)
        assert isinstance(app.screen, BankingScreen)
        table = app.screen.query_one("#banking-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 10)
        assert "expected £123.45" in screen_text(app)
        await press(pilot, "e")
        await settle(pilot)
        await press(pilot, "ctrl+u", *"120.00", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "difference -£3.45" in screen_text(app), 10)
    with w.db.read() as s:
        [row] = s.exec(select(Banking)).all()
    assert (row.method, row.banked_pence, row.expected_pence) == ("cash", 12_000, 12_345)


async def test_a_caseworker_is_not_offered_the_money_office(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "M")
        await settle(pilot)
        assert not isinstance(app.screen, BankImportScreen)
