"""The money run: defaulted fines accounts get their next enforcement step as a task, once;
the officer confirms by completing it; the path's days pass before the next step; the stage
reads in words; `caseterm money run` (and --dry-run) from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import EnforcementStep, Task
from caseterm.core.rules import money_enforcement as paths
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import (
    accounts,
    cases,
    ledger,
    money_decisions,
    money_run,
    payment_terms,
    tasks,
)
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _fines_case(world: World, *, paid: int = 0) -> int:
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="FINE",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
        case_id = case.id or 0
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=2_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
        if paid:
            ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=paid, method="cash")
    return case_id


def _steps(world: World) -> list[tuple[int, str]]:
    with world.db.read() as s:
        rows = s.exec(select(EnforcementStep).order_by(col(EnforcementStep.id))).all()
    return [(r.number, r.action) for r in rows]


def test_the_default_path_is_allowed_by_the_catalogue() -> None:
    for path in paths.PATHS.values():
        paths.check_path(path)
    bad = paths.Path(2, (paths.Step("warrant_of_control", 0),))
    with pytest.raises(ValidationError, match="Warrant of control may not follow nothing"):
        paths.check_path(bad)


def test_a_defaulted_account_gets_one_step_at_a_time(world: World) -> None:
    behind = _fines_case(world)  # 4 instalments due by the 23rd, none paid
    _fines_case(world, paid=14_000)  # paid ahead to 14 December: left alone
    with world.db.write() as s:
        dry = money_run.run_enforcement(s, world.manager, dry_run=True)
    assert [(p.case_id, p.action, p.missed, p.arrears_pence) for p in dry.proposed] == [
        (behind, "reminder", 4, 8_000)
    ]
    assert _steps(world) == []
    with world.db.write() as s:
        first = money_run.run_enforcement(s, world.manager)
    with world.db.write() as s:
        again = money_run.run_enforcement(s, world.manager)
    assert len(first.proposed) == 1 and again.proposed == ()
    assert _steps(world) == [(0, "reminder")]
    task_id = first.proposed[0].task_id or 0
    with world.db.read() as s:
        task = s.get(Task, task_id)
        assert task is not None
        view = accounts.build_view(s, cases.find_case(s, first.proposed[0].reference))
    assert (task.kind, task.assignee_id, task.title) == (
        "enforcement",
        world.worker.id,
        f"Reminder due ({first.proposed[0].reference})",
    )
    assert "Letter: Payment reminder." in task.details
    assert view is not None and view.stage == "Reminder proposed 23/11, awaiting the officer"
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=task_id)
    with world.db.write() as s:
        assert money_run.run_enforcement(s, world.manager).proposed == ()  # 14 days to wait
    clock.freeze(datetime(2026, 12, 7, 9, 0))
    with world.db.write() as s:
        later = money_run.run_enforcement(s, world.manager)
    assert [(p.action, p.letter) for p in later.proposed] == [
        ("further_steps_notice", "Further steps notice")
    ]
    with world.db.read() as s:
        fsn = s.get(Task, later.proposed[0].task_id or 0)
    assert fsn is not None and "Appeal window: 10 working days" in fsn.details
    assert _steps(world) == [(0, "reminder"), (1, "further_steps_notice")]


def test_money_run_from_the_command_line(world: World, tmp_path: Path) -> None:
    _fines_case(world)
    dry = run_cli(tmp_path, "money", "run", "--dry-run", "--json", db=world.db.url, user="boss")
    assert dry.code == 0, dry.err
    assert [p["action"] for p in json.loads(dry.out)["proposed"]] == ["reminder"]
    assert _steps(world) == []
    done = run_cli(tmp_path, "money", "run", db=world.db.url, user="boss")
    assert done.out.startswith("1 live accounts with an enforcement path; proposed 1 steps")
    refused = run_cli(tmp_path, "money", "run", db=world.db.url, user="clerk")
    assert refused.code != 0 and CAPABILITY_LABELS["money.correct"] in refused.err
    assert _steps(world) == [(0, "reminder")]


def test_cash_up_per_officer_and_method(world: World, tmp_path: Path) -> None:
    from caseterm.core.services import cashup

    case_id = _fines_case(world)
    with world.db.write() as s:
        a = ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=1_250, method="cash")
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=750, method="cash")
        ledger.take_payment(s, world.worker, case_id=case_id, amount_pence=3_000, method="card")
        ledger.reverse_transaction(s, world.manager, txn_id=a.txn_id, reason="forged note")
        money_decisions.write_off(s, world.manager, case_id=case_id, reason_code="remitted")
    with world.db.read() as s:
        day = cashup.cash_up(s, world.manager, day=date(2026, 11, 23))
    assert [(x.staff_login, x.method, x.count, x.total_pence) for x in day.lines] == [
        ("boss", "Cash", 1, -1_250),
        ("clerk", "Cash", 2, 2_000),
        ("worker", "Card", 1, 3_000),
    ]
    assert (day.count, day.total_pence) == (4, 3_750)
    mine = run_cli(
        tmp_path,
        "money",
        "cashup",
        "--date",
        "23/11/2026",
        "--staff",
        "worker",
        "--json",
        db=world.db.url,
        user="worker",
    )
    assert mine.code == 0, mine.err
    assert json.loads(mine.out)["total_pence"] == 3_000
