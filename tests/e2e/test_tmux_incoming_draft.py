"""End to end in a real terminal, on the demo database: press `I`, type an incoming item, kill
the terminal in the middle of a sentence; the next start says there is an unsaved incoming
item, `I` offers it back, and ctrl+s logs it with every field as typed."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Draft, Staff, Task
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.signals import caseterm_pid, pane_modes, send
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"
SUMMARY = "Letter from court [bold] re hearing"


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    staff_id: int


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
    assert me.id is not None
    yield Demo(db, path, caseterm_env(LOGIN, frozen_clock, tmp_path), me.id)
    db.dispose()


def logged_by_me(demo: Demo) -> list[Task]:
    with demo.db.read() as s:
        return list(
            s.exec(
                select(Task)
                .where(Task.title == SUMMARY, Task.updated_by_id == demo.staff_id)
                .order_by(col(Task.id))
            ).all()
        )


def my_drafts(demo: Demo) -> list[Draft]:
    with demo.db.read() as s:
        return list(s.exec(select(Draft).where(Draft.staff_id == demo.staff_id)).all())


def test_a_killed_terminal_loses_no_incoming_item(demo: Demo) -> None:
    assert logged_by_me(demo) == [] and my_drafts(demo) == []
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("I")
        term.wait_for("Log incoming item")
        term.keys("p")
        term.keys(SUMMARY, literal=True)
        term.keys("Tab")
        term.keys("Tomasz Nowak", literal=True)
        term.keys("Tab")
        term.keys("12/04/1988", literal=True)
        term.wait_for("Tue 12 Apr 1988")
        term.keys("Tab")
        term.keys("Preston Magistrates' Court", literal=True)
        term.keys("Tab")
        term.keys("2")
        term.keys("Hearing moved to 3 D", literal=True)
        term.wait_for("Hearing moved to 3 D")
        term.wait_for("draft kept", timeout=20)
        # The draft on screen may be older than the last keys: wait for the one with them.
        deadline = time.monotonic() + 20
        while not any('"Hearing moved to 3 D"' in d.data for d in my_drafts(demo)):
            assert time.monotonic() < deadline, "the last keys never reached the draft"
            time.sleep(0.1)
    finally:
        term.close()  # the terminal dies mid-sentence: no save, no goodbye
    [draft] = my_drafts(demo)
    assert (draft.kind, draft.key) == ("incoming_item", "mine")
    assert '"Hearing moved to 3 D"' in draft.data

    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.wait_for("Unsaved incoming item: Post in", timeout=20)  # said at start-up
        term.keys("I")
        term.wait_for("Unsaved incoming item found")
        term.wait_for("Post in — Letter from court [bold] re hearing")
        term.keys("r")
        term.wait_for("Draft restored", "Tomasz Nowak", "Tue 12 Apr 1988")  # the same screen
        term.keys("ec", literal=True)
        term.wait_for("Hearing moved to 3 Dec")
        term.keys("C-s")
        term.wait_for("Logged: Post in")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    [task] = logged_by_me(demo)
    assert (task.kind, task.status, task.priority) == ("post_in", "untriaged", 2)
    assert (task.about_name, task.about_dob) == ("Tomasz Nowak", date(1988, 4, 12))
    assert (task.source, task.details) == ("Preston Magistrates' Court", "Hearing moved to 3 Dec")
    assert my_drafts(demo) == []


def open_incoming_form(term: Terminal) -> None:
    term.wait_for("My work")
    term.keys("I")
    term.wait_for("Log incoming item")


def test_a_hang_up_keeps_what_was_typed_an_instant_before(demo: Demo) -> None:
    """SIGHUP (what an SSH drop sends) straight after the last keys reach the screen: the
    process writes the draft with them before it goes, and goes."""
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_incoming_form(term)
        pid = caseterm_pid(term)
        term.keys("m")
        term.keys("Rang about the hearing", literal=True)
        term.wait_for("Rang about the hearing")
        term.keys("Tab")
        term.keys("Tomasz Nowa", literal=True)
        term.wait_for("Tomasz Nowa")
        send(pid, signal.SIGHUP)
        assert term.exited(), term.screen()
    finally:
        term.close()
    [draft] = my_drafts(demo)
    kept = json.loads(draft.data)
    assert (kept["kind"], kept["summary"], kept["name"]) == (
        "phone_message",
        "Rang about the hearing",
        "Tomasz Nowa",
    )


def test_sigterm_keeps_the_draft_and_gives_the_terminal_back(demo: Demo) -> None:
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_incoming_form(term)
        assert pane_modes(term)["alternate_on"] == "1"  # the app's own screen, mouse on
        assert pane_modes(term)["mouse_any_flag"] == "1"
        pid = caseterm_pid(term)
        term.keys("p")
        term.keys("Letter from the council", literal=True)
        term.wait_for("Letter from the council")
        send(pid, signal.SIGTERM)
        assert term.exited(), term.screen()
        modes = pane_modes(term)  # what the terminal was left in (tmux keeps it after exit)
    finally:
        term.close()
    assert modes == {
        "alternate_on": "0",
        "mouse_any_flag": "0",
        "mouse_standard_flag": "0",
        "mouse_sgr_flag": "0",
    }, modes
    [draft] = my_drafts(demo)
    assert json.loads(draft.data)["summary"] == "Letter from the council"
