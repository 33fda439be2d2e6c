"""The daily cash-up per officer in the workstation (issue 14): `Y` (banking), `c` shows, for
the day, what each officer took by each method, from the service `money cashup` uses."""

from __future__ import annotations

from caseterm.core.services import ledger
from caseterm.tui.bank.banking_screen import BankingScreen
from caseterm.tui.bank.cashup_screen import CashUpScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


async def test_the_cash_up_per_officer(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = w.case.id or 0
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=50_000)
        ledger.take_payment(s, w.clerk, case_id=case_id, amount_pence=12_345, method="cash")
        ledger.take_payment(s, w.clerk, case_id=case_id, amount_pence=1_000, method="cash")
        ledger.take_payment(s, w.worker, case_id=case_id, amount_pence=3_000, method="card")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "Y")
        await wait_for(pilot, lambda: isinstance(app.screen, BankingScreen), 5)
        await wait_for(pilot, lambda: "expected" in screen_text(app), 5)
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CashUpScreen), 5)
        table = app.screen.query_one("#cashup-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 2, 5)
        text = screen_text(app)
        assert "Mon 23/11/2026: 3 payments, £163.45 taken by 2 officers" in text
        rows = [" ".join(line.split()) for line in text.splitlines()]
        assert any("Claire Clerk clerk Cash 2 £133.45" in r for r in rows), text
        assert any("Wendy Worker worker Card 1 £30.00" in r for r in rows), text
        await press(pilot, "left_square_bracket")
        await wait_for(pilot, lambda: "Nothing taken this day." in screen_text(app), 5)
        assert "Sun 22/11/2026: 0 payments, £0.00 taken by 0 officers" in screen_text(app)
