"""End to end in a real terminal, on the demo database: the demo user (caseworker, administrator
and system administrator: a write-off limit of £5,000) writes off a deceased payer's account.
Find the fines case, `8` for the account, `w`, choose the reason, `ctrl+s`: within her limit it
is posted at once (the held path, and its approval in Checks awaiting me, are Pilot tests:
tests/tui/test_money_forms_tui.py)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import MoneyDecision, Payment
from tests.e2e.demo import copy_of_demo
from tests.e2e.journeys import fines_accounts, open_account
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def gone(term: Terminal, text: str, timeout: float = 60.0) -> None:
    """Wait (polling the screen, as Terminal.wait_for does) until `text` is no longer shown."""
    deadline = time.monotonic() + timeout
    while text in term.screen():
        assert time.monotonic() < deadline, f"{text!r} stayed on screen:\n{term.screen()}"
        time.sleep(0.1)


def test_a_write_off_within_the_limit_is_posted(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = next(v for v in fines_accounts(db) if v.status == "live" and v.balance_pence > 5_000)
    with db.read() as s:
        ledger_before = len(s.exec(select(Payment).where(Payment.case_id == account.case_id)).all())
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(term, account.reference)
        term.keys("w")
        term.wait_for("Write-off", "Beyond your limit it is held", "Amount (£)")
        term.keys("Enter")  # the reasons open
        term.wait_for("Sum under £10", "Untraceable")
        term.keys("Down", "Enter")  # past the blank: deceased
        gone(term, "Untraceable")  # the list closed on the choice
        term.wait_for("Deceased", f"{account.balance_pence / 100:.2f}")
        term.keys("C-s")
        term.wait_for(f"Case {account.reference}", "Account written off, owes £0.00")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        decisions = s.exec(
            select(MoneyDecision).where(MoneyDecision.case_id == account.case_id)
        ).all()
        rows = s.exec(
            select(Payment).where(Payment.case_id == account.case_id).order_by(col(Payment.id))
        ).all()
    db.dispose()
    assert decisions == []  # nothing to check: within the limit
    assert len(rows) == ledger_before + 1
    assert (rows[-1].kind, rows[-1].amount_pence, rows[-1].reason) == (
        "write_off",
        account.balance_pence,
        "deceased",
    )
