"""Payment terms asked for on their own (the terms form, `caseterm account terms`): the first
date, or the date to pay by, must be a working day (weekends, bank holidays and office closure
days refused naming the next working day); then the officer's limit decides, as for every money
decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import MoneyDecision, PaymentTerms
from caseterm.core.services import clock_rules, ledger, terms_requests
from caseterm.core.services.money_decisions import Decision, TermsAsked
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _account(world: World) -> int:
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=52_500
        )
    return world.case.id or 0


def _ask(world: World, asked: TermsAsked, reason: str = "") -> Decision:
    with world.db.write() as s:
        return terms_requests.ask_terms(
            s, world.worker, case_id=world.case.id or 0, asked=asked, reason=reason
        )


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (
            TermsAsked("instalments", date(2026, 11, 28), 5_000),
            "first instalment: must be a working day; Saturday 28/11/2026 is at the weekend: "
            "next working day Monday 30/11/2026",
        ),
        (
            TermsAsked("by_date", date(2026, 12, 25)),
            "pay by: must be a working day; Friday 25/12/2026 is Christmas Day (bank holiday): "
            "next working day Tuesday 29/12/2026",
        ),
    ],
)
def test_terms_from_a_day_that_is_not_a_working_day_are_refused(
    world: World, asked: TermsAsked, message: str
) -> None:
    _account(world)
    with pytest.raises(ValidationError) as refused:
        _ask(world, asked)
    assert str(refused.value) == message
    with world.db.read() as s:
        assert s.exec(select(PaymentTerms)).all() == []
        assert s.exec(select(MoneyDecision)).all() == []


def test_an_office_closure_day_is_not_a_working_day(world: World) -> None:
    _account(world)
    with world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=date(2026, 12, 1), reason="staff training")
    with pytest.raises(ValidationError, match="an office closure day: next working day Wed"):
        _ask(world, TermsAsked("instalments", date(2026, 12, 1), 5_000))


def test_terms_from_a_working_day_within_the_limit_are_set(world: World) -> None:
    _account(world)
    decided = _ask(world, TermsAsked("instalments", date(2026, 11, 30), 5_000, "monthly"))
    assert decided.status == "posted"
    with world.db.read() as s:
        terms = s.exec(select(PaymentTerms)).one()
    assert (terms.first_due, terms.instalment_pence, terms.created_by_id) == (
        date(2026, 11, 30),
        5_000,
        world.worker.id,
    )


def test_terms_beyond_the_limit_are_held(world: World) -> None:
    _account(world)  # £525 at £5 a week: two years and more, over a caseworker's 24 months
    decided = _ask(world, TermsAsked("instalments", date(2026, 11, 30), 500, "weekly"))
    assert decided.status == "pending"
    with world.db.read() as s:
        assert s.exec(select(PaymentTerms)).all() == []
        assert s.exec(select(MoneyDecision)).one().kind == "terms"


def test_reception_may_not_set_terms(world: World) -> None:
    _account(world)
    refused = pytest.raises(PermissionDeniedError, match="may not set an account's payment terms")
    with refused, world.db.write() as s:
        terms_requests.ask_terms(
            s,
            world.desk,
            case_id=world.case.id or 0,
            asked=TermsAsked("by_date", date(2026, 12, 31)),
        )


@pytest.mark.sqlite_only
def test_the_cli_refuses_a_weekend(world: World, tmp_path: Path) -> None:
    _account(world)
    args = ["account", "terms", world.case.reference, "--from", "2026-11-28"]
    run = run_cli(tmp_path, *args, "--instalment", "50", db=world.db.url, user="worker")
    assert run.one_error_line() == (
        "caseterm: first instalment: must be a working day; Saturday 28/11/2026 is at the "
        "weekend: next working day Monday 30/11/2026"
    )
