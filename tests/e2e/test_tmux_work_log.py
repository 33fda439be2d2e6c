"""End to end in a real terminal, on the demo database: open a case, correct the newest contact
entry (`e`), add a task on its Tasks section (`A`), then on the queues change a task's priority
(`P`) and undo it (`u`); the database holds the correction and the task, and the priority is
back as it was."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry, Task
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


Demo = DemoDb


@pytest.fixture
def demo(wendy_demo: DemoDb) -> DemoDb:
    return wendy_demo


def _first_of_my_work(demo: Demo) -> Task:
    with demo.db.read() as s:
        task = s.exec(
            select(Task)
            .where(Task.assignee_id == demo.staff_id, Task.status == "open")
            .order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.priority))
        ).first()
    assert task is not None
    return task


def _priority(demo: Demo, task_id: int | None) -> int | None:
    with demo.db.read() as s:
        task = s.get(Task, task_id)
        return task.priority if task is not None else None


def _until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait for the database to show what the terminal did (polled like Terminal.wait_for)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the database never showed it")
        time.sleep(0.1)


def test_correct_an_entry_add_a_task_and_undo_a_priority(demo: Demo) -> None:
    with demo.db.read() as s:
        newest = s.exec(
            select(ContactEntry)
            .where(ContactEntry.case_id == demo.case_id)
            .order_by(col(ContactEntry.occurred_at).desc(), col(ContactEntry.id).desc())
        ).first()
    assert newest is not None
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.wait_for("Correct")
        term.keys("e")
        term.wait_for("Contact correction", f"Correcting entry {newest.id}")
        term.keys("wrong outcome recorded", literal=True)
        term.keys("C-s")
        term.wait_for(f"Entry {newest.id} corrected by entry")
        term.keys("3")
        term.wait_for("Assigned")  # the Tasks section's table
        term.keys("A")
        term.wait_for("New task", f"A new task on {demo.reference}")
        term.keys("Ring the employer about hours", literal=True)
        term.keys("C-s")
        term.wait_for("Added task")
        term.keys("Escape")  # back to the search
        term.wait_for("1 match: enter opens")
        term.keys("Escape")  # and to the queues
        term.wait_for("My work")
        first = _first_of_my_work(demo)
        term.keys("P")
        term.wait_for("Priority of task")
        term.keys("4")
        _until(lambda: _priority(demo, first.id) == 4)
        term.wait_for("Set task")  # the message naming the task (the toast wraps it)
        term.keys("u")
        term.wait_for("Undone:")
        _until(lambda: _priority(demo, first.id) == first.priority)
    finally:
        term.close()
    with demo.db.read() as s:
        fixed = s.exec(select(ContactEntry).where(ContactEntry.supersedes_id == newest.id)).one()
        added = s.exec(select(Task).where(Task.title == "Ring the employer about hours")).one()
        back = s.get(Task, first.id)
    assert fixed.correction_reason == "wrong outcome recorded" and fixed.staff_id == demo.staff_id
    assert added.case_id == demo.case_id and added.kind == "general"
    assert back is not None and back.priority == first.priority
