"""End to end in a real terminal at 80x24, on the demo database (issue 14): the money run has
proposed an enforcement step on a fines account; the officer opens the account (`8`), confirms
the step (`c`, `y`: its stock letter drafted and sent for checking, its task done), then puts
the account's enforcement on hold until a date with a reason (`H`, ctrl+s): the stage says
"On hold until …". Asserted in the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Document, EnforcementHold, EnforcementStep, Task
from caseterm.core.services import money_run
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import copy_of_demo
from tests.e2e.journeys import fines_accounts, open_account
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_confirm_a_step_then_hold_the_account(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    visible = {v.case_id: v.reference for v in fines_accounts(db) if v.status == "live"}
    with db.write() as s:
        run = money_run.run_enforcement(s, resolve_actor(s, LOGIN))
    proposal = next(p for p in run.proposed if p.case_id in visible)
    reference, label = proposal.reference, proposal.label
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        open_account(term, reference, "awaiting the officer")
        term.keys("c", literal=True)
        term.wait_for(f"Confirm {label.lower()} on {reference}?", "y confirm")
        term.keys("y", literal=True)
        term.wait_for(f"{label} sent 23/11")
        term.keys("H", literal=True)
        term.wait_for("Hold enforcement", "Reason", "Until")
        term.keys("appeal lodged", literal=True)
        term.wait_for("appeal lodged")
        term.keys("Tab")
        term.keys("12/01/2027", literal=True)
        term.wait_for("12/01/2027")
        term.keys("C-s")
        term.wait_for(f"Case {reference}", "On hold until 12/01: appeal lodged")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        step = s.exec(
            select(EnforcementStep).where(
                EnforcementStep.case_id == proposal.case_id,
                EnforcementStep.number == proposal.number,
            )
        ).one()
        task = s.get(Task, proposal.task_id or 0)
        letter = s.get(Document, step.document_id or 0) if step.document_id else None
        holds = s.exec(
            select(EnforcementHold)
            .where(EnforcementHold.case_id == proposal.case_id)
            .order_by(col(EnforcementHold.id))
        ).all()
    db.dispose()
    assert step.status == "confirmed" and task is not None and task.status == "done"
    assert letter is not None and letter.status == "submitted"
    assert [(h.reason, h.until, h.released_at) for h in holds] == [
        ("appeal lodged", date(2027, 1, 12), None)
    ]
