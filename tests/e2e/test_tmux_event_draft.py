"""The record-event dialog's draft end to end (tmux, the small demo): on one of Wendy's
mental-health cases `E`, a recall, its date and half the details typed, then the terminal is
killed; on the next start `E` on the same case offers the event back, `r` restores it and enter
records it. The event is in the database as typed and the draft is gone."""

from __future__ import annotations

import json
import time
from datetime import date, datetime

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseEvent, CaseFile, CaseType, Draft
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def _mh_case(demo: DemoDb) -> tuple[int, str]:
    with demo.db.read() as s:
        case = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "MHC", CaseFile.owner_id == demo.staff_id)
            .where(CaseFile.status == "open", col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
    assert case is not None and case.id is not None
    return case.id, case.reference


def _drafts(demo: DemoDb) -> list[Draft]:
    with demo.db.read() as s:
        return list(
            s.exec(
                select(Draft).where(Draft.staff_id == demo.staff_id, Draft.kind == "case_event")
            ).all()
        )


def _clear_the_date(term: Terminal) -> None:
    """ctrl+u in the date field until it is empty: the focus moves there in its own time."""
    for _ in range(10):
        term.keys("C-u")
        try:
            term.wait_for("is required", timeout=2)
            return
        except AssertionError:
            continue
    raise AssertionError(term.screen())


def test_a_killed_terminal_loses_no_event(wendy_demo: DemoDb, frozen_clock: datetime) -> None:
    demo = wendy_demo
    case_id, reference = _mh_case(demo)
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, reference)
        term.wait_for(f"Case {reference}", "7 Timeline")
        term.keys("E")
        term.wait_for("Record an event on", "Which event")
        term.keys("Enter")  # open the list of events
        term.wait_for("Recall to hospital")
        for _ in range(4):  # (which event), application, hearing, decision, recall
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Recall to hospital  ")  # chosen; the date field has the focus
        _clear_the_date(term)
        term.keys("30/10/2026", literal=True)
        term.wait_for("→ Friday 30 October 2026")
        term.keys("Enter")  # to the details
        term.keys("Recalled by war", literal=True)
        term.wait_for("Recalled by war", "draft kept")
        deadline = time.monotonic() + 20
        while not any("Recalled by war" in d.data for d in _drafts(demo)):
            assert time.monotonic() < deadline, "the last keys never reached the draft"
            time.sleep(0.1)
    finally:
        term.close()  # the terminal dies mid-word: no save, no goodbye
    [draft] = _drafts(demo)
    assert draft.key == str(case_id)
    assert json.loads(draft.data) == {
        "kind": "recall",
        "date": "30/10/2026",
        "details": "Recalled by war",
    }

    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_case(term, reference)
        term.wait_for(f"Case {reference}")
        term.keys("E")
        term.wait_for(f"Unsaved event on {reference} found", "Recall to hospital, 30/10/2026")
        term.keys("r")
        deadline = time.monotonic() + 20
        while "Unsaved event on" in term.screen():  # the question goes; the dialog is back
            assert time.monotonic() < deadline, term.screen()
            time.sleep(0.1)
        term.wait_for("Recalled by war", "→ Friday 30 October 2026")  # restored
        term.keys("rant", literal=True)
        term.wait_for("Recalled by warrant")
        term.keys("Enter")
        term.wait_for("Event recorded")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        event = s.exec(
            select(CaseEvent).where(
                CaseEvent.case_id == case_id, CaseEvent.details == "Recalled by warrant"
            )
        ).one()
    assert (event.kind, event.event_date) == ("recall", date(2026, 10, 30))
    assert _drafts(demo) == []
