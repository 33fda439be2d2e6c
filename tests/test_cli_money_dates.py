"""Dates in the money commands read day first, as docs/cli.md "Dates" says (issue 14): `account
terms --by/--from`, `account means --terms-from` and `account result` took only ISO dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import CourtResult, PaymentTerms
from caseterm.core.services import ledger
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only  # the CLI reads dates alike on either database


@pytest.fixture
def account(frozen_clock: datetime, world: World) -> str:  # Monday 23 November 2026
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=30_000
        )
    return world.case.reference


def _terms(world: World) -> list[tuple[str, date, int]]:
    with world.db.read() as s:
        rows = s.exec(select(PaymentTerms)).all()
    return [(t.kind, t.first_due, t.instalment_pence) for t in rows]


@pytest.mark.parametrize("day", ["07/12/2026", "7 dec", "+10wd", "2026-12-07"])
def test_terms_by_a_day_first_date(world: World, account: str, tmp_path: Path, day: str) -> None:
    run = run_cli(
        tmp_path, "account", "terms", account, "--by", day, db=world.db.url, user="worker"
    )
    assert run.code == 0, run.err
    assert _terms(world) == [("by_date", date(2026, 12, 7), 0)]


def test_instalments_from_today_and_means_terms_from(
    world: World, account: str, tmp_path: Path
) -> None:
    args = ("account", "terms", account, "--from", "today", "--instalment", "25")
    run = run_cli(tmp_path, *args, db=world.db.url, user="worker")
    assert run.code == 0, run.err
    assert _terms(world) == [("instalments", date(2026, 11, 23), 2_500)]
    means = ("account", "means", account, "--wages", "400", "--food", "60")
    run = run_cli(tmp_path, *means, "--terms-from", "30/11/2026", db=world.db.url, user="worker")
    assert run.code == 0, run.err
    assert _terms(world)[-1][:2] == ("instalments", date(2026, 11, 30))


def test_a_court_result_with_day_first_dates(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "account",
        "result",
        world.case.reference,
        "--hearing",
        "20/11/2026",
        "--impose",
        "fine=200",
        "--by",
        "18/12/2026",
        "--next-hearing",
        "01/02/2027",
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert run.code == 0, run.err
    assert run.json()["next_hearing_on"] == "2027-02-01"
    with world.db.read() as s:
        assert s.exec(select(CourtResult)).one().hearing_on == date(2026, 11, 20)
    assert _terms(world) == [("by_date", date(2026, 12, 18), 0)]


@pytest.mark.parametrize(
    ("option", "day", "message"),
    [
        ("--by", "31/02/2027", "caseterm: --by: 31/02/2027 is not a real date"),
        ("--from", "soon", "caseterm: --from: cannot read 'soon' as a day; try today, "),
    ],
)
def test_a_bad_date_is_one_line_naming_the_option(
    world: World, account: str, tmp_path: Path, option: str, day: str, message: str
) -> None:
    run = run_cli(
        tmp_path,
        "account",
        "terms",
        account,
        option,
        day,
        "--instalment",
        "25",
        db=world.db.url,
        user="worker",
    )
    assert run.code != 0 and run.one_error_line().startswith(message)
    assert _terms(world) == []
