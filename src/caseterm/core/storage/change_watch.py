"""Noticing what other processes committed, so screens refresh and notifications pop up.

On SQLite, `PRAGMA data_version` on one dedicated connection changes whenever another connection
commits. (PostgreSQL uses LISTEN/NOTIFY; see `caseterm.core.storage.pg_notify`.)
"""

from __future__ import annotations

import sqlite3
from typing import Protocol

from caseterm.core.storage.database import Database


class ChangeWatcher(Protocol):
    def poll(self) -> bool:
        """True if someone else committed since the last poll. Never blocks for long."""

    def close(self) -> None: ...


class SqliteChangeWatcher:
    def __init__(self, db: Database) -> None:
        assert db.path is not None
        self._conn = sqlite3.connect(str(db.path), timeout=5, check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        current = self._version()
        if current != self._last:
            self._last = current
            return True
        return False

    def close(self) -> None:
        self._conn.close()


def watcher_for(db: Database) -> ChangeWatcher:
    if db.is_sqlite:
        return SqliteChangeWatcher(db)
    from caseterm.core.storage.pg_notify import PostgresChangeWatcher

    return PostgresChangeWatcher(db)
