"""End to end in a real terminal, on the demo database, at 80×24 and 120×40: a means interview
over the phone (seed 002). Find the fines case, `8` for the account, `M`; the figures are typed
in one burst with Tabs between them (as a fast typist, or a slow SSH link, delivers them: every
figure lands in its own field); the proposal is worked out as they are typed and stays in view
with every label whole; "Set terms from" a day sets the terms at the proposal, linked to the
form; the Account section shows them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import MeansAssessment, PaymentTerms
from caseterm.core.rules.money import format_pence
from tests.e2e.demo import copy_of_demo
from tests.e2e.journeys import fines_accounts, open_account
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # caseworker and system administrator: terms up to 60 months alone
# wages, benefits, other income, rent, council tax, utilities, food: Tab between each.
BURST = ["300", "Tab", "20", "Tab", "Tab", "120", "Tab", "25", "Tab", "30", "Tab", "60"]


@pytest.mark.parametrize(("width", "height"), [(80, 24), (120, 40)])
def test_a_means_form_sets_the_terms_it_proposes(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime, width: int, height: int
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = next(v for v in fines_accounts(db) if v.status == "live" and v.balance_pence > 20_000)
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=width, height=height)
    try:
        open_account(term, account.reference)
        term.keys("M")
        term.wait_for(
            "Means form", "Wages (take-home)", f"Balance {format_pence(account.balance_pence)}"
        )
        for key in BURST:  # one tmux command per key, sent without waiting between them
            term.keys(key, literal=key != "Tab")
        screen = term.wait_for(
            "income £320.00", "disposable £85.00", "proposed £42.00 weekly", "^s Save"
        )
        for label in ("Gas, electricity and water", "Food and housekeeping"):
            assert label in screen, screen  # whole, not cut off
        for _ in range(5):  # travel, debts, other outgoings, dependants, then the terms date
            term.keys("Tab")
        term.keys("30/11/2026", literal=True)
        screen = term.wait_for("Set terms from", "30/11/2026", "proposed £42.00 weekly", "^s Save")
        term.keys("C-s")
        term.wait_for(f"Case {account.reference}", "£42.00 weekly from 30/11/2026")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        means = s.exec(
            select(MeansAssessment).where(MeansAssessment.case_id == account.case_id)
        ).one()
        terms = s.exec(
            select(PaymentTerms).where(
                PaymentTerms.case_id == account.case_id, col(PaymentTerms.active).is_(True)
            )
        ).one()
    db.dispose()
    assert (means.wages_pence, means.benefits_pence, means.other_income_pence) == (30_000, 2_000, 0)
    assert (means.housing_pence, means.council_tax_pence, means.utilities_pence) == (
        12_000,
        2_500,
        3_000,
    )
    assert (means.food_pence, means.disposable_pence, means.proposed_pence) == (6_000, 8_500, 4_200)
    assert means.terms_id == terms.id
    assert (terms.instalment_pence, terms.frequency, terms.first_due) == (
        4_200,
        "weekly",
        date(2026, 11, 30),
    )
