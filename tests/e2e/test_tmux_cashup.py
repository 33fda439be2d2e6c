"""End to end in an 80×24 terminal (issue 14): the money office's cash-up per officer, `Y` for
the banking, `c` for what each officer took by each method today."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core.services import ledger
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def test_the_cash_up_per_officer(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=50_000)
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=12_345, method="cash")
        ledger.take_payment(s, world.worker, case_id=case_id, amount_pence=3_000, method="card")
    env = caseterm_env("clerk", frozen_clock, tmp_path)
    term = Terminal(["--db", str(db_path)], env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("Y", literal=True)
        term.wait_for("Banking against the cash-up", "expected")
        term.keys("c", literal=True)
        screen = term.wait_for("Cash-up per officer", "£123.45", "£30.00")
        assert "2 payments, £153.45 taken by 2 officers" in screen
        rows = [" ".join(line.split()) for line in screen.splitlines()]
        assert any("Claire Clerk clerk Cash 1 £123.45" in r for r in rows), screen
        assert max(len(line) for line in screen.splitlines()) <= 80
        term.keys("Escape")
        term.wait_for("Banking against the cash-up")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
