"""The enforcement stage in words names the next step on the case type's path and the day it
becomes due (issue 14): in the account view, the case header's words and `account show`."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.services import accounts, cases, ledger, money_run, payment_terms, tasks
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _fines_case(world: World) -> str:
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="FINE",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
        ledger.add_imposition(
            s, world.clerk, case_id=case.id or 0, kind="fine", amount_pence=20_000
        )
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case.id or 0,
            kind="instalments",
            instalment_pence=2_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
        return case.reference


def _view(world: World, reference: str) -> accounts.AccountView:
    with world.db.read() as s:
        return accounts.show_account(s, world.clerk, reference_or_id=reference)


def _run_and_confirm(world: World) -> None:
    with world.db.write() as s:
        proposed = money_run.run_enforcement(s, world.manager).proposed
    assert len(proposed) == 1
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=proposed[0].task_id or 0)


def test_the_stage_names_the_next_step_and_its_date(world: World, tmp_path: Path) -> None:
    reference = _fines_case(world)  # 4 weekly £20.00 instalments due by the 23rd, none paid
    view = _view(world, reference)
    assert view.next_step == accounts.NextStep(
        "reminder", "Reminder", "Payment reminder", date(2026, 11, 23)
    )
    assert view.stage == "In arrears: 4 instalments missed, £80.00 behind; reminder next on 23/11"
    assert view.header_text() == "Owes £200.00 (arrears £80.00) · reminder next on 23/11"
    _run_and_confirm(world)  # the reminder, confirmed on Monday 23rd
    view = _view(world, reference)
    assert view.stage == "Reminder sent 23/11; further steps notice next on 07/12"
    assert view.next_step is not None and view.next_step.on == date(2026, 12, 7)
    clock.freeze(datetime(2026, 12, 7, 9, 0))
    _run_and_confirm(world)  # the further steps notice, confirmed on Monday 7 December
    view = _view(world, reference)
    assert view.stage == "Further steps notice sent 07/12; attachment of earnings next on 21/12"
    assert view.next_step == accounts.NextStep(
        "attachment_of_earnings",
        "Attachment of earnings",
        "Attachment of earnings order",
        date(2026, 12, 21),
    )
    shown = run_cli(tmp_path, "account", "show", reference, "--json", db=world.db.url)
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["next_step"] == {
        "action": "attachment_of_earnings",
        "label": "Attachment of earnings",
        "letter": "Attachment of earnings order",
        "on": "2026-12-21",
    }
    text = run_cli(tmp_path, "account", "show", reference, db=world.db.url)
    assert "Next step: Attachment of earnings on 21/12/2026 (letter: Attachment of earnings" in (
        text.out
    )


def test_no_next_step_while_paying_to_terms_or_awaiting_the_officer(world: World) -> None:
    reference = _fines_case(world)
    with world.db.write() as s:
        ledger.take_payment(
            s,
            world.clerk,
            case_id=_view(world, reference).case_id,
            amount_pence=8_000,
            method="cash",
        )
    view = _view(world, reference)
    assert view.next_step is None
    assert view.stage == "Paying to terms; next £20.00 due 30/11/2026"
    other = _fines_case(world)
    with world.db.write() as s:
        money_run.run_enforcement(s, world.manager)
    view = _view(world, other)
    assert view.next_step is None
    assert view.stage == "Reminder proposed 23/11, awaiting the officer"
