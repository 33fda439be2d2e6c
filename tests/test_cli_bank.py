"""`caseterm money import-bank`, `money bank-profiles` and `money reconcile`, with --json; a bad
file is refused in one line with nothing posted."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Banking, BankLine, Payment
from caseterm.core.services import ledger
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def account(frozen_clock: datetime, world: World) -> str:
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=30_000
        )
    return world.case.reference


def _file(tmp_path: Path, text: str, name: str = "statement.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _payments(world: World) -> list[tuple[int, str]]:
    with world.db.read() as s:
        return [
            (p.amount_pence, p.method) for p in s.exec(select(Payment).order_by(col(Payment.id)))
        ]


def test_import_bank_dry_run_then_post_then_again(
    world: World, account: str, tmp_path: Path
) -> None:
    csv = _file(
        tmp_path,
        "Posted,Paid in,Their ref,Payer\n"
        f"20/11/2026,40.00,{account},A Payer\n"
        "20/11/2026,3.00,UNKNOWN,Someone\n",
    )
    mapping = "date=Posted,amount=Paid in,reference=Their ref,name=Payer"
    dry = run_cli(
        tmp_path, "money", "import-bank", csv, "--map", mapping, "--dry-run", "--json",
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert dry.code == 0, dry.err
    review = json.loads(dry.out)
    assert [x["outcome"] for x in review["lines"]] == ["match", "unmatched"]
    assert _payments(world) == []

    done = run_cli(
        tmp_path, "money", "import-bank", csv, "--profile", "Lloyds", "--map", mapping,
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "Posted 1 payments (£40.00); 1 lines to suspense (£3.00" in done.out
    assert _payments(world) == [(4_000, "bank_transfer")]

    again = run_cli(
        tmp_path, "money", "import-bank", csv, "--profile", "Lloyds", "--json",
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert again.code == 0, again.err
    assert (json.loads(again.out)["posted"], json.loads(again.out)["already"]) == (0, 2)
    assert _payments(world) == [(4_000, "bank_transfer")]

    profiles = run_cli(tmp_path, "money", "bank-profiles", "--json", db=world.db.url, user="clerk")
    assert json.loads(profiles.out) == [{"name": "Lloyds", "mapping": mapping}]


def test_a_bad_file_is_one_line_and_nothing_posted(
    world: World, account: str, tmp_path: Path
) -> None:
    csv = _file(
        tmp_path, f"Date,Amount,Reference\n20/11/2026,40.00,{account}\n21/11/2026,1.2.3,X\n"
    )
    bad = run_cli(tmp_path, "money", "import-bank", csv, db=world.db.url, user="clerk")
    assert bad.code != 0
    assert bad.err.strip().count("\n") == 0
    assert "line 3, column 'Amount': '1.2.3' is not an amount of money" in bad.err
    missing = run_cli(
        tmp_path, "money", "import-bank", str(tmp_path / "nope.csv"), db=world.db.url, user="clerk"
    )
    assert missing.code != 0 and "is not a file" in missing.err
    refused = run_cli(tmp_path, "money", "import-bank", csv, db=world.db.url, user="worker")
    assert refused.code != 0 and "may not import bank statements" in refused.err
    assert _payments(world) == []
    with world.db.read() as s:
        assert s.exec(select(BankLine)).all() == []


def test_reconcile_shows_expected_banked_and_difference(
    world: World, account: str, tmp_path: Path
) -> None:
    with world.db.write() as s:
        ledger.take_payment(
            s, world.clerk, case_id=world.case.id or 0, amount_pence=12_345, method="cash"
        )
        ledger.take_payment(
            s, world.clerk, case_id=world.case.id or 0, amount_pence=6_000, method="cheque"
        )
    before = run_cli(tmp_path, "money", "reconcile", "--json", db=world.db.url, user="clerk")
    assert before.code == 0, before.err
    shown = json.loads(before.out)
    assert [(x["method"], x["expected_pence"], x["banked_pence"]) for x in shown["lines"]] == [
        ("cash", 12_345, None),
        ("cheque", 6_000, None),
    ]
    entered = run_cli(
        tmp_path, "money", "reconcile", "--banked", "cash=120.00,cheque=60",
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert entered.code == 0, entered.err
    assert "expected £183.45, banked £180.00 (difference -£3.45)" in entered.out
    with world.db.read() as s:
        rows = s.exec(select(Banking).order_by(col(Banking.method))).all()
    assert [(b.method, b.banked_pence, b.expected_pence) for b in rows] == [
        ("cash", 12_000, 12_345),
        ("cheque", 6_000, 6_000),
    ]
    bad = run_cli(
        tmp_path, "money", "reconcile", "--banked", "cash=1.234", db=world.db.url, user="clerk"
    )
    assert bad.code != 0 and "more than two decimal places" in bad.err
