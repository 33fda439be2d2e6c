"""End to end in a real terminal, on the demo database, at 80×24: a means form whose "Set terms
from" day is a Saturday. The form reads the day back with the next working day, as the terms
form does; saving is refused naming the field and that day, with nothing written; on the Monday
offered the form is saved and the Account section shows the terms."""

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
TO_TERMS = 11  # Tabs from wages to "Set terms from"


def test_a_means_form_refuses_terms_from_a_saturday(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = next(v for v in fines_accounts(db) if v.status == "live" and v.balance_pence > 20_000)
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(term, account.reference)
        term.keys("M")
        term.wait_for(
            "Means form", "Wages (take-home)", f"Balance {format_pence(account.balance_pence)}"
        )
        term.keys("100", literal=True)
        term.wait_for("proposed £50.00 weekly")
        for _ in range(TO_TERMS):
            term.keys("Tab")
        term.keys("28/11/2026", literal=True)
        term.wait_for("28/11/2026 is at the weekend: next working day", "Monday 30/11/2026")
        term.keys("C-s")
        term.wait_for("Not saved", "must be a working day")
        term.keys(*["BSpace"] * len("28/11/2026"))
        term.keys("30/11/2026", literal=True)
        term.wait_for("Monday 30 November 2026")
        term.keys("C-s")
        term.wait_for(f"Case {account.reference}", "£50.00 weekly from 30/11/2026")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        means = s.exec(
            select(MeansAssessment).where(MeansAssessment.case_id == account.case_id)
        ).all()
        terms = s.exec(
            select(PaymentTerms).where(
                PaymentTerms.case_id == account.case_id, col(PaymentTerms.active).is_(True)
            )
        ).one()
    db.dispose()
    assert len(means) == 1 and means[0].terms_id == terms.id  # the refused save wrote nothing
    assert (terms.instalment_pence, terms.frequency, terms.first_due) == (
        5_000,
        "weekly",
        date(2026, 11, 30),
    )
