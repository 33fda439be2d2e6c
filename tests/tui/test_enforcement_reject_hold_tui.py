"""The Account section's other enforcement keys with Pilot (issue 14), asserted in the database:
`v` rejects the step the money run proposed with a reason (the step rejected, its task
cancelled) and `H` holds the account's enforcement with a reason and an until-date, then `H`
again releases it. And `X` in Checks awaiting me (`K`) rejects a money decision held for a
checker: nothing is posted."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input

from caseterm.core.models import EnforcementHold, EnforcementStep, MoneyDecision, Payment, Task
from caseterm.core.services import cases, ledger, money_decisions, money_run, payment_terms
from caseterm.tui.account.enforcement import HoldScreen
from caseterm.tui.account.enforcement_dialogs import StepReasonDialog
from caseterm.tui.app import CasetermApp
from caseterm.tui.letters.checks_screen import ChecksScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _proposed_reminder(tui_world: TuiWorld) -> tuple[int, int]:
    """A fines case two instalments behind, the money run's reminder proposed: (case, task)."""
    w = tui_world.world
    with w.db.write() as s:
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
    return case_id, proposal.task_id or 0


async def _account_section(app: CasetermApp, pilot: Pilot[Any], case_id: int) -> None:
    app.open_case(case_id)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)
    await press(pilot, "8")
    await wait_for(pilot, lambda: "Stage:" in screen_text(app), 5)


async def _give_reason(app: CasetermApp, pilot: Pilot[Any], reason: str) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, StepReasonDialog), 5)
    await settle(pilot)
    app.screen.query_one("#step-reason", Input).value = reason
    await press(pilot, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)


async def test_v_rejects_the_proposed_step_with_a_reason(tui_world: TuiWorld) -> None:
    case_id, task_id = _proposed_reminder(tui_world)
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _account_section(app, pilot, case_id)
        await wait_for(pilot, lambda: "awaiting the officer" in screen_text(app), 5)
        await press(pilot, "v")
        await wait_for(pilot, lambda: "Reject reminder on" in screen_text(app), 5)
        await _give_reason(app, pilot, "paid at the counter this morning")
        await wait_for(pilot, lambda: "awaiting the officer" not in screen_text(app), 5)
    with w.db.read() as s:
        step = s.exec(select(EnforcementStep).where(EnforcementStep.case_id == case_id)).one()
        task = s.get(Task, task_id)
    assert (step.status, step.reason, step.decided_by_id) == (
        "rejected",
        "paid at the counter this morning",
        w.worker.id,
    )
    assert step.document_id is None
    assert task is not None and task.status == "cancelled"


async def test_h_holds_until_a_date_then_h_releases(tui_world: TuiWorld) -> None:
    case_id, _ = _proposed_reminder(tui_world)
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _account_section(app, pilot, case_id)
        await press(pilot, "H")
        await wait_for(pilot, lambda: isinstance(app.screen, HoldScreen), 5)
        await settle(pilot)
        app.screen.query_one("#sf-reason", Input).value = "appeal lodged"
        app.screen.query_one("#sf-until", Input).value = "12/01/2027"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "On hold until 12/01" in screen_text(app), 5)
        with w.db.read() as s:
            held = s.exec(select(EnforcementHold).where(EnforcementHold.case_id == case_id)).one()
        assert (held.reason, held.until, held.placed_by_id, held.released_at) == (
            "appeal lodged",
            date(2027, 1, 12),
            w.worker.id,
            None,
        )
        await press(pilot, "H")
        await wait_for(pilot, lambda: "Release" in screen_text(app), 5)
        await _give_reason(app, pilot, "appeal withdrawn")
        await wait_for(pilot, lambda: "On hold" not in screen_text(app), 5)
    with w.db.read() as s:
        hold = s.exec(select(EnforcementHold).where(EnforcementHold.case_id == case_id)).one()
    assert hold.released_at is not None
    assert (hold.released_by_id, hold.release_reason) == (w.worker.id, "appeal withdrawn")


async def test_x_in_checks_awaiting_me_rejects_a_held_write_off(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = w.case.id or 0
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=41_350)
        held = money_decisions.write_off(s, w.worker, case_id=case_id, reason_code="deceased")
    assert held.status == "pending"  # beyond a caseworker's £50
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await wait_for(pilot, lambda: isinstance(app.screen, ChecksScreen), 5)
        table = app.screen.query_one("#money-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        await press(pilot, "X")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
        await settle(pilot)
        app.screen.query_one("#prompt-answer", Input).value = "no death certificate on file"
        await press(pilot, "enter")
        await wait_for(pilot, lambda: table.count == 0, 5)
    with w.db.read() as s:
        decided = s.get(MoneyDecision, held.id)
        assert s.exec(select(Payment)).all() == []
    assert decided is not None
    assert (decided.status, decided.checker_id, decided.decision_reason) == (
        "rejected",
        w.manager.id,
        "no death certificate on file",
    )
