"""Real database trouble for the TUI tests, no mocks:

- `impatient(db, ms)`: the same database, whose SQLite connections wait only `ms` for the write
  lock (so "database is locked" comes quickly); production keeps its own busy timeout.
- `sqlite_write_lock(db)`: another connection holds the SQLite write lock meanwhile.
- `pg_write_lock(url)`: another connection holds caseterm's PostgreSQL write lock meanwhile;
  `drop_waiting_writer(url)` then cuts the connection of the caseterm write that waits for it
  (`pg_terminate_backend`), as a dropped connection would.
- `pg_server(server, action)`: stop or start a test's own PostgreSQL server (tests/pg_private.py)
  off the event loop.
- `wait_until(pilot, condition, timeout)`: wait on a condition, never a fixed pause.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from textual.pilot import Pilot

from caseterm.core.storage.database import WRITE_LOCK_KEY, Database
from tests.keys import idle
from tests.pg import libpq
from tests.pg_private import PrivatePostgres


def impatient(db: Database, ms: int = 150) -> Database:
    """`db` again, on an engine of its own whose SQLite connections wait `ms` for the lock."""
    again = Database(db.url)
    if again.is_sqlite:

        @event.listens_for(again.engine, "connect")
        def _short_wait(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA busy_timeout = {ms}")

    return again


@contextmanager
def sqlite_write_lock(db: Database) -> Iterator[None]:
    assert db.path is not None
    conn = sqlite3.connect(str(db.path), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@contextmanager
def pg_write_lock(url: str) -> Iterator[None]:
    with psycopg.connect(libpq(url)) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        try:
            yield
        finally:
            conn.rollback()


def _drop_waiting_writer(url: str, timeout: float) -> int:
    name = make_url(url).database
    deadline = time.monotonic() + timeout
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            pids = [
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                    " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
                    " AND pid <> pg_backend_pid()",
                    (name,),
                ).fetchall()
            ]
            if pids:
                for pid in pids:
                    conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
                return len(pids)
            time.sleep(0.05)  # polling the server for the condition, off the event loop
    raise AssertionError(f"no caseterm write waited for the lock within {timeout} s")


async def drop_waiting_writer(url: str, timeout: float = 20.0) -> int:
    """Once a caseterm write waits for the write lock, terminate its connection."""
    return await asyncio.to_thread(_drop_waiting_writer, url, timeout)


async def pg_server(server: PrivatePostgres, action: str) -> float:
    """Stop or start `server` off the event loop; how long it took, in seconds."""
    started = time.monotonic()
    await asyncio.to_thread(server.stop if action == "stop" else server.start)
    return time.monotonic() - started


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float) -> float:
    """Let the app run until `condition()` holds; how long that took (fails after `timeout`)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s")
        await pilot.pause(0.02)
    took = time.monotonic() - started
    await idle(pilot)  # what the condition saw arrive has been handled and laid out
    return took
