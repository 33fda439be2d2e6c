"""`caseterm account means | result | remit | increase | decisions | approve | reject`, and
`writeoff` held for a checker beyond the officer's limit: --json, one-line refusals, nothing
posted when refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CourtResult, Imposition, MeansAssessment, Payment, PaymentTerms
from caseterm.core.services import ledger
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def account(frozen_clock: datetime, world: World) -> str:
    with world.db.write() as s:
        for kind, pence in (("fine", 30_000), ("costs", 8_500), ("victim_surcharge", 3_000)):
            ledger.add_imposition(
                s, world.clerk, case_id=world.case.id or 0, kind=kind, amount_pence=pence
            )
    return world.case.reference


def _ledger(world: World) -> list[tuple[str, int, str]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(r.kind, r.amount_pence, r.reference) for r in rows]


def test_a_means_form_with_terms(world: World, account: str, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "account",
        "means",
        account,
        "--wages",
        "400",
        "--housing",
        "150",
        "--food",
        "60",
        "--dependants",
        "2",
        "--terms-from",
        "2026-11-30",
        "--json",
        db=world.db.url,
        user="worker",
    )
    assert run.code == 0, run.err
    info = run.json()
    # £400 in; £210 out plus £40 for two dependants: £150 disposable, £75 proposed a week.
    assert (info["disposable_pence"], info["proposed_pence"]) == (15_000, 7_500)
    assert info["terms"]["status"] == "posted"
    with world.db.read() as s:
        means = s.exec(select(MeansAssessment)).one()
        terms = s.exec(select(PaymentTerms)).one()
    assert means.terms_id == terms.id and terms.instalment_pence == 7_500
    text = run_cli(
        tmp_path, "account", "means", account, "--benefits", "90", db=world.db.url, user="worker"
    )
    assert "Proposed instalment £45.00 weekly" in text.out
    bad = run_cli(
        tmp_path, "account", "means", account, "--food", "1.234", db=world.db.url, user="worker"
    )
    assert bad.one_error_line() == "caseterm: --food: has more than two decimal places (1.234)"


def test_a_court_result_all_or_nothing(
    world: World, tmp_path: Path, frozen_clock: datetime
) -> None:
    ref = world.case.reference
    bad = run_cli(
        tmp_path,
        "account",
        "result",
        ref,
        "--hearing",
        "2026-11-20",
        "--impose",
        "fine=200",
        "--impose",
        "bribe=5",
        db=world.db.url,
        user="clerk",
    )
    assert bad.one_error_line().startswith("caseterm: imposition 2 kind: unknown 'bribe'")
    with world.db.read() as s:
        assert s.exec(select(Imposition)).all() == []
    run = run_cli(
        tmp_path,
        "account",
        "result",
        ref,
        "--hearing",
        "2026-11-20",
        "--court",
        "Preston Magistrates' Court",
        "--impose",
        "fine=200",
        "--impose",
        "compensation=50@Mr A Victim",
        "--from",
        "2026-12-18",
        "--instalment",
        "25",
        "--next-hearing",
        "2027-02-01",
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert run.code == 0, run.err
    info = run.json()
    assert (info["imposed_pence"], info["next_hearing_on"]) == (25_000, "2027-02-01")
    with world.db.read() as s:
        imposed = s.exec(select(Imposition).order_by(col(Imposition.id))).all()
        assert s.exec(select(CourtResult)).one().collection_order is True
    assert [(i.kind, i.creditor) for i in imposed] == [
        ("fine", ""),
        ("compensation", "Mr A Victim"),
    ]


def test_a_write_off_beyond_the_limit_is_approved_by_a_checker(
    world: World, account: str, tmp_path: Path
) -> None:
    held = run_cli(
        tmp_path,
        "account",
        "writeoff",
        account,
        "--reason",
        "deceased",
        "--json",
        db=world.db.url,
        user="worker",
    )
    assert held.code == 0, held.err
    decision = held.json()
    assert (decision["status"], decision["why_held"]) == (
        "pending",
        "£415.00 is over your limit of £50.00",
    )
    assert _ledger(world) == []
    listed = run_cli(tmp_path, "account", "decisions", "--json", db=world.db.url, user="boss")
    assert [r["id"] for r in listed.json()] == [decision["id"]]
    own = run_cli(
        tmp_path, "account", "approve", str(decision["id"]), db=world.db.url, user="worker"
    )
    assert own.one_error_line().startswith(
        "caseterm: worker may not approve write-offs, remissions and term changes held for a "
        "checker"
    )
    ok = run_cli(tmp_path, "account", "approve", str(decision["id"]), db=world.db.url, user="boss")
    assert ok.out.strip() == (
        f"{account}: decision #{decision['id']} approved by Mandy Manager "
        "(write off £415.00 (Deceased))"
    )
    assert _ledger(world) == [("write_off", 41_500, "")]


def test_remit_reject_and_increase(world: World, account: str, tmp_path: Path) -> None:
    held = run_cli(
        tmp_path,
        "account",
        "remit",
        account,
        "20",
        "--reason",
        "hardship",
        "--json",
        db=world.db.url,
        user="clerk",
    ).json()
    assert held["status"] == "pending"
    no = run_cli(
        tmp_path,
        "account",
        "reject",
        str(held["id"]),
        "--reason",
        "no evidence",
        db=world.db.url,
        user="boss",
    )
    assert "rejected by Mandy Manager" in no.out and no.out.strip().endswith(": no evidence")
    up = run_cli(
        tmp_path,
        "account",
        "increase",
        account,
        "--percent",
        "50",
        "--reason",
        "second default",
        "--json",
        db=world.db.url,
        user="worker",
    )
    assert up.json()["amount_pence"] == 15_000
    more = run_cli(
        tmp_path,
        "account",
        "increase",
        account,
        "--amount",
        "0.01",
        "--reason",
        "again",
        db=world.db.url,
        user="worker",
    )
    assert more.one_error_line() == (
        "caseterm: increase: £0.01 would take the increases past 50% of the fine (£150.00); "
        "£0.00 may still be added"
    )
    assert _ledger(world) == [("adjustment", -15_000, "increase")]
