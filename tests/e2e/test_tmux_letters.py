"""End to end in real terminals, on the demo database: a caseworker drafts a letter from a case
(`l`, a template, `ctrl+s`) and submits it; a manager finds it under Checks awaiting me (`K`) and
approves it; the caseworker issues it. The database holds each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry, Document, PostOut, Staff, StaffRole
from caseterm.core.storage.database import Database
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@dataclass
class Demo:
    db: Database
    path: Path
    tmp: Path
    case_id: int
    reference: str
    checker: str


@pytest.fixture
def demo(wendy_demo: DemoDb) -> Demo:
    with wendy_demo.db.read() as s:
        checker = s.exec(
            select(Staff.login)
            .join(StaffRole, col(StaffRole.staff_id) == Staff.id)
            .where(StaffRole.role == "manager", col(Staff.team_id).is_(None))
            .order_by(Staff.login)
        ).first()
    assert checker is not None
    w = wendy_demo
    return Demo(w.db, w.path, w.tmp, w.case_id, w.reference, checker)


def _newest_letter(demo: Demo) -> Document:
    with demo.db.read() as s:
        doc = s.exec(
            select(Document)
            .where(Document.case_id == demo.case_id)
            .order_by(col(Document.id).desc())
        ).first()
    assert doc is not None
    return doc


def test_draft_check_issue_in_real_terminals(demo: Demo, frozen_clock: datetime) -> None:
    env = caseterm_env(LOGIN, frozen_clock, demo.tmp)
    term = Terminal(["--db", str(demo.path)], env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.keys("l")
        term.wait_for("New letter", "Pick a template", "enter opens the list")
        term.keys("Enter")  # open the template list (read by now)
        term.wait_for("CLOSE · Case closure letter")
        for _ in range(4):  # past the prompt, APPT, APPT_CY and BREACH to CLOSE
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Merged CLOSE", "has now been closed")
        term.keys("C-s")
        term.wait_for("saved as a draft")
        doc = _newest_letter(demo)
        assert doc.status == "draft" and "has now been closed" in doc.body
        term.keys("5")
        term.wait_for("Case closure letter")
        term.keys("Enter")
        term.wait_for(f"Letter #{doc.id}", "Submit for checking")
        term.keys("s")
        term.wait_for("Submitted for checking")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    assert _newest_letter(demo).status == "submitted"

    checker_env = caseterm_env(demo.checker, frozen_clock, demo.tmp)
    term = Terminal(["--db", str(demo.path)], checker_env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("K")
        term.wait_for("Checks awaiting me", "letter(s) to check")
        term.keys("End")  # the newest submission is at the bottom (below the first page)
        term.wait_for(demo.reference)
        term.keys("Enter")
        term.wait_for(f"Letter #{doc.id}", "Approve")
        term.keys("a")
        term.wait_for("Approved: its text is frozen")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    approved = _newest_letter(demo)
    assert approved.status == "checked" and approved.approved_hash

    term = Terminal(["--db", str(demo.path)], env, width=80, height=24)
    try:
        open_case(term, demo.reference)
        term.keys("5")
        term.wait_for("Case closure")
        term.keys("Enter")
        term.wait_for(f"Letter #{doc.id}", "Issue")
        term.keys("i")
        term.wait_for("How does it go?")
        term.keys("Enter")  # post, as offered
        term.wait_for("Issued (post)")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    issued = _newest_letter(demo)
    assert issued.status == "issued"
    with demo.db.read() as s:
        entry = s.get(ContactEntry, issued.contact_entry_id)
        post = s.exec(select(PostOut).where(PostOut.document_id == issued.id)).one()
    assert entry is not None and entry.contact_type == "letter_out"
    assert post.via == "post" and post.dispatched_on == frozen_clock.date()
