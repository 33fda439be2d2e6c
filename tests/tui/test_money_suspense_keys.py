"""Money keys with Pilot, asserted in the database: `L` on the Suspense queue allocates a bank
credit held in suspense to an account (and settles an account's overpayment), `J` on the
Account section adjusts the ledger, `h` lists the case's money decisions, `M` opens the
means form filled from the last assessment, and `L` on the bank statement screen allocates a
line it has just put in suspense."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from caseterm.core.models import BankLine, MeansAssessment, Payment, Task
from caseterm.core.rules.means import Figures
from caseterm.core.services import (
    bank_import,
    ledger,
    means,
    money_decision_checks,
    money_decisions,
)
from caseterm.core.services.queues import TaskRow
from caseterm.tui.account.adjust import AdjustScreen, MeansFromLastScreen
from caseterm.tui.account.decisions import DecisionsScreen
from caseterm.tui.app import CasetermApp
from caseterm.tui.bank.import_screen import BankImportScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.suspense.forms import AllocateSuspenseScreen, SettleOverpaymentScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _account(tw: TuiWorld, fine: int = 5_000) -> int:
    w = tw.world
    case_id = w.case.id or 0
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=fine)
    return case_id


def _fill(screen: object, **values: str) -> None:
    for name, value in values.items():
        widget = screen.query_one(f"#sf-{name}")  # type: ignore[attr-defined]
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


async def _suspense_queue(pilot: Pilot[Any], app: App[Any]) -> PagedTable[TaskRow]:
    screen = app.screen
    assert isinstance(screen, QueuesScreen)
    screen.show_queue("suspense")
    table = screen.task_table()
    await wait_for(pilot, lambda: bool(table.count) and table.current_row is not None, 5)
    return table


async def test_a_bank_credit_in_suspense_is_allocated_from_its_task(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _account(tui_world)
    with w.db.write() as s:
        content = b"Date,Amount,Reference,Name\n20/11/2026,12.00,NO IDEA,J Smith\n"
        bank_import.import_statement(s, w.clerk, filename="s.csv", content=content)
        line = s.exec(select(BankLine)).one()
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = await _suspense_queue(pilot, app)
        row = table.current_row
        assert row is not None and row.task_id == line.task_id
        await press(pilot, "L")
        await wait_for(pilot, lambda: isinstance(app.screen, AllocateSuspenseScreen), 5)
        await settle(pilot)
        assert "Bank credit £12.00 on 20/11/2026 from J Smith" in screen_text(app)
        _fill(app.screen, case=w.case.reference, amount="12.00")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueuesScreen), 5)
        await wait_for(pilot, lambda: table.count == 0, 5)
    with tui_world.db.read() as s:
        posted = s.get(BankLine, line.id)
        task = s.get(Task, line.task_id)
        payments = s.exec(select(Payment)).all()
    assert posted is not None and (posted.status, posted.case_id) == ("posted", case_id)
    assert task is not None and task.status == "done" and task.completed_by_id == w.clerk.id
    assert [(p.kind, p.amount_pence, p.method, p.created_by_id) for p in payments] == [
        ("payment", 1_200, "bank_transfer", w.clerk.id)
    ]


async def test_an_overpayment_is_refunded_from_its_task(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _account(tui_world)
    with w.db.write() as s:
        receipt = ledger.take_payment(
            s, w.clerk, case_id=case_id, amount_pence=6_000, method="cash"
        )
    app = tui_world.app(w.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = await _suspense_queue(pilot, app)
        await press(pilot, "L")
        await wait_for(pilot, lambda: isinstance(app.screen, SettleOverpaymentScreen), 5)
        await settle(pilot)
        _fill(app.screen, how="refund", reason="by cheque")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QueuesScreen), 5)
        await wait_for(pilot, lambda: table.count == 0, 5)
    with tui_world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
        task = s.get(Task, receipt.suspense_task_id)
    assert [(r.kind, r.amount_pence, r.reason) for r in rows] == [
        ("payment", 6_000, ""),
        ("refund", -1_000, "by cheque"),
    ]
    assert task is not None and task.status == "done"


async def _account_section(pilot: Pilot[Any], app: CasetermApp, case_id: int) -> None:
    await settle(pilot)
    app.open_case(case_id)
    await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    await settle(pilot)
    await press(pilot, "8")
    await wait_for(pilot, lambda: "Balance £" in screen_text(app), 5)


async def test_an_adjustment_from_the_account_section(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _account(tui_world)
    app = tui_world.app(w.worker)
    async with app.run_test(size=(80, 24)) as pilot:
        await _account_section(pilot, app, case_id)
        await press(pilot, "J")
        await wait_for(pilot, lambda: isinstance(app.screen, AdjustScreen), 5)
        await settle(pilot)
        _fill(app.screen, amount="-7.50", reason="court fee left off")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "Balance £57.50" in screen_text(app), 5)
    with tui_world.db.read() as s:
        rows = s.exec(select(Payment)).all()
    assert [(r.kind, r.amount_pence, r.reason, r.created_by_id) for r in rows] == [
        ("adjustment", -750, "court fee left off", w.worker.id)
    ]


async def test_the_decision_history_lists_what_was_held(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _account(tui_world, fine=50_000)
    with w.db.write() as s:
        held = money_decisions.write_off(s, w.worker, case_id=case_id, reason_code="deceased")
    with w.db.write() as s:
        money_decision_checks.reject_decision(
            s, w.manager, decision_id=held.id or 0, reason="no death certificate"
        )
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await _account_section(pilot, app, case_id)
        await press(pilot, "h")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionsScreen), 5)
        table = app.screen.query_one("#decisions-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        text = screen_text(app)
        assert "write off £500.00 (Deceased)" in text
        assert "rejected by Mandy Manager" in text and "no death certificate" in text
        row = table.current_row
        assert row is not None and row.id == held.id
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tui_world.db.read() as s:
        assert s.exec(select(Payment)).all() == []  # nothing was posted


async def test_the_means_form_opens_from_the_last_assessment(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _account(tui_world, fine=50_000)
    with w.db.write() as s:
        first = means.record_means(
            s,
            w.worker,
            case_id=case_id,
            figures=Figures(wages=30_000, housing=12_000, food=6_000, dependants=1),
        )
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await _account_section(pilot, app, case_id)
        await press(pilot, "M")
        await wait_for(pilot, lambda: isinstance(app.screen, MeansFromLastScreen), 5)
        await settle(pilot)
        form = app.screen
        assert form.values()["wages"] == "300.00"  # type: ignore[attr-defined]
        assert form.values()["dependants"] == "1"  # type: ignore[attr-defined]
        assert f"From means form #{first.id}" in screen_text(app)
        _fill(form, wages="320")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tui_world.db.read() as s:
        rows = s.exec(select(MeansAssessment).order_by(col(MeansAssessment.id))).all()
    assert [(r.wages_pence, r.housing_pence, r.food_pence, r.dependants) for r in rows] == [
        (30_000, 12_000, 6_000, 1),
        (32_000, 12_000, 6_000, 1),
    ]


async def test_a_line_posted_to_suspense_is_allocated_from_the_statement(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    w = tui_world.world
    case_id = _account(tui_world)
    csv = tmp_path / "nov.csv"
    csv.write_text("Date,Amount,Reference,Name\n21/11/2026,3.00,UNKNOWN,Someone\n", "utf-8")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "M")
        await wait_for(pilot, lambda: isinstance(app.screen, BankImportScreen), 5)
        screen = app.screen
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, *str(csv))
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, "enter")  # the usual headings
        table = screen.query_one("#bank-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 10)
        await press(pilot, "P")
        await wait_for(pilot, lambda: "Posted 0 payments" in screen_text(app), 10)
        await wait_for(pilot, lambda: table.current_row is not None, 5)
        await press(pilot, "L")
        await wait_for(pilot, lambda: isinstance(app.screen, AllocateSuspenseScreen), 5)
        await settle(pilot)
        _fill(app.screen, case=w.case.reference)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, 5)
        await wait_for(pilot, lambda: "allocated" in screen_text(app), 5)
    with tui_world.db.read() as s:
        line = s.exec(select(BankLine)).one()
        payments = s.exec(select(Payment)).all()
    assert (line.status, line.case_id, line.matched_by) == ("posted", case_id, "by_hand")
    assert [(p.amount_pence, p.method, p.paid_on) for p in payments] == [
        (300, "bank_transfer", date(2026, 11, 21))
    ]


async def test_a_wrong_case_or_amount_is_named_and_nothing_posted(tui_world: TuiWorld) -> None:
    w = tui_world.world
    _account(tui_world)
    with w.db.write() as s:
        content = b"Date,Amount,Reference,Name\n20/11/2026,12.00,NO IDEA,J Smith\n"
        bank_import.import_statement(s, w.clerk, filename="s.csv", content=content)
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _suspense_queue(pilot, app)
        await press(pilot, "L")
        await wait_for(pilot, lambda: isinstance(app.screen, AllocateSuspenseScreen), 5)
        await settle(pilot)
        _fill(app.screen, case="OM/2099/000999")
        await press(pilot, "ctrl+s")
        await wait_for(
            pilot, lambda: "Case reference: no case 'OM/2099/000999'" in screen_text(app), 5
        )
        _fill(app.screen, case=w.case.reference, amount="11")
        await press(pilot, "ctrl+s")
        await wait_for(
            pilot, lambda: "does not agree with the bank line's £12.00" in screen_text(app), 5
        )
        assert isinstance(app.screen, AllocateSuspenseScreen)  # still open, nothing lost
    with tui_world.db.read() as s:
        assert s.exec(select(Payment)).all() == []
        assert s.exec(select(BankLine)).one().status == "suspense"
