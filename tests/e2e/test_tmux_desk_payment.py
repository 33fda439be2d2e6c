"""End to end at a reception desk's 80×24 terminal (issue 14): the receptionist finds the caller,
F4 opens the case's payment form with the instalment due offered, enter takes it, the receipt
number is shown to read out; the payment is in the ledger."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Payment
from caseterm.core.services import ledger, payment_terms
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def test_a_payment_at_the_desk(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=30_000)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=2_500,
            frequency="weekly",
            first_due=date(2026, 11, 30),
        )
    env = caseterm_env("desk", frozen_clock, tmp_path)
    term = Terminal(["--db", str(db_path), "checkin", "--office", "PRE"], env, width=80, height=24)
    try:
        term.wait_for("Reception — Preston", "f8 Close session")
        term.keys("siob", literal=True)
        term.wait_for("1 found")
        term.keys("F4")
        term.wait_for(f"Take a payment: {world.case.reference}", "25.00")
        term.keys("Enter")
        screen = term.wait_for("Receipt R26-", "Received £25.00")
        assert "Balance now £275.00" in screen
        term.keys("Escape")
        term.wait_for(f"Payment taken on {world.case.reference}")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with world.db.read() as s:
        rows = s.exec(select(Payment).where(Payment.case_id == case_id)).all()
        paid = [(p.kind, p.amount_pence, p.created_by_id) for p in rows]
    assert paid == [("payment", 2_500, world.desk.id)]
