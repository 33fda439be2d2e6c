"""A means form that sets payment terms holds their first date to working days, as the terms
form does (one rule, `terms_requests.ask_terms`): a weekend, bank holiday or office closure day
is refused naming the next working day, and nothing of the form is saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import MeansAssessment, MoneyDecision, PaymentTerms
from caseterm.core.rules.means import Figures
from caseterm.core.services import clock_rules, ledger, means
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

WEEKLY = Figures(wages=60_000, housing=20_000, food=10_000)  # £300 disposable: £150 proposed


def _account(world: World) -> int:
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=152_200
        )
    return world.case.id or 0


def _nothing_saved(world: World) -> None:
    with world.db.read() as s:
        for table in (MeansAssessment, PaymentTerms, MoneyDecision):
            assert s.exec(select(func.count()).select_from(table)).one() == 0, table


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            date(2026, 11, 28),
            "first instalment: must be a working day; Saturday 28/11/2026 is at the weekend: "
            "next working day Monday 30/11/2026",
        ),
        (
            date(2026, 12, 25),
            "first instalment: must be a working day; Friday 25/12/2026 is Christmas Day (bank "
            "holiday): next working day Tuesday 29/12/2026",
        ),
    ],
)
def test_terms_from_a_day_that_is_not_a_working_day_save_nothing(
    world: World, day: date, message: str
) -> None:
    case_id = _account(world)
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        means.record_means(s, world.worker, case_id=case_id, figures=WEEKLY, terms_from=day)
    assert str(refused.value) == message
    _nothing_saved(world)


@pytest.mark.sqlite_only
def test_an_office_closure_day_is_refused_too(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=date(2026, 12, 1), reason="staff training")
    with (
        pytest.raises(ValidationError, match="an office closure day: next working day Wed"),
        world.db.write() as s,
    ):
        means.record_means(
            s, world.worker, case_id=case_id, figures=WEEKLY, terms_from=date(2026, 12, 1)
        )
    _nothing_saved(world)


def test_terms_from_a_working_day_are_set_and_linked(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        info = means.record_means(
            s, world.worker, case_id=case_id, figures=WEEKLY, terms_from=date(2026, 11, 30)
        )
    assert info.terms is not None and info.terms.status == "posted"
    with world.db.read() as s:
        terms = s.exec(select(PaymentTerms)).one()
        row = s.exec(select(MeansAssessment)).one()
    assert (terms.first_due, terms.instalment_pence, row.terms_id) == (
        date(2026, 11, 30),
        15_000,
        terms.id,
    )


@pytest.mark.sqlite_only
def test_the_command_names_the_next_working_day(world: World, tmp_path: Path) -> None:
    _account(world)
    run = run_cli(
        tmp_path,
        "account",
        "means",
        world.case.reference,
        "--wages",
        "600",
        "--terms-from",
        "2026-11-28",
        db=world.db.url,
        user="worker",
    )
    assert run.one_error_line() == (
        "caseterm: first instalment: must be a working day; Saturday 28/11/2026 is at the "
        "weekend: next working day Monday 30/11/2026"
    )
    _nothing_saved(world)
