"""`caseterm account`: show, pay (with a PDF receipt), reverse, write off and terms, each with
--json, and bad input refused in one line with nothing posted."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Payment, PaymentTerms
from caseterm.core.services import ledger
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture
def account(frozen_clock: datetime, world: World) -> str:
    with world.db.write() as s:
        for kind, pence in (("fine", 30_000), ("costs", 8_500), ("victim_surcharge", 3_000)):
            ledger.add_imposition(
                s, world.clerk, case_id=world.case.id or 0, kind=kind, amount_pence=pence
            )
    return world.case.reference


def _ledger(world: World) -> list[tuple[str, int]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(r.kind, r.amount_pence) for r in rows]


def test_pay_show_reverse_and_write_off(world: World, account: str, tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    paid = run_cli(
        tmp_path,
        "account",
        "pay",
        account,
        "45.50",
        "--method",
        "cash",
        "--reference",
        "till 2",
        "--pdf",
        str(pdf),
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert paid.code == 0, paid.err
    receipt = json.loads(paid.out)
    assert receipt["amount_pence"] == 4_550 and receipt["balance_after_pence"] == 36_950
    assert receipt["receipt_no"] == f"R26-{receipt['txn_id']:07d}"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _ledger(world) == [("payment", 4_550)]

    shown = run_cli(tmp_path, "account", "show", account, "--json", db=world.db.url, user="clerk")
    view = json.loads(shown.out)
    assert (view["balance_pence"], view["paid_pence"]) == (36_950, 4_550)
    assert [(line["kind"], line["paid_pence"]) for line in view["lines"]] == [
        ("victim_surcharge", 3_000),
        ("costs", 1_550),
        ("fine", 0),
    ]
    text = run_cli(tmp_path, "account", "show", account, db=world.db.url, user="clerk")
    assert f"Account {account}: balance £369.50" in text.out

    back = run_cli(
        tmp_path,
        "account",
        "reverse",
        str(receipt["txn_id"]),
        "--reason",
        "counterfeit note",
        "--json",
        db=world.db.url,
        user="boss",
    )
    assert back.code == 0, back.err
    assert json.loads(back.out)["balance_after_pence"] == 41_500
    again = run_cli(
        tmp_path,
        "account",
        "reverse",
        str(receipt["txn_id"]),
        "--reason",
        "twice",
        db=world.db.url,
        user="boss",
    )
    assert again.code != 0
    assert (
        again.err.strip() == f"caseterm: transaction: {receipt['txn_id']} has already been reversed"
    )

    off = run_cli(
        tmp_path,
        "account",
        "writeoff",
        account,
        "--reason",
        "remitted",
        "--json",
        db=world.db.url,
        user="boss",
    )
    assert json.loads(off.out)["amount_pence"] == 41_500
    assert _ledger(world) == [("payment", 4_550), ("reversal", -4_550), ("write_off", 41_500)]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "caseterm: amount: must be more than £0.00"),
        ("-3", "caseterm: amount: must be more than £0.00, not '-3'"),
        ("ten", "caseterm: amount: must be an amount of money like 12.50, not 'ten'"),
        ("2.345", "caseterm: amount: has more than two decimal places (2.345)"),
    ],
)
def test_bad_amounts_post_nothing(
    world: World, account: str, tmp_path: Path, amount: str, message: str
) -> None:
    result = (
        run_cli(
            tmp_path,
            "account",
            "pay",
            account,
            f"{amount}",
            "--method",
            "card",
            db=world.db.url,
            user="clerk",
        )
        if not amount.startswith("-")
        else run_cli(
            tmp_path,
            "account",
            "pay",
            "--method",
            "card",
            account,
            "--",
            amount,
            db=world.db.url,
            user="clerk",
        )
    )
    assert result.code != 0
    assert result.err.strip() == message
    assert _ledger(world) == []


def test_terms_by_instalments_then_an_extension(world: World, account: str, tmp_path: Path) -> None:
    first = run_cli(
        tmp_path,
        "account",
        "terms",
        account,
        "--from",
        "2026-12-01",
        "--instalment",
        "40",
        "--every",
        "fortnightly",
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert first.code == 0, first.err
    assert json.loads(first.out)["instalment_pence"] == 4_000
    refused = run_cli(
        tmp_path, "account", "terms", account, "--by", "2027-03-01", db=world.db.url, user="clerk"
    )
    assert refused.err.strip() == (
        "caseterm: reason: is required to change payment terms that exist"
    )
    never = run_cli(
        tmp_path,
        "account",
        "terms",
        account,
        "--from",
        "2026-12-01",
        "--instalment",
        "0.01",
        "--reason",
        "means",
        db=world.db.url,
        user="clerk",
    )
    assert "more than 10 years" in never.err
    ok = run_cli(
        tmp_path,
        "account",
        "terms",
        account,
        "--by",
        "2027-03-01",
        "--reason",
        "extension",
        db=world.db.url,
        user="clerk",
    )
    assert ok.out.strip() == f"payment terms for {account}: Pay in full by 01/03/2027"
    with world.db.read() as s:
        rows = s.exec(select(PaymentTerms).order_by(col(PaymentTerms.id))).all()
    assert [(r.kind, r.active, r.reason) for r in rows] == [
        ("instalments", False, ""),
        ("by_date", True, "extension"),
    ]
