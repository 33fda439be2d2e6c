"""`caseterm.tui.dbwork` against real databases: a write whose connection drops during the
commit is reported (never tried again, never called lost); a locked SQLite file is not a lost
connection."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from caseterm.core.models import Task
from caseterm.core.services import tasks
from caseterm.core.services.task_info import TaskInfo
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.tui.dbwork import LostWhileSaving, describe_error, is_disconnect, write_once
from tests.factories import World, build_world
from tests.pg import libpq
from tests.tui.db_trouble import impatient, sqlite_write_lock


def test_a_connection_lost_during_the_commit_is_reported_not_retried(pg_url: str) -> None:
    db = open_database(pg_url).db
    try:
        world = build_world(db)
        with db.write() as s:
            task = tasks.create_task(s, world.clerk, kind="general", title="Call back")
        runs: list[int] = []

        def take_then_lose_the_connection(session: Session) -> TaskInfo:
            runs.append(1)
            taken = tasks.take_task(session, world.worker, task.id or 0)
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with psycopg.connect(libpq(pg_url), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", (pid,))
            return taken  # the COMMIT that follows meets a connection that is gone

        with pytest.raises(LostWhileSaving) as lost:
            write_once(db, take_then_lose_the_connection)
        assert runs == [1]  # not done a second time
        assert "may or may not have been saved" in describe_error(lost.value)
        with db.read() as s:
            stored = s.get(Task, task.id)
        assert stored is not None and stored.assignee_id is None  # the server rolled it back
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_a_locked_sqlite_file_is_not_a_lost_connection(world: World) -> None:
    db: Database = impatient(world.db, 50)
    with sqlite_write_lock(world.db), pytest.raises(OperationalError) as locked:
        write_once(db, lambda s: tasks.create_task(s, world.clerk, kind="general", title="x"))
    assert not is_disconnect(locked.value)
    assert describe_error(locked.value).startswith("The database stayed locked")
