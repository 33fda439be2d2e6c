"""Confirming an enforcement step from the TUI (issue 14), asserted in the database: `enter` on
the task in the Enforcement queue opens its case on the Account section with the proposed step,
`c` then `y` confirms it: the step is confirmed, its stock letter drafted and sent for checking,
the task done."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseterm.core.models import Document, EnforcementStep, Task
from caseterm.core.services import cases, ledger, letter_templates, money_run, payment_terms
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.queues import QueuesScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


async def test_enter_on_an_enforcement_task_then_c_confirms_the_step(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        letter_templates.install_stock_templates(s, w.admin)
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        case_id = case.id or 0
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
        payment_terms.set_terms(
            s,
            w.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=2_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
    with w.db.write() as s:
        (proposal,) = money_run.run_enforcement(s, w.manager).proposed
    task_id = proposal.task_id or 0
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        queues = app.screen
        assert isinstance(queues, QueuesScreen)
        queues.show_queue("enforcement")
        table = queues.task_table()
        await wait_for(
            pilot, lambda: table.current_row is not None and table.current_row.task_id == task_id, 5
        )
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "awaiting the officer" in screen_text(app), 5)
        assert "Stage: Reminder proposed 23/11, awaiting the officer" in screen_text(app)
        await press(pilot, "c")
        await wait_for(pilot, lambda: "Confirm reminder on" in screen_text(app), 5)
        await press(pilot, "y")
        await wait_for(pilot, lambda: "Stage: Reminder sent 23/11" in screen_text(app), 5)
    with w.db.read() as s:
        step = s.exec(select(EnforcementStep).where(EnforcementStep.case_id == case_id)).one()
        task = s.get(Task, task_id)
        letter = s.get(Document, step.document_id or 0)
    assert (step.status, step.decided_by_id) == ("confirmed", w.worker.id)
    assert task is not None and task.status == "done"
    assert letter is not None and letter.status == "submitted"
    assert letter.title.startswith("Payment reminder") and "£200.00 is outstanding" in letter.body
