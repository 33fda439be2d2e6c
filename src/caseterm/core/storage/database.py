"""Engines and sessions. SQLite is set up for many processes on one file (README.md, "Where the
database is"): WAL, `BEGIN IMMEDIATE` for writing sessions, a busy timeout and foreign keys on
every connection. SQLite's errors for a damaged file become one caseterm DatabaseError that says
how to restore (see damage.py), wherever they happen. An unsupported kind of URL is refused.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, ExceptionContext, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from caseterm.core.errors import DatabaseError
from caseterm.core.storage import engine_reuse
from caseterm.core.storage.damage import SQLITE_MAGIC, damaged_error, is_damage
from caseterm.core.storage.filesystems import refuse_network_fs

BUSY_TIMEOUT_MS = 30_000

# `PRAGMA application_id` of every caseterm SQLite database: "CSTM" in ASCII. Set when caseterm
# creates or upgrades a database; a file carrying another program's id is refused.
APPLICATION_ID = 0x4353544D

# PostgreSQL: every writing transaction notifies this channel (delivered at commit only), so
# `caseterm.core.storage.pg_notify.PostgresChangeWatcher` sees other processes' commits.
NOTIFY_CHANNEL = "caseterm_changes"
# PostgreSQL: every writing transaction first takes this transaction-scoped advisory lock, so
# writers are serialised as on SQLite (BEGIN IMMEDIATE) and the services' check-then-write rules
# (no double booking, references, first member of staff) hold; readers never wait for it.
WRITE_LOCK_KEY = 0x63617365  # "case"


def shown_url(url: str) -> str:
    """`url` fit for a message or a log: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: nothing to hide
        return url


def first_line(error: object) -> str:
    """The first line of a driver error (psycopg adds hints and context on further lines)."""
    return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine, path: Path | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling loses updates).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            if engine_reuse.read_only():  # the resident server warming the engine
                cur.execute("PRAGMA query_only = ON")
        except sqlite3.DatabaseError as exc:
            if path is not None and is_damage(exc):
                raise damaged_error(path, exc) from exc
            raise
        finally:
            cur.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # Damage met by any query, in any command or screen: one line saying how to restore.
        if path is not None and is_damage(context.original_exception):
            raise damaged_error(path, context.original_exception) from (context.original_exception)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if engine_reuse.read_only():
            mode = "DEFERRED"  # no write lock (a query_only connection may not take one)
        conn.exec_driver_sql(f"BEGIN {mode}")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        if engine_reuse.read_only():  # the resident server warming the engine
            with dbapi_conn.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_conn.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("caseterm_write") and not engine_reuse.read_only():
            # lock_timeout mirrors SQLite's busy timeout: wait for other writers, then fail.
            # One round trip: the subquery (volatile, never flattened) sets the timeout for
            # this transaction before the lock is waited for.
            conn.exec_driver_sql(
                f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY}), "
                f"pg_notify('{NOTIFY_CHANNEL}', pg_backend_pid()::text) "
                f"FROM (SELECT set_config('lock_timeout', '{BUSY_TIMEOUT_MS}', true)) AS timeout"
            )


def make_engine(url: str, *, check_dir: bool = True) -> Engine:
    """An engine for `url`. For SQLite, refuse a missing directory with a clear message. In a
    child of the resident server, the server's engine for `url` (its SQL compiled already)."""
    engine_reuse.note_made(url)
    path = sqlite_path(url)
    if path is not None:
        if check_dir and not path.parent.is_dir():
            raise DatabaseError(f"directory {path.parent} does not exist")
        if check_dir:
            refuse_network_fs(path)  # WAL on NFS/SMB can corrupt the file: refuse, with why
        reused = engine_reuse.take(url)
        if reused is not None:
            return reused
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine, path)
        return engine
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        reused = engine_reuse.take(url)
        if reused is not None:
            return reused
        named = {} if "application_name" in parsed.query else {"application_name": "caseterm"}
        from caseterm.core.models.money import postgresql_options
        from caseterm.core.storage import pg_pool

        postgresql_options()
        engine = create_engine(url, connect_args=named, **pg_pool.engine_options())
        pg_pool.watch_idle_connections(engine)
        _configure_postgresql(engine)
        return engine
    raise DatabaseError(
        f"cannot use {shown_url(url)}: caseterm works with a SQLite file or PostgreSQL"
    )


class Database:
    """One database: a read engine and a writing engine (BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine.execution_options(caseterm_write=True)
        )

    @property
    def shown(self) -> str:
        """The URL with any password hidden, for messages."""
        return shown_url(self.url)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed (closing it rolls back, and the
        objects it loaded stay usable)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, *, commit_on: tuple[type[BaseException], ...] = ()) -> Iterator[Session]:
        """A session for one business action: commits at the end, rolls back on any error.
        An error of a type in `commit_on` is committed before it is raised again: a refusal
        whose access-log row must be kept (`commit_on=(RestrictedError,)`)."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
            except commit_on:
                session.commit()
                raise
            except BaseException:
                session.rollback()
                raise
            session.commit()

    def dispose(self) -> None:
        self.engine.dispose()


def check_reachable(db: Database) -> None:
    """Touch the database, turning driver errors into one clear DatabaseError."""
    path = db.path
    with contextlib.suppress(OSError):  # unreadable: SQLite's own error says so below
        if path is not None and path.is_file() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise DatabaseError(f"{db.shown} is not a SQLite database")
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if db.is_sqlite:
                conn.exec_driver_sql("PRAGMA schema_version").scalar()
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {db.shown}: {first_line(exc.orig)}") from exc
