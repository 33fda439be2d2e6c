"""Statutory deadlines in the diary end to end (tmux, the small demo): a tribunal application
recorded on one of Wendy's mental-health cases starts "Statement to the tribunal", due Monday
14/12/2026, whose rule names the letter its task issues (template MH_TRIB); in her diary's agenda
from that day the deadline is the first row, marked DEADLINE with the working days left in words
and its letter, and enter opens its case, whose Timeline shows the clock with its letter. The
clock shown is the one in the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseClock, CaseFile, CaseType
from caseterm.core.services import case_events, deadlines
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

DUE = date(2026, 12, 14)  # a tribunal application on Mon 23/11 + 21 days


def _recall_on_an_mh_case(demo: DemoDb) -> tuple[int, str]:
    with demo.db.write() as s:
        case = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "MHC", CaseFile.owner_id == demo.staff_id)
            .where(CaseFile.status == "open", col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
        assert case is not None and case.id is not None
        actor = resolve_actor(s, demo.login)
        for row in deadlines.case_clocks(s, actor, case_id=case.id):
            if row.status == "running":  # the demo's own: this case's next is the recall's
                case_events.close_clock(s, actor, clock_id=row.id, waive_reason="test set-up")
        case_events.record_event(
            s, actor, case_id=case.id, kind="tribunal_application", event_date=date(2026, 11, 23)
        )
        others = s.exec(
            select(CaseClock)
            .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
            .where(CaseFile.owner_id == demo.staff_id, CaseClock.status == "running")
            .where(CaseClock.due_date == DUE, CaseClock.case_id != case.id)
        ).all()
        assert others == []  # so that this one is the first row of the 14th
        return case.id, case.reference


def test_a_deadline_in_the_agenda_opens_its_case(
    wendy_demo: DemoDb, frozen_clock: datetime, tmp_path: Path
) -> None:
    case_id, reference = _recall_on_an_mh_case(wendy_demo)
    term = Terminal(["--db", str(wendy_demo.path)], wendy_demo.env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("d")
        term.wait_for("My diary")
        term.keys("g")
        term.wait_for("Go to day")
        term.keys("14/12/2026", literal=True)
        term.wait_for("Monday 14 December 2026")
        term.keys("Enter")
        term.wait_for("My diary · Monday 14 December 2026")
        term.keys("v")
        term.wait_for("week of Mon 14 Dec")
        term.keys("v")
        screen = term.wait_for("agenda Mon 14 Dec", "Mon 14/12 due", "DEADLINE", reference)
        assert "working days left" in screen and "deadline" in screen
        term.keys("Enter")
        term.wait_for(f"Case {reference}", "Next deadline: Statement to the tribunal")
        term.keys("7")
        term.wait_for("Statement to the tribunal", "MH_TRIB")  # the Timeline's clocks
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with wendy_demo.db.read() as s:
        running = s.exec(
            select(CaseClock).where(CaseClock.case_id == case_id, CaseClock.status == "running")
        ).one()
    assert (running.clock, running.due_date, running.letter_template) == (
        "tribunal_statement",
        DUE,
        "MH_TRIB",
    )
