"""End to end in a real terminal, on the demo database (issue 12): open a case, press `C`,
choose the reason, try to close too early (refused), tick two steps, waive the third with a
reason, close; the case is closed in the database with its checklist signed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseFile, Staff
from caseterm.core.models.case_lifecycle import CaseClosure, ClosureStep
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_close_a_case_through_its_checklist(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        case = s.exec(
            select(CaseFile)
            .where(CaseFile.owner_id == me.id, CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
    assert case is not None
    term = Terminal(
        ["--db", str(path)], caseterm_env(LOGIN, frozen_clock, tmp_path), width=120, height=40
    )
    try:
        open_case(term, case.reference)
        term.keys("C")
        term.wait_for("Why is the case closing")
        term.keys("Enter")  # the first reason: order or work completed
        term.wait_for("Closing: Order or work completed", "3 mandatory step(s)")
        term.keys("C-s")
        term.wait_for("mandatory steps not ticked or waived")
        term.keys("t")
        term.wait_for("2 mandatory step(s)")
        term.keys("t")
        term.wait_for("1 mandatory step(s)")
        term.keys("w")
        term.wait_for("Waive the step")
        term.keys("handed to the duty team", literal=True)
        term.keys("C-s")
        # the note and the ticks are painted in separate frames: wait for all of them at once
        term.wait_for(
            "Ready: ctrl+s closes it",
            "[x] Final letter or contact recorded",
            "[w] Close or reassign open tasks",
        )
        term.keys("C-s")
        term.wait_for("Closed")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        stored = s.get(CaseFile, case.id)
        closure = s.exec(select(CaseClosure).where(CaseClosure.case_id == case.id)).one()
        steps = s.exec(select(ClosureStep).where(ClosureStep.closure_id == closure.id)).all()
    assert stored is not None and stored.status == "closed"
    assert closure.status == "closed" and closure.closed_by_id == me.id
    by_code = {st.code: (st.state, st.done_by_id, st.note) for st in steps}
    assert by_code["final_contact"][:2] == ("done", me.id)
    assert by_code["tasks_closed"] == ("waived", me.id, "handed to the duty team")
    db.dispose()
