"""Noticing other processes' commits on PostgreSQL: LISTEN on one dedicated connection.

Every `Database.write()` on PostgreSQL issues `pg_notify(CHANNEL, ...)` inside its transaction,
so the notification is delivered exactly when (and only if) the transaction commits. The watcher
keeps its own autocommit psycopg connection listening on CHANNEL; `poll()` drains what arrived
without blocking. If the connection drops, the watcher reconnects and reports a change, since
commits may have been missed meanwhile.
"""

from __future__ import annotations

import psycopg

from caseterm.core.errors import DatabaseError
from caseterm.core.storage.database import NOTIFY_CHANNEL, Database, first_line

APPLICATION_NAME = "caseterm changes"  # how the listening connection shows in pg_stat_activity


class PostgresChangeWatcher:
    def __init__(self, db: Database) -> None:
        if db.engine.dialect.name != "postgresql":
            raise DatabaseError("PostgresChangeWatcher needs a PostgreSQL database")
        self._db = db
        self._conn: psycopg.Connection | None = self._connect()

    def _connect(self) -> psycopg.Connection:
        dialect = self._db.engine.dialect
        cargs, cparams = dialect.create_connect_args(self._db.engine.url)
        cparams.setdefault("application_name", APPLICATION_NAME)
        cparams.setdefault("connect_timeout", 5)
        try:
            conn = psycopg.connect(*cargs, **cparams, autocommit=True)
        except psycopg.OperationalError as exc:
            raise DatabaseError(
                f"cannot listen for changes on {self._db.shown}: {first_line(exc)}"
            ) from exc
        conn.execute(f'LISTEN "{NOTIFY_CHANNEL}"')
        return conn

    @property
    def connected(self) -> bool:
        """False while the server cannot be reached (poll() keeps trying to reconnect)."""
        return self._conn is not None and not self._conn.closed

    def poll(self) -> bool:
        """True if some connection committed a write since the last poll. Never blocks."""
        if self._conn is None or self._conn.closed:
            return self._reconnect()
        try:
            # Drain everything that arrived, so one burst of commits is one refresh.
            return sum(1 for _ in self._conn.notifies(timeout=0)) > 0
        except psycopg.OperationalError:
            return self._reconnect()

    def _reconnect(self) -> bool:
        self.close()
        try:
            self._conn = self._connect()
        except DatabaseError:
            self._conn = None
            return False  # still down; try again on the next poll
        return True  # commits may have happened while we were not listening

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
