"""Working days wherever a date is typed, end to end in a real terminal (tmux) on the demo
database, with an office closure day an administrator added (Friday 27/11/2026): a new task due
on that Friday is warned about with Monday offered, and ctrl+n takes it; a task brought forward
to Christmas Day is warned about with Tuesday 29/12 offered and taken; a past date is said to be
past before enter. The database holds both dates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseFile, Staff, StaffRole, Task
from caseterm.core.services import clock_rules
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"
AWAY_DAY = date(2026, 11, 27)


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    staff_id: int
    reference: str


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
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
        admin = s.exec(
            select(Staff)
            .join(StaffRole, col(StaffRole.staff_id) == col(Staff.id))
            .where(StaffRole.role == "sysadmin", col(Staff.active).is_(True))
        ).first()
        assert admin is not None
        sysadmin = resolve_actor(s, admin.login)
    assert case is not None and me.id is not None
    with db.write() as s:
        clock_rules.add_closure(s, sysadmin, day=AWAY_DAY, reason="office away day")
    yield Demo(db, path, caseterm_env(LOGIN, frozen_clock, tmp_path), me.id, case.reference)
    db.dispose()


def _until_gone(term: Terminal, text: str, timeout: float = 30.0) -> None:
    """Wait until `text` is no longer on the screen (a field took the focus)."""
    deadline = time.monotonic() + timeout
    while text in term.screen():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} stayed on screen:\n{term.screen()}")
        time.sleep(0.1)


def _mine_due_on(demo: Demo, day: date) -> set[int]:
    with demo.db.read() as s:
        rows = s.exec(
            select(Task.id).where(Task.assignee_id == demo.staff_id, Task.due_date == day)
        ).all()
    return {i for i in rows if i is not None}


def test_a_closure_day_and_christmas_are_offered_the_next_working_day(demo: Demo) -> None:
    christmas_week = date(2026, 12, 29)
    before = _mine_due_on(demo, christmas_week)
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.keys("3")
        term.wait_for("Assigned")  # the Tasks section's table
        term.keys("A")
        term.wait_for("New task", f"A new task on {demo.reference}")
        term.keys("Book the interpreter", literal=True)
        term.wait_for("Book the interpreter")
        term.keys("Tab")  # to the kind: a choice, so the app's keys show in the key bar
        term.wait_for("d Diary")
        term.keys("Tab")  # past it, to the due date: a text field again
        _until_gone(term, "d Diary")
        term.keys("01/01/2020", literal=True)
        term.wait_for("✗ 01/01/2020 is in the past")
        term.keys("C-u")
        _until_gone(term, "is in the past")  # the field is empty again
        term.keys("27/11", literal=True)
        # The warning wraps under the field.
        term.wait_for("→ Friday 27 November 2026", "is an office closure")
        term.wait_for("next working day Monday 30/11/2026", "ctrl+n takes it")
        term.keys("C-n")
        term.wait_for("→ Monday 30 November 2026")
        term.keys("C-s")
        term.wait_for("Added task")
        term.keys("Escape")  # back to the search
        term.wait_for("1 match: enter opens")
        term.keys("Escape")  # and to the queues
        term.wait_for("My work ·")
        term.keys("Home")
        term.keys("b")
        term.wait_for("Bring forward")
        term.keys("25/12", literal=True)
        term.wait_for("Christmas Day", "ctrl+n takes it")
        term.keys("C-n")
        term.wait_for("→ Tuesday 29 December 2026")
        term.keys("Enter")
        term.wait_for("forward to 29/12/2026")
    finally:
        term.close()
    with demo.db.read() as s:
        added = s.exec(select(Task).where(Task.title == "Book the interpreter")).one()
    assert added.due_date == date(2026, 11, 30)
    # The task at the top of My work was brought forward to Tuesday 29/12, not Christmas Day.
    assert len(_mine_due_on(demo, christmas_week) - before) == 1
