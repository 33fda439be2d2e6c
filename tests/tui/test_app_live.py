"""Other processes at work on the same file: their commits appear within about a second without
moving the cursor, notifications pop up, and a held write lock keeps nothing frozen."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import AccessLog, Notification, Task
from caseterm.core.services import cases
from caseterm.tui import base_app as app_module
from caseterm.tui.context import TuiContext
from caseterm.tui.first_rows import read_early
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.widgets.top_bar import TopBar
from tests.conftest import FROZEN
from tests.keys import press
from tests.launch import frozen_prelude
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.seen import notes_of

ADD_TASK = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.config import to_url
from caseterm.core.services import tasks
from caseterm.core.services.identity import resolve_actor
db = Database(to_url(sys.argv[1]))
with db.write() as s:
    clerk = resolve_actor(s, "clerk")
    worker = resolve_actor(s, "worker")
    tasks.create_task(s, clerk, kind="general", title="Added by another process",
                      assignee_id=worker.id, due_date=None)
"""

NOTIFY = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.config import to_url
from caseterm.core.services import notifications
from caseterm.core.services.identity import resolve_actor
db = Database(to_url(sys.argv[1]))
with db.write() as s:
    notifications.notify(s, recipient_id=resolve_actor(s, "worker").id, kind="arrival",
                         text="Your 10:30 has arrived")
