"""The arrears report measures each period against the terms in force at its end: an account
whose terms changed mid-way is behind on the old terms for a period that ended before the change,
and measured against the new ones after it (exact pence), as its case screen counts it today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from caseterm.core import clock
from caseterm.core.services import accounts, board, ledger, payment_terms, reports
from tests.factories import World
from tests.test_money_accounts import TOTAL, _account

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


@pytest.fixture
def changed_terms(world: World) -> Iterator[int]:
    """£1,522 owed from 01/09/2026: £100 a month from 01/09 (£100 paid that day), changed on
    20/10 to £20 a week from 26/10 (£20 paid on 26/10)."""
    try:
        clock.freeze(datetime(2026, 9, 1, 9, 0))
        case_id = _account(world)
        with world.db.write() as s:
            payment_terms.set_terms(
                s,
                world.clerk,
                case_id=case_id,
                kind="instalments",
                instalment_pence=10_000,
                frequency="monthly",
                first_due=date(2026, 9, 1),
            )
            ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=10_000, method="cash")
        clock.freeze(datetime(2026, 10, 20, 11, 0))
        with world.db.write() as s:
            payment_terms.set_terms(
                s,
                world.clerk,
                case_id=case_id,
                kind="instalments",
                instalment_pence=2_000,
                frequency="weekly",
                first_due=date(2026, 10, 26),
                reason="lost his job",
            )
        clock.freeze(datetime(2026, 10, 26, 12, 0))
        with world.db.write() as s:
            ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=2_000, method="card")
    finally:
        clock.freeze(datetime(2026, 11, 23, 10, 30))
    yield case_id


def _bands(world: World, end: date) -> dict[str, tuple[int, int, int]]:
    with world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team="PRE-OM", office=None)
        table = reports.run_report(
            s, world.manager, name="arrears", scope=scope, start=date(2026, 8, 1), end=end
        )
    return {
        r["band"]: (r["accounts"], r["arrears"], r["balance"])
        for r in table.as_dicts()
        if r["accounts"]
    }


def test_a_period_before_the_change_is_measured_against_the_old_terms(
    world: World, changed_terms: int
) -> None:
    # By 15/10 two £100 instalments were due (01/09, 01/10) and £100 paid: one missed.
    assert _bands(world, date(2026, 10, 15)) == {"1 instalment missed": (1, 10_000, TOTAL - 10_000)}
    # By 30/09 only the first was due, and it was paid.
    assert _bands(world, date(2026, 9, 30)) == {"Up to date": (1, 0, TOTAL - 10_000)}


def test_a_period_after_the_change_is_measured_against_the_new_terms(
    world: World, changed_terms: int
) -> None:
    # 25/10: the new terms are in force and nothing is due on them yet.
    assert _bands(world, date(2026, 10, 25)) == {"Up to date": (1, 0, TOTAL - 10_000)}
    # 23/11: five £20 instalments due from 26/10 (26/10 … 23/11), £20 of them paid: £80 behind,
    # four missed, as the case screen shows today.
    assert _bands(world, date(2026, 11, 23)) == {"3–5 missed": (1, 8_000, TOTAL - 12_000)}
    with world.db.read() as s:
        view = accounts.show_account(s, world.clerk, reference_or_id=world.case.reference)
    assert (view.arrears_pence, view.missed) == (8_000, 4)


def test_before_any_terms_the_account_is_not_counted(world: World, changed_terms: int) -> None:
    assert _bands(world, date(2026, 8, 31)) == {}
