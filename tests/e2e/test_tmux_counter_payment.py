"""End to end in a real terminal, on the demo database: a caller at the counter pays what they
are behind by. Find the case, `7` for the account, `p`, `enter` (the arrears are offered), the
receipt is shown to read out and saved as a PDF; the payment is in the ledger."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Payment
from caseterm.core.rules.money import format_pence
from tests.e2e.demo import copy_of_demo
from tests.e2e.journeys import fines_accounts, open_account
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_a_counter_payment(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    owing = next(v for v in fines_accounts(db) if v.arrears_pence > 0)
    due = owing.arrears_pence
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(
            term,
            owing.reference,
            f"Owes {format_pence(owing.balance_pence)}",  # the case header
            f"Arrears {format_pence(due)}",
        )
        term.keys("$", literal=True)
        term.wait_for(f"Take a payment: {owing.reference}", f"{due / 100:.2f}")
        term.keys("Enter")
        screen = term.wait_for("Receipt R26-", f"Received {format_pence(due)} by Card")
        assert f"Balance now {format_pence(owing.balance_pence - due)}" in screen
        term.keys("p")
        term.wait_for("Receipt saved to")
        term.keys("Escape")
        term.wait_for(f"Owes {format_pence(owing.balance_pence - due)}")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        last = s.exec(
            select(Payment).where(Payment.case_id == owing.case_id).order_by(col(Payment.id).desc())
        ).first()
    db.dispose()
    assert last is not None
    assert (last.kind, last.amount_pence, last.method) == ("payment", due, "card")
    pdfs = list((tmp_path / "caseterm-receipts").glob("receipt-R26-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