"""

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def run_elsewhere(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", frozen_prelude(FROZEN) + script, *args],
        stdout=subprocess.PIPE,
        text=True,
    )


def db_file(tw: TuiWorld) -> str:
    path = tw.db.path
    assert path is not None
    return str(path)


async def test_commits_elsewhere_appear_without_moving_the_cursor(tui_world: TuiWorld) -> None:
    app = tui_world.app(live=True, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#tasks", PagedTable)
        await press(pilot, "j")
        assert table.current_row is not None
        before = table.current_row.task_id
        other = run_elsewhere(ADD_TASK, db_file(tui_world))
        assert other.wait(60) == 0
        await wait_for(pilot, lambda: table.count == 3, 3.0)
        await settle(pilot)
        assert table.cursor == 1
        assert table.current_row is not None and table.current_row.task_id == before
        text = screen_text(app)
        assert "Added by an" in text  # cut with "…" at 80 columns
        assert re.search(r"My work +3 \(1!\)", text)
    with tui_world.db.read() as s:
        assert s.exec(select(Task).where(Task.title == "Added by another process")).one()


@pytest.mark.slow
async def test_a_commit_before_live_updates_start_is_not_missed(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Live updates start a moment after the first rows are read. A commit that lands in
    # between must still reach the screen: here the moment is stretched so it surely does.
    monkeypatch.setattr(app_module, "STARTUP_GRACE", 6.0)
    app = tui_world.app(live=True, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#tasks", PagedTable)
        assert table.count == 2
        other = run_elsewhere(ADD_TASK, db_file(tui_world))
        assert other.wait(60) == 0
        assert app.live is not None and app.live.worker is None  # not started yet
        await wait_for(pilot, lambda: table.count == 3, 12.0)
        await settle(pilot)
        assert "Added by an" in screen_text(app)


@pytest.mark.slow
async def test_the_watcher_opened_with_the_early_read_sees_what_came_after_it(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `caseterm` starts: the first rows are read (and the change watcher opened) before the
    # app exists. A commit after that read reaches the screen through the watcher's first poll;
    # with nothing committed, the screen is not read again.
    monkeypatch.setattr(app_module, "STARTUP_GRACE", 0.1)
    quiet = read_early(TuiContext(tui_world.db, tui_world.world.worker))
    app = tui_world.app(live=True, poll_interval=0.2, early=quiet)
    async with app.run_test(size=(80, 24)) as pilot:
        # the watcher has been asked three times and found nothing to read again
        await wait_for(pilot, lambda: app.live is not None and app.live.polls >= 3, 30)
        await settle(pilot)
        assert app.live is not None and app.live.generation == 0  # no read "in case"
    early = read_early(TuiContext(tui_world.db, tui_world.world.worker))
    first = early.wait(10)
    assert first is not None and early.watcher is not None
    assert first[1] == 2  # the rows read before the commit (what the first frame shows)
    other = run_elsewhere(ADD_TASK, db_file(tui_world))
    assert other.wait(60) == 0
    app = tui_world.app(live=True, poll_interval=0.2, early=early)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#tasks", PagedTable)
        # the watcher's first poll sees the commit made after the early read (whenever the
        # test gets to look, the screen has, or soon has, the third row)
        await wait_for(pilot, lambda: table.count == 3, 5.0)
        await settle(pilot)
        assert "Added by an" in screen_text(app)
        assert app.live is not None and app.live.generation == 1


async def test_notifications_for_me_pop_up_and_are_marked_read(tui_world: TuiWorld) -> None:
    app = tui_world.app(live=True, poll_interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = run_elsewhere(NOTIFY, db_file(tui_world))
        assert other.wait(60) == 0
        await wait_for(
            pilot,
            lambda: any("Your 10:30 has arrived" in n for n in notes_of(app)),
            3.0,
        )
        await settle(pilot)
    with tui_world.db.read() as s:
        note = s.exec(select(Notification)).one()
    assert note.read_at is not None


@pytest.mark.slow
async def test_a_held_write_lock_leaves_the_screen_responsive_and_says_so(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        locker = run_elsewhere(HOLD_LOCK, db_file(tui_world), "5")
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        started = time.monotonic()
        await press(pilot, "c", "enter")  # complete the first task: has to wait for the lock
        await wait_for(pilot, lambda: "Waiting for the database" in app.db_waiting, 2.0)
        assert "Waiting for the database… (completing 1 task)" in screen_text(app)
        table = app.screen.query_one("#tasks", PagedTable)
        await press(pilot, "j")  # still answering keys while it waits
        assert table.cursor == 1
        assert app.screen.query_one(TopBar) is not None
        await wait_for(pilot, lambda: app.db_waiting == "", 30.0)
        assert time.monotonic() - started > 4
        await settle(pilot)
        assert locker.wait(10) == 0
    with tui_world.db.read() as s:
        done = s.get(Task, tui_world.task_ids["mine_overdue"])
        assert done is not None and done.status == "done"


@pytest.mark.slow
async def test_a_case_opens_while_another_process_holds_the_write_lock(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:  # a second case, restricted to the worker: its view is logged
        restricted = cases.open_case(
            s, w.clerk, case_type="OM", subject_id=w.person.id or 0, owner_id=w.other.id
        )
        cases.restrict_case(s, w.manager, case_id=restricted.id or 0, allow=[w.worker.id])
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The lock is held far longer than the case may take to open, however busy the machine:
        # the case opening while the other process still holds it shows the read did not wait.
        locker = run_elsewhere(HOLD_LOCK, db_file(tui_world), "60")
        try:
            assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
            app.open_case(w.case.id or 0)  # unrestricted: read only, nothing to wait for
            await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None, 45.0)
            assert locker.poll() is None  # still holding the lock: the read did not wait for it
            assert w.case.reference in screen_text(app)
            app.open_case(restricted.id or 0)  # restricted: the view is logged, so it waits
            await wait_for(pilot, lambda: "Waiting for the database" in app.db_waiting, 30.0)
            assert locker.poll() is None
        finally:
            locker.terminate()  # the lock goes with the process; the logged view can be written
            locker.wait(10)
        await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None, 30.0)
        await settle(pilot)
    with w.db.read() as s:
        log = s.exec(select(AccessLog).where(AccessLog.staff_id == w.worker.id)).all()
    assert [(row.case_id, row.action) for row in log] == [(restricted.id, "viewed")]


LOG_CONTACT = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.config import to_url
from caseterm.core.services import contacts
from caseterm.core.services.identity import resolve_actor
db = Database(to_url(sys.argv[1]))
with db.write() as s:
    contacts.log_contact(s, resolve_actor(s, "other"), case_id=int(sys.argv[2]),
                         contact_type="email", notes="Logged by Owen elsewhere")
"""


async def test_a_contact_logged_elsewhere_appears_on_the_open_case(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(live=True, poll_interval=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        table = app.screen.query_one("#contacts-table", PagedTable)
        assert table.count == 0
        other = run_elsewhere(LOG_CONTACT, db_file(tui_world), str(w.case.id))
        assert other.wait(60) == 0
        await wait_for(pilot, lambda: table.count == 1, 3.0)
        await settle(pilot)
        assert "Logged by Owen elsewhere" in screen_text(app)
