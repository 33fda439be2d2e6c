"""`caseterm account adjust | decisions REF | last-means`: --json, one-line refusals, nothing
posted when refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Payment
from caseterm.core.rules.means import Figures
from caseterm.core.services import ledger, means, money_decision_checks, money_decisions
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def account(frozen_clock: datetime, world: World) -> str:
    with world.db.write() as s:
        for kind, pence in (("fine", 30_000), ("costs", 8_500)):
            ledger.add_imposition(
                s, world.clerk, case_id=world.case.id or 0, kind=kind, amount_pence=pence
            )
    return world.case.reference


def _ledger(world: World) -> list[tuple[str, int, str]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(r.kind, r.amount_pence, r.reason) for r in rows]


def test_an_adjustment_either_way_and_held_beyond_the_limit(
    world: World, account: str, tmp_path: Path
) -> None:
    up = run_cli(
        tmp_path,
        "account",
        "adjust",
        account,
        "--amount=-12.50",
        "--reason",
        "court fee left off",
        "--json",
        db=world.db.url,
        user="worker",
    )
    assert up.code == 0, up.err
    assert (up.json()["status"], up.json()["balance_after_pence"]) == ("posted", 39_750)
    held = run_cli(
        tmp_path,
        "account",
        "adjust",
        account,
        "--amount",
        "30",
        "--reason",
        "keyed twice",
        db=world.db.url,
        user="worker",
    )
    assert held.code == 0, held.err
    assert "held for a checker as decision #" in held.out
    assert "£30.00 is over your limit of £25.00" in held.out
    bad = run_cli(
        tmp_path,
        "account",
        "adjust",
        account,
        "--amount",
        "0",
        "--reason",
        "x",
        db=world.db.url,
        user="worker",
    )
    assert bad.code != 0 and bad.err.strip().splitlines() == [
        "caseterm: --amount: must be more than £0.00"
    ]
    assert _ledger(world) == [("adjustment", -1_250, "court fee left off")]


def test_a_cases_decision_history(world: World, account: str, tmp_path: Path) -> None:
    with world.db.write() as s:
        held = money_decisions.write_off(
            s, world.worker, case_id=world.case.id or 0, reason_code="deceased"
        )
    with world.db.write() as s:
        money_decision_checks.reject_decision(
            s, world.manager, decision_id=held.id or 0, reason="no certificate"
        )
    run = run_cli(
        tmp_path, "account", "decisions", account, "--json", db=world.db.url, user="clerk"
    )
    assert run.code == 0, run.err
    assert [(d["status"], d["checker"], d["decision_reason"]) for d in run.json()] == [
        ("rejected", "Mandy Manager", "no certificate")
    ]
    table = run_cli(tmp_path, "account", "decisions", account, db=world.db.url, user="clerk")
    assert "no certificate" in table.out and "Wendy Worker" in table.out
    mine = run_cli(tmp_path, "account", "decisions", "--json", db=world.db.url, user="boss")
    assert mine.code == 0 and mine.json() == []  # awaiting the manager: none now


def test_the_last_means_form(world: World, account: str, tmp_path: Path) -> None:
    none = run_cli(tmp_path, "account", "last-means", account, db=world.db.url, user="worker")
    assert none.code != 0 and "means form of case" in none.err
    with world.db.write() as s:
        means.record_means(
            s,
            world.worker,
            case_id=world.case.id or 0,
            figures=Figures(wages=40_000, food=6_000),
        )
    run = run_cli(
        tmp_path, "account", "last-means", account, "--json", db=world.db.url, user="worker"
    )
    assert run.code == 0, run.err
    got = run.json()
    assert (got["figures"]["wages"], got["figures"]["food"], got["frequency"]) == (
        40_000,
        6_000,
        "weekly",
    )
