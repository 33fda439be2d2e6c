"""The workstation end to end in a real terminal (tmux) on the demo database: from the queues,
open the first task's case, log a contact, go back, complete the task, quit; then find both in
the database. And `caseterm --demo` building its own demo database on first use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry, Task
from caseterm.core.services import queues
from caseterm.core.services.identity import resolve_actor
from caseterm.core.services.queues import TaskRow
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    first: TaskRow  # the top of "My work"


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        first = queues.queue_page(s, resolve_actor(s, LOGIN), key="my_work", limit=1)[0]
    assert first.case_id is not None
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    yield Demo(db, path, env, first)
    db.dispose()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_queue_to_case_to_contact_and_back(demo: Demo, size: tuple[int, int]) -> None:
    width, height = size
    term = Terminal(["--db", str(demo.path)], demo.env, width=width, height=height)
    try:
        screen = term.wait_for("My work ·")
        assert demo.first.case_reference in screen
        term.keys("Enter")  # open the first task's case
        screen = term.wait_for(f"Case {demo.first.case_reference}")
        assert "1 Contacts" in screen and "owner" in screen
        term.keys("n")
        term.wait_for("New contact entry")
        term.keys("o")  # phone out
        term.keys("5")  # no answer
        term.keys("Rang from the queue [@click=app.quit]", literal=True)
        term.wait_for("Rang from the queue [@click=app.quit]")
        term.keys("C-s")
        screen = term.wait_for(f"Case {demo.first.case_reference}")
        screen = term.wait_for("Rang from the queue")  # the new entry, at the top of the log
        top = next(line for line in screen.splitlines() if line.startswith(">"))
        assert "Rang from the queue" in top
        term.keys("Escape")
        term.wait_for("My work ·")
        term.keys("c")  # complete the task we came from
        term.wait_for("outcome: what was done")  # an optional outcome; enter completes
        term.keys("Enter")
        term.wait_for(f"Completed task {demo.first.task_id} ")  # names the task and its case
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        entry = s.exec(
            select(ContactEntry)
            .where(ContactEntry.case_id == demo.first.case_id)
            .order_by(col(ContactEntry.id).desc())
        ).first()
        task = s.get(Task, demo.first.task_id)
    assert entry is not None and entry.notes == "Rang from the queue [@click=app.quit]"
    assert (entry.contact_type, entry.outcome) == ("phone_out", "no_answer")
    assert task is not None and task.status == "done"


def test_demo_flag_builds_the_demo_database_on_first_use(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    env = {
        "XDG_DATA_HOME": str(data_home),
        "CASETERM_CONFIG": str(tmp_path / "none.toml"),
        "CASETERM_USER": "demo-user",
    }
    term = Terminal(["--demo"], env, width=80, height=24)
    try:
        screen = term.wait_for("My work ·", timeout=120)
        assert re.search(r"My work +\d+", screen)
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    assert (data_home / "caseterm" / "demo.db").is_file()
    assert not (data_home / "caseterm" / "demo.db.building").exists()
