"""End to end in a real terminal, on the demo database: on a fines account the demo user (limit
£5,000 either way) adjusts the ledger twice from the Account section (`J`): a court fee left
off (£7.50 more owed, posted at once) and a large correction beyond her limit (held for a
checker); then `h` lists the case's money decisions, the held one awaiting a checker.
Asserted in the database."""

from __future__ import annotations

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


def _adjust(term: Terminal, reference: str, amount: str, reason: str, then: str) -> None:
    term.keys("J", literal=True)
    term.wait_for("Adjustment", "25 reduces what is owed", "Reason")
    term.keys("--", amount, literal=True)  # `--`: tmux's end of options, "-7.50" is typed
    term.wait_for(f"Amount (£)              {amount}", "draft kept")  # before the next field
    term.keys("Tab")
    term.keys(reason, literal=True)
    term.wait_for(reason)
    term.keys("C-s")
    term.wait_for(f"Case {reference}", then)


def test_adjust_an_account_and_read_its_decisions(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    account = next(v for v in fines_accounts(db) if v.status == "live")
    with db.read() as s:
        before = {p.id for p in s.exec(select(Payment).where(Payment.case_id == account.case_id))}
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=120, height=40)
    try:
        open_account(term, account.reference)
        _adjust(term, account.reference, "-7.50", "court fee left off", "adjust (increase")
        _adjust(term, account.reference, "-6000", "costs re-assessed", "held for a checker")
        term.keys("h", literal=True)
        term.wait_for(
            f"Money decisions on {account.reference}",
            "adjust (increase the balance by £6,000.00)",
            "awaiting a checker",
        )
        term.keys("Escape")
        term.wait_for(f"Case {account.reference}", "Stage:")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        new = [
            (p.kind, p.amount_pence, p.reason)
            for p in s.exec(
                select(Payment).where(Payment.case_id == account.case_id).order_by(col(Payment.id))
            )
            if p.id not in before
        ]
        held = s.exec(select(MoneyDecision).where(MoneyDecision.case_id == account.case_id)).all()
    db.dispose()
    assert new == [("adjustment", -750, "court fee left off")]
    assert [(d.kind, d.status, d.amount_pence, d.reason) for d in held] == [
        ("adjustment", "pending", -600_000, "costs re-assessed")
    ]
