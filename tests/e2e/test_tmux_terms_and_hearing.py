"""End to end in a real terminal at 80×24, on the demo database: new payment terms on their own
(`t` on the Account section: a Saturday is refused naming the next working day, then set from
the Monday, the reason given as terms exist), and a court result (`G`) whose next hearing is
booked in the case owner's diary and shown on the case's Diary section."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Appointment, PaymentTerms
from caseterm.core.services.accounts import AccountView
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.journeys import fines_accounts, open_account
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # caseworker and system administrator: terms up to 60 months alone


def _account(db: Database) -> AccountView:
    """A live fines account owing more than £200, with terms (so a change needs a reason)."""
    return next(
        v for v in fines_accounts(db) if v.status == "live" and v.balance_pence > 20_000 and v.terms
    )


def test_terms_from_a_working_day(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = _account(db)
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(term, account.reference)
        term.keys("t")
        term.wait_for("Payment terms", "From / pay by", f"Terms for {account.reference}")
        # In one burst: past the choice of terms, the instalment, past "every", the first date
        # (a Saturday), past the lump sum, the reason.
        burst = ["Tab", "50", "Tab", "Tab", "28/11/2026", "Tab", "Tab", "means review"]
        for key in burst:
            term.keys(key, literal=key != "Tab")
        term.wait_for("next working day Monday 30/11/2026", "means review")
        term.keys("C-s")
        term.wait_for("Not saved", "must be a working day")
        term.keys("30/11/2026", literal=True)  # the refused date is chosen: typing replaces it
        term.wait_for("→ Monday 30 November 2026", "Paid off by")
        term.keys("C-s")
        term.wait_for(f"Case {account.reference}", "Terms: £50.00 monthly from 30/11/2026")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        terms = s.exec(
            select(PaymentTerms).where(
                PaymentTerms.case_id == account.case_id, col(PaymentTerms.active).is_(True)
            )
        ).one()
    db.dispose()
    assert (terms.instalment_pence, terms.frequency, terms.first_due, terms.reason) == (
        5_000,
        "monthly",
        date(2026, 11, 30),
        "means review",
    )


def test_a_court_results_next_hearing_in_the_diary(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = _account(db)
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(term, account.reference)
        term.keys("G")
        term.wait_for("Court result", "Hearing date", "Next hearing")
        # In one burst: the court, the impositions, past the collection order (a choice), the
        # pay-by date, the first instalment date, the instalment and "every" (a choice), the
        # next hearing.
        burst = ["Tab", "Preston Magistrates", "Tab", "costs 50", *["Tab"] * 6, "12/01/2027 14:00"]
        for key in burst:
            term.keys(key, literal=key != "Tab")
        term.wait_for("Preston Magistrates", "costs 50", "12/01/2027 14:00")
        term.keys("C-s")
        term.wait_for(f"Case {account.reference}", "Costs")
        term.keys("2")  # the case's diary
        term.wait_for("12/01/2027 14:00", "Court hearing", "Preston Magistrates")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        booked = s.exec(
            select(Appointment).where(
                Appointment.case_id == account.case_id, Appointment.kind == "court_hearing"
            )
        ).all()
    db.dispose()
    assert [(a.starts_at, a.location, a.status) for a in booked][-1:] == [
        (datetime(2027, 1, 12, 14, 0), "Preston Magistrates", "booked")
    ]
