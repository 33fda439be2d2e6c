"""Change watchers see other processes' commits: `data_version` on SQLite, LISTEN/NOTIFY on
PostgreSQL. Each test runs on both backends (through `world`)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.models import ContactEntry
from caseterm.core.services import diary, notifications
from caseterm.core.storage.change_watch import ChangeWatcher, watcher_for
from caseterm.core.storage.pg_notify import APPLICATION_NAME
from tests.factories import World

LOG_CONTACT = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.services import contacts
from caseterm.core.services.identity import resolve_actor
db = Database(sys.argv[1])
with db.read() as s:
    actor = resolve_actor(s, "worker")
with db.write() as s:
    case_id = int(sys.argv[2])
    contacts.log_contact(s, actor, case_id=case_id, contact_type="phone_in", notes="elsewhere")
db.dispose()
"""


CHECK_IN = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.services import reception
from caseterm.core.services.identity import resolve_actor
db = Database(sys.argv[1])
with db.write() as s:
    reception.check_in(s, resolve_actor(s, "desk"), int(sys.argv[2]))
db.dispose()
"""


def poll_until_true(watcher: ChangeWatcher, seconds: float) -> float | None:
    """Seconds until poll() said True, or None if it never did within `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if watcher.poll():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def test_commit_in_another_process_is_seen_within_two_seconds(world: World) -> None:
    watcher = watcher_for(world.db)
    try:
        assert watcher.poll() is False
        subprocess.run(
            [sys.executable, "-c", LOG_CONTACT, world.db.url, str(world.case.id)],
            check=True,
            timeout=60,
        )
        assert poll_until_true(watcher, 2.0) is not None
        assert watcher.poll() is False  # one commit, one refresh
        with world.db.read() as s:
            notes = s.exec(select(ContactEntry.notes)).all()
        assert "elsewhere" in notes
    finally:
        watcher.close()


def test_read_and_rolled_back_write_are_not_changes(world: World) -> None:
    watcher = watcher_for(world.db)
    try:
        assert watcher.poll() is False
        with world.db.read() as s:
            s.exec(select(ContactEntry)).all()
        with pytest.raises(RuntimeError), world.db.write() as s:
            s.execute(text("UPDATE case_file SET priority = 1"))
            raise RuntimeError("abandon")
        time.sleep(0.2)
        assert watcher.poll() is False
    finally:
        watcher.close()


def test_postgres_watcher_reconnects_and_reports_possible_changes(pg_url: str) -> None:
    from caseterm.core.storage.database import Database

    db = Database(pg_url)
    watcher = watcher_for(db)
    try:
        with db.engine.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": APPLICATION_NAME},
            ).scalar()
        assert killed == 1
        # It notices the lost connection within a poll or two, reconnects, and says "changed",
        # since commits may have happened while it was not listening.
        assert poll_until_true(watcher, 2.0) is not None
        assert watcher.poll() is False
        with db.write() as s:
            s.execute(text("UPDATE case_type SET active = active"))
        assert poll_until_true(watcher, 2.0) is not None
    finally:
        watcher.close()
        db.dispose()


def test_check_in_at_the_desk_reaches_the_owner_within_two_seconds(world: World) -> None:
    start = clock.now().replace(second=0, microsecond=0)
    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            kind="supervision",
            case_id=world.case.id,
        )
    with world.db.read() as s:
        seen = max((n.id or 0 for n in notifications.unread_for(s, world.worker)), default=0)
    owner_screen = watcher_for(world.db)  # the case owner's workstation
    try:
        assert owner_screen.poll() is False
        subprocess.run(
            [sys.executable, "-c", CHECK_IN, world.db.url, str(appt.id)], check=True, timeout=60
        )
        assert poll_until_true(owner_screen, 2.0) is not None
        with world.db.read() as s:
            unread = notifications.unread_for(s, world.worker, after_id=seen)
        assert [n.kind for n in unread] == ["arrival"]
        assert "has arrived" in unread[0].text
    finally:
        owner_screen.close()
