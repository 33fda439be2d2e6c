"""One process at a time creates or upgrades a database; the others wait, then use the result.

When many people start caseterm at once (after an upgrade of the program, or on a database that
does not exist yet), each process finds the schema missing or old. Without a lock they would all
create tables, take pre-upgrade backups and run migrations at the same time. So the set-up runs
under an exclusive lock, and whoever gets it second looks again and usually finds nothing to do.

SQLite: a `flock` on `<database>.lock` beside the database (a separate file: SQLite's own POSIX
locks on the database file would be released if this process closed another descriptor of it).
The lock file is removed by its holder when done; a waiter that finds it gone or replaced opens
it afresh. It is created 0600, or 0660 in a shared group directory so every member can lock it.
PostgreSQL: a session-level advisory lock, held on a connection of its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from caseterm.core.errors import DatabaseError
from caseterm.core.private_files import shared_mode
from caseterm.core.storage.database import Database

SETUP_LOCK_KEY = 0x63617366  # PostgreSQL advisory lock for schema set-up ("casf")
WAIT_SECONDS = 600.0  # a large database's backup and upgrade can take minutes
POLL_SECONDS = 0.02


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


def _open_lock(path: Path) -> int:
    mode = shared_mode(path, group_writes=True)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, mode)
    except PermissionError as exc:
        raise DatabaseError(
            f"cannot create {path.name} in {path.parent} to set up the database: permission "
            "denied (the database needs creating or upgrading by someone who may write there)"
        ) from exc
    try:
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, mode)  # the umask must not keep the group out of a shared lock
    except OSError:
        pass
    return fd


def _acquire(path: Path, wait: float) -> int:
    deadline = time.monotonic() + wait
    while True:
        fd = _open_lock(path)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise DatabaseError(
                            f"another caseterm has been setting up {path.with_suffix('')} for "
                            f"{wait:.0f} s (it holds {path.name}); try again later"
                        ) from None
                    time.sleep(POLL_SECONDS)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            mine = os.fstat(fd)
            if current is not None and (current.st_ino, current.st_dev) == (
                mine.st_ino,
                mine.st_dev,
            ):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed the file when done: take the lock on a fresh one


@contextmanager
def sqlite_setup_lock(db_path: Path, *, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the exclusive set-up lock of the SQLite database at `db_path`."""
    path = lock_path(db_path)
    fd = _acquire(path, wait)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still holding it: waiters notice and start afresh
        os.close(fd)


@contextmanager
def setup_lock(db: Database) -> Iterator[None]:
    """Hold the exclusive set-up lock for `db` (SQLite file lock, or PostgreSQL advisory lock)."""
    if db.path is not None:
        with sqlite_setup_lock(db.path):
            yield
        return
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql(f"SET lock_timeout = '{WAIT_SECONDS:.0f}s'")
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SETUP_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SETUP_LOCK_KEY})
            conn.commit()
