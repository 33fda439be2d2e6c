"""End to end in a real terminal, on the demo database: `I` fills the incoming item's Office
with the user's own; typing another office's code logs the post as arrived there; the Incoming
queue shows the office each item arrived at, at 120×40 and at 80×24."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Office, Staff, Task
from caseterm.core.services import queues
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"
SUMMARY = "Court bundle delivered to the other office"


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    own: Office
    other: Office


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        offices = s.exec(select(Office).order_by(col(Office.id))).all()
    own = next(o for o in offices if o.id == me.office_id)
    other = next(o for o in offices if o.id != me.office_id)
    yield Demo(db, path, caseterm_env(LOGIN, frozen_clock, tmp_path), own, other)
    db.dispose()


def test_post_logged_by_hand_arrives_at_the_office_typed(demo: Demo) -> None:
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("I")
        term.wait_for("Log incoming item")
        term.keys("p")
        term.keys(SUMMARY, literal=True)
        term.wait_for(SUMMARY)
        term.keys("Tab", "Tab", "Tab", "Tab", "3")  # on to the priority; "3" goes on to Details
        term.keys("Two lever-arch files", literal=True)
        term.wait_for("Two lever-arch files")
        term.keys("Tab")
        term.keys("ZZZ", literal=True)
        term.wait_for("ZZZ")
        term.keys("C-s")
        term.wait_for("Office: no office 'ZZZ'")  # and the cursor is back in the Office
        term.keys("BSpace", "BSpace", "BSpace")
        term.wait_for("code of the office it arrived at")  # emptied: its placeholder shows
        term.keys(demo.other.code.lower(), literal=True)
        term.keys("C-s")
        term.wait_for("Logged: Post in")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        [task] = s.exec(select(Task).where(Task.title == SUMMARY)).all()
    assert task.office_id == demo.other.id and task.status == "untriaged"
    assert task.details == "Two lever-arch files"


@pytest.mark.parametrize(("width", "height"), [(120, 40), (80, 24)])
def test_the_incoming_queue_shows_where_each_item_arrived(
    demo: Demo, width: int, height: int
) -> None:
    with demo.db.read() as s:
        wendy = resolve_actor(s, LOGIN)
        names = [(q.key, q.name) for q in queues.list_queues(s, wendy)]
        first = queues.queue_page(s, wendy, key="incoming", limit=8)
    offices = {r.office_code for r in first}
    assert len(offices) > 1 and "" not in offices  # the demo's post arrived at several offices
    term = Terminal(["--db", str(demo.path)], demo.env, width=width, height=height)
    try:
        term.wait_for("My work ·", "Incomi")  # the rows, then the list of queues (cut at 80)
        for _key, name in names[1 : [k for k, _ in names].index("incoming") + 1]:
            term.keys("]")
            term.wait_for(f"{name} ·")
        screen = term.wait_for("Incoming ·", first[0].title[:12])
        lines = screen.splitlines()
        header = next(i for i, line in enumerate(lines) if "Office" in line and "Task" in line)
        for row, line in zip(first, lines[header + 1 :], strict=False):
            assert f" {row.office_code} " in line and row.title[:12] in line, (row, screen)
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
