"""The arrears report with exact numbers on a built world: the same account as the case screen
shows (terms of £50 a week from 02/11/2026, £60 paid: 3 instalments missed, £140 behind on
23/11/2026), by band, with the period's end moving what was due; its XLSX chart and CSV."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from caseterm.core import exports
from caseterm.core.services import accounts, board, ledger, payment_terms, reports
from tests.factories import World
from tests.test_money_accounts import TOTAL, _account

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _built(world: World) -> int:
    case_id = _account(world)
    with world.db.write() as s:
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=5_000,
            frequency="weekly",
            first_due=date(2026, 11, 2),
        )
    with world.db.write() as s:
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=6_000, method="cash")
    return case_id


def _run(world: World, end: date, office: bool = False) -> reports.ReportTable:
    with world.db.read() as s:
        scope = board.resolve_scope(
            s, world.manager, team=None if office else "PRE-OM", office="PRE" if office else None
        )
        return reports.run_report(
            s, world.manager, name="arrears", scope=scope, start=date(2026, 11, 1), end=end
        )


def test_arrears_by_band_as_the_case_screen_counts_them(world: World, tmp_path: Path) -> None:
    _built(world)
    with world.db.read() as s:
        view = accounts.show_account(s, world.clerk, reference_or_id=world.case.reference)
    assert (view.arrears_pence, view.missed) == (14_000, 3)
    table = _run(world, date(2026, 11, 23))
    assert table.as_dicts() == [
        {"band": "Up to date", "accounts": 0, "arrears": 0, "balance": 0},
        {"band": "1 instalment missed", "accounts": 0, "arrears": 0, "balance": 0},
        {"band": "2 missed", "accounts": 0, "arrears": 0, "balance": 0},
        {"band": "3–5 missed", "accounts": 1, "arrears": 14_000, "balance": TOTAL - 6_000},
        {"band": "6 or more missed", "accounts": 0, "arrears": 0, "balance": 0},
    ]
    assert table.notes[0].startswith(
        "At the end of 23/11/2026: 1 account with payment terms owing money, 1 in arrears (100.0%)."
    )
    assert _run(world, date(2026, 11, 23), office=True).rows == table.rows
    target = tmp_path / "arrears.xlsx"
    assert exports.write_xlsx(target, [reports.report_sheet(table)]) == 5
    with zipfile.ZipFile(target) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
    csv = tmp_path / "arrears.csv"
    exports.write_csv(csv, reports.report_sheet(table))
    assert "3–5 missed,1,140.00," in csv.read_text(encoding="utf-8-sig")


def test_terms_set_after_the_period_are_not_counted(world: World) -> None:
    _built(world)  # the terms were set on 23/11/2026
    table = _run(world, date(2026, 11, 20))
    assert sum(r["accounts"] for r in table.as_dicts()) == 0


def test_caseterm_report_arrears(world: World, tmp_path: Path) -> None:
    from tests.cli import run_cli

    _built(world)
    done = run_cli(tmp_path, "report", "arrears", "--team", "PRE-OM", "--json", db=world.db.url,
                   user="boss")  # fmt: skip
    assert (done.code, done.err) == (0, "")
    rows = {r["band"]: r for r in done.json()["rows"]}
    assert (rows["3–5 missed"]["accounts"], rows["3–5 missed"]["arrears"]) == (1, 14_000)
    target = tmp_path / "no-such-dir" / "arrears.xlsx"
    done = run_cli(tmp_path, "report", "arrears", "--xlsx", str(target), db=world.db.url,
                   user="boss")  # fmt: skip
    assert done.code != 0 and "no-such-dir" in done.one_error_line()
