"""End to end in a real terminal, on the demo database: find a case, press `n`, log a contact,
quit, and find the entry in the database; and the same when the terminal is killed in the
middle of a sentence (the draft is offered back next time)."""

from __future__ import annotations

import json
import signal
import time
from datetime import datetime

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry, Draft
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.signals import caseterm_pid, send
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


Demo = DemoDb


@pytest.fixture
def demo(wendy_demo: DemoDb) -> DemoDb:
    return wendy_demo


def open_contact_form(term: Terminal, reference: str) -> None:
    """From the queues: `/`, the reference, enter (the case), `n` (the contact form)."""
    open_case(term, reference)
    term.keys("n")
    term.wait_for("New contact entry")


def entries_of(demo: Demo) -> list[ContactEntry]:
    with demo.db.read() as s:
        return list(
            s.exec(
                select(ContactEntry)
                .where(ContactEntry.case_id == demo.case_id, ContactEntry.staff_id == demo.staff_id)
                .order_by(col(ContactEntry.id).desc())
            ).all()
        )


def test_log_a_contact_in_a_real_terminal(demo: Demo, frozen_clock: datetime) -> None:
    before = len(entries_of(demo))
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_contact_form(term, demo.reference)
        term.wait_for("→ Mon 23 Nov 2026 10:30")
        term.keys("p")
        term.keys("1")
        term.keys("Rang about his hours [bold] next week", literal=True)
        term.wait_for("[bold] next week")
        term.keys("C-s")
        term.wait_for("Contact entry saved")
        # The case screen comes back at once and refetches its log in a worker: wait for it.
        # (The notes column may be cut to fit; the full text is checked in the database below.)
        screen = term.wait_for("Rang about his hours")
        assert f"Case {demo.reference}" in screen
        top = next(line for line in screen.splitlines() if line.lstrip().startswith(">"))
        assert "Rang about his hours" in top  # the new entry is at the top of the log
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    found = entries_of(demo)
    assert len(found) == before + 1
    entry = found[0]
    assert (entry.contact_type, entry.outcome) == ("phone_in", "attended_complied")
    assert entry.notes == "Rang about his hours [bold] next week"
    assert entry.occurred_at == frozen_clock


def test_a_killed_terminal_loses_nothing(demo: Demo, frozen_clock: datetime) -> None:
    before = len(entries_of(demo))
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_contact_form(term, demo.reference)
        term.keys("h")
        term.keys("2")
        term.keys("Went round at ten, nobody in, neighbour sa", literal=True)
        term.wait_for("draft kept", timeout=20)
    finally:
        term.close()  # the terminal dies mid-sentence: no save, no goodbye
    with demo.db.read() as s:
        assert len(s.exec(select(Draft)).all()) == 1
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_contact_form(term, demo.reference)
        term.wait_for("Unsaved contact entry found")
        term.wait_for("Went round at ten, nobody in, neighbour sa")
        term.keys("r")
        term.wait_for("Draft restored")
        term.keys("id he had moved out", literal=True)
        term.wait_for("moved out")
        term.keys("C-s")
        term.wait_for("Contact entry saved")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    found = entries_of(demo)
    assert len(found) == before + 1
    entry = found[0]
    assert (entry.contact_type, entry.outcome) == ("home_visit", "failed_to_attend")
    assert entry.notes == "Went round at ten, nobody in, neighbour said he had moved out"
    with demo.db.read() as s:
        assert s.exec(select(Draft)).all() == []


def my_draft_notes(demo: Demo) -> list[str]:
    with demo.db.read() as s:
        rows = s.exec(select(Draft).where(Draft.staff_id == demo.staff_id)).all()
    return [json.loads(d.data).get("notes", "") for d in rows]


def test_a_drop_soon_after_a_pause_loses_nothing(demo: Demo) -> None:
    """The field report: "Part A", a pause, "Part B", and the terminal dies 0.8 s later. Both
    parts are in the draft (it was written sooner, and the hang-up writes the rest)."""
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_contact_form(term, demo.reference)
        term.keys("h")
        term.keys("2")
        term.keys("Part A", literal=True)
        deadline = time.monotonic() + 20
        while my_draft_notes(demo) != ["Part A"]:  # the pause: Part A is in the database
            assert time.monotonic() < deadline, my_draft_notes(demo)
            time.sleep(0.05)
        term.keys(" … Part B", literal=True)
        term.wait_for("Part A … Part B")
        time.sleep(0.8)  # the scenario itself: the drop comes 0.8 s after the last key
    finally:
        term.close()  # the terminal dies: no save, no goodbye
    assert my_draft_notes(demo) == ["Part A … Part B"]


def test_a_hang_up_at_once_keeps_the_last_keys(demo: Demo) -> None:
    """SIGHUP to the real process as soon as the last key shows: it writes the draft, with that
    key, before it goes."""
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_contact_form(term, demo.reference)
        pid = caseterm_pid(term)
        term.keys("p")
        term.keys("1")
        term.keys("Rang back, all fine", literal=True)
        term.wait_for("Rang back, all fine")
        send(pid, signal.SIGHUP)
        assert term.exited(), term.screen()
    finally:
        term.close()
    assert my_draft_notes(demo) == ["Rang back, all fine"]
