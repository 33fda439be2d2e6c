"""End to end in a real terminal, on the demo database (issue 18): the demo user's "Check letter
before issue" task comes with a colleague's submitted letter on a case of their team. Under
Checks awaiting me (`K`) they find it, read it (`enter`) and approve it (`a`); the database holds
the letter approved by them and the task done."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, select

from caseterm.core.models import Document, Task
from caseterm.core.services.identity import resolve_actor
from caseterm.core.services.letter_views import checks_awaiting
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def test_demo_user_approves_the_letter_their_check_task_names(
    wendy_demo: DemoDb, frozen_clock: datetime
) -> None:
    demo = wendy_demo
    with demo.db.read() as s:
        task = s.exec(
            select(Task)
            .where(Task.assignee_id == demo.staff_id, Task.status == "open")
            .where(Task.kind == "check_request", col(Task.source).startswith("document:"))
            .order_by(col(Task.id))
        ).first()
        assert task is not None and task.title == "Check letter before issue"
        doc_id = int(task.source.split(":")[1])
        rows = checks_awaiting(s, resolve_actor(s, demo.login))
    place = [r.id for r in rows].index(doc_id)  # the list is oldest first
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("K")
        term.wait_for("Checks awaiting me", "letter(s) to check", rows[0].reference)
        for _ in range(place):
            term.keys("Down")
        term.keys("Enter")
        term.wait_for(f"Letter #{doc_id}", "Approve")
        term.keys("a")
        term.wait_for("Approved: its text is frozen")
        term.keys("C-q")
    finally:
        term.close()
    with demo.db.read() as s:
        doc = s.exec(select(Document).where(Document.id == doc_id)).one()
        done = s.exec(select(Task).where(Task.id == task.id)).one()
    assert (doc.status, doc.checked_by_id) == ("checked", demo.staff_id)
    assert doc.created_by_id != demo.staff_id
    assert (done.status, done.outcome) == ("done", f"letter #{doc_id} approved")
