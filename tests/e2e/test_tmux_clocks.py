"""Statutory clocks end to end in a real terminal (tmux) on the demo database: open a
mental-health case, press `E`, record a recall three weeks and more ago, see the overdue deadline
in the case header and its task in the Deadlines queue; the event and the clock are in the
database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseClock, CaseEvent, CaseFile, CaseType, Staff, Task
from caseterm.core.services import case_events, deadlines
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    case_id: int
    reference: str


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        case = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "MHC", CaseFile.owner_id == me.id, CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
        actor = resolve_actor(s, LOGIN)
    assert case is not None and case.id is not None
    # The demo may have started clocks on it: waive them, so the recall's is the next deadline.
    with db.write() as s:
        for row in deadlines.case_clocks(s, actor, case_id=case.id):
            if row.status == "running":
                case_events.close_clock(s, actor, clock_id=row.id, waive_reason="test set-up")
    yield Demo(db, path, caseterm_env(LOGIN, frozen_clock, tmp_path), case.id, case.reference)
    db.dispose()


def clear_the_date(term: Terminal) -> None:
    """ctrl+u in the date field until it is empty: the focus moves there in its own time."""
    for _ in range(10):
        term.keys("C-u")
        try:
            term.wait_for("is required", timeout=2)
            return
        except AssertionError:
            continue
    raise AssertionError(term.screen())


def test_record_a_recall_and_see_the_deadline(demo: Demo) -> None:
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.wait_for("7 Timeline")  # E is in help at 80 columns
        term.keys("E")
        term.wait_for("Record an event on", "Which event")
        term.keys("Enter")  # open the list of events
        term.wait_for("Recall to hospital")
        for _ in range(4):  # (which event), application, hearing, decision, recall
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Recall to hospital  ")  # chosen; the date field has the focus
        clear_the_date(term)
        term.keys("30/10/2026", literal=True)
        term.wait_for("→ Friday 30 October 2026")
        term.keys("Enter")  # to the details
        term.keys("Recalled by warrant", literal=True)
        term.wait_for("Recalled by warrant")
        term.keys("Enter")
        # Fri 30/10 + 3 weeks = Fri 20/11: one working day overdue on Monday 23/11.
        # The header (cut to the terminal's width) and the Timeline, with the clock in words.
        term.wait_for(
            "Next deadline: Reports after recall, ends Fri 20/11/2026",
            "Recall to hospital",
            "Recalled by warrant",
            "OVERDUE by 1 working day",
        )
        term.keys("Escape")  # back to the search
        term.wait_for("1 match")
        term.keys("Escape")  # back to the queues
        term.wait_for("My work ·")
        # The built-in queues: my work, team unallocated, incoming, due today, reception
        # waiting, checks, enforcement, office duty, deadlines.
        for title in ("Team unallocated", "Incoming", "Due today", "Reception waiting"):
            term.keys("]")
            term.wait_for(f"{title} ·")
        for title in ("Checks awaiting me", "Enforcement", "Office duty", "Deadlines"):
            term.keys("]")
            term.wait_for(f"{title} ·")
        term.wait_for("Deadlines ·", demo.reference)
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        event = s.exec(
            select(CaseEvent).where(
                CaseEvent.case_id == demo.case_id, CaseEvent.details == "Recalled by warrant"
            )
        ).one()
        clock_row = s.exec(
            select(CaseClock).where(
                CaseClock.case_id == demo.case_id, CaseClock.status == "running"
            )
        ).one()
        tasks_on_case = s.exec(
            select(Task.source).where(Task.case_id == demo.case_id, Task.kind == "deadline")
        ).all()
        assert clock_row is not None
        task = s.exec(select(Task).where(Task.source == f"clock:{clock_row.id}:due")).one()
    assert (event.kind, event.event_date, event.details) == (
        "recall",
        date(2026, 10, 30),
        "Recalled by warrant",
    )
    assert f"clock:{clock_row.id}:due" in tasks_on_case, tasks_on_case
    assert task.case_id == demo.case_id and task.assignee_id is not None
    assert (clock_row.due_date, clock_row.status, clock_row.due_task_id) == (
        date(2026, 11, 20),
        "running",
        task.id,
    )


def test_waive_a_clock_from_the_timeline_at_80x24(demo: Demo) -> None:
    """`w` on the Timeline's clocks: the running clock under the cursor waived with a reason; the
    state reads "waived: …" and the database has the reason."""
    with demo.db.write() as s:
        actor = resolve_actor(s, LOGIN)
        case_events.record_event(
            s, actor, case_id=demo.case_id, kind="recall", event_date=date(2026, 11, 16)
        )
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_case(term, demo.reference)
        term.wait_for("Next deadline: Reports after recall")
        term.keys("7")
        term.wait_for("Statutory clocks", "working days left")
        term.keys("w")  # the first time puts the cursor on the clocks
        term.wait_for("Put the cursor on a running clock")
        term.keys("w")
        term.wait_for("Waive Reports after recall: why?")
        term.keys("Patient discharged by the tribunal", literal=True)
        term.wait_for("Patient discharged by the tribunal")
        term.keys("Enter")
        term.wait_for("waived: Patient discharged")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        waived = s.exec(
            select(CaseClock).where(
                CaseClock.case_id == demo.case_id,
                CaseClock.clock == "recall_reports",
                CaseClock.status == "waived",
                CaseClock.reason == "Patient discharged by the tribunal",
            )
        ).all()
    assert len(waived) == 1
