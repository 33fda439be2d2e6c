"""The account's next enforcement step on screen (issue 14): the case header and the Account
section name the next action on the path and its date."""

from __future__ import annotations

from datetime import date

from caseterm.core.services import cases, ledger, payment_terms
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


async def test_the_header_and_section_name_the_next_step(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        ledger.add_imposition(s, w.clerk, case_id=case.id or 0, kind="fine", amount_pence=20_000)
        payment_terms.set_terms(
            s,
            w.clerk,
            case_id=case.id or 0,
            kind="instalments",
            instalment_pence=2_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
        case_id = case.id or 0
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "Owes £200.00" in screen_text(app), 5)
        assert "Owes £200.00 (arrears £80.00) · reminder next on 23/11" in screen_text(app)
        await press(pilot, "8")
        await wait_for(pilot, lambda: "Stage:" in screen_text(app), 5)
        assert (
            "Stage: In arrears: 4 instalments missed, £80.00 behind; reminder next on 23/11"
            in screen_text(app)
        )
