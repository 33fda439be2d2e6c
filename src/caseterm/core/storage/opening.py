"""Opening a database for use: resolve the URL, check the file is caseterm's, create or upgrade
the schema (one process at a time, see setup_lock.py), seed the catalogues.

An existing, current, marked database opens without any lock: the common case costs a header
read and two pragmas. Anything else (a missing file, an empty one, an old schema, a caseterm
database from before `application_id`) is set up under the lock, and a process that waited for
it looks again and usually finds the work done.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from caseterm.core.config import resolve_database_url
from caseterm.core.errors import DatabaseError
from caseterm.core.private_files import new_database_file
from caseterm.core.services.org import ensure_catalogue
from caseterm.core.storage import engine_reuse, migrate
from caseterm.core.storage.damage import SQLITE_MAGIC, damaged_error, is_damage, not_sqlite_error
from caseterm.core.storage.database import APPLICATION_ID, Database, check_reachable
from caseterm.core.storage.setup_lock import setup_lock


@dataclass
class Opened:
    db: Database
    backup: Path | None  # the copy taken before an upgrade, if one ran


@dataclass(frozen=True)
class Found:
    """What is in an existing database: its schema state and, for SQLite, its marks."""

    state: str  # empty | current | old | newer (migrate.schema_state)
    application_id: int = 0
    user_version: int = 0


def open_database(
    url_or_path: str | None = None, *, upgrade: bool = True, create: bool = True
) -> Opened:
    """Open (and, for a new SQLite file, create) the caseterm database, upgrading an older schema
    after an automatic backup copy. Errors become one clear DatabaseError. With upgrade=False
    nothing is created or changed (for backups and checks)."""
    url = resolve_database_url(url_or_path)
    if engine_reuse.read_only():  # the resident server warming an engine: change nothing
        upgrade = create = False
    db = Database(url)
    try:
        backup = _prepare(db, upgrade=upgrade, create=create)
    except BaseException:
        db.dispose()  # no pooled connection may outlive a refusal
        raise
    return Opened(db, backup)


def _prepare(db: Database, *, upgrade: bool, create: bool) -> Path | None:
    """Check the file, create or upgrade the schema; returns the pre-upgrade backup, if any."""
    path = db.path
    if path is not None:
        _check_file(path, create=create and upgrade)
        if path.exists() and path.stat().st_size > 0 and not _is_wal_file(path):
            _check_foreign_file(path)  # before connecting, which would switch it to WAL
    # Without the lock: PostgreSQL's first look, checks and backups (upgrade=False), a file in
    # WAL mode (connecting changes nothing in it), and a file this user may not change anyway.
    if (
        path is None
        or not upgrade
        or (path.exists() and (_is_wal_file(path) or not _writable(path)))
    ):
        check_reachable(db)
        found = _look(db)
        if not upgrade or _ready(db, found):
            return None
    with setup_lock(db):
        return _set_up(db, create=create)


def _look(db: Database) -> Found:
    """The schema state and marks, refusing another program's database."""
    marks = (0, 0)
    if db.is_sqlite:
        with db.engine.connect() as conn:
            app_id = int(conn.exec_driver_sql("PRAGMA application_id").scalar() or 0)
            user_version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        marks = (app_id, user_version)
        _refuse_marks(db.path, app_id)
    state = migrate.schema_state(db)  # refuses a file with tables but no caseterm schema
    if state == "empty":
        _refuse_marks(db.path, marks[0], marks[1])
    if state == "newer":
        raise DatabaseError(
            f"{db.shown} has a schema newer than this caseterm; upgrade caseterm first"
        )
    return Found(state, *marks)


def _refuse_marks(path: Path | None, app_id: int, user_version: int = 0) -> None:
    """Refuse another program's SQLite file: its application_id, or (for a file with no tables)
    a user_version caseterm never sets."""
    if app_id not in (0, APPLICATION_ID):
        raise DatabaseError(
            f"{path} belongs to another program (SQLite application_id "
            f"{_shown_id(app_id)}), not caseterm; give caseterm a file of its own"
        )
    if user_version != 0:
        raise DatabaseError(
            f"{path} is not a caseterm database (another program set its user_version to "
            f"{user_version}); give caseterm a file of its own"
        )


def _check_foreign_file(path: Path) -> None:
    """Look at an existing SQLite file read-only before caseterm's own connection touches it
    (which would switch it to WAL): refuse, unchanged, a file of another program."""
    conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged_error(path, exc) from exc
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    finally:
        conn.close()
    _refuse_marks(path, app_id)
    if "alembic_version" not in tables:
        if tables:
            raise DatabaseError(
                f"{path} is not a caseterm database (it has tables but no caseterm schema)"
            )
        _refuse_marks(path, app_id, user_version)


def _ready(db: Database, found: Found) -> bool:
    """True if there is nothing to set up (or nothing this user may set up and nothing that
    has to be): then no lock is taken."""
    if found.state != "current":
        if found.state == "old" and db.path is not None and not _writable(db.path):
            raise DatabaseError(f"{db.path} needs a schema upgrade but is read-only for you")
        return False
    if not db.is_sqlite or found.application_id == APPLICATION_ID:
        return True
    # A caseterm database from before the mark: marked by the first who may write it.
    assert db.path is not None
    return not _writable(db.path)


def _set_up(db: Database, *, create: bool) -> Path | None:
    """Under the set-up lock: look again, then create, upgrade or mark what still needs it."""
    path = db.path
    if path is not None and not path.exists():
        if not create:
            raise DatabaseError(
                f"no database at {path}; run 'caseterm demo' or 'caseterm db upgrade'"
            )
        new_database_file(path)
    check_reachable(db)
    found = _look(db)
    if found.state == "current":
        if db.is_sqlite and found.application_id != APPLICATION_ID:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        return None
    if path is not None and not _writable(path):
        raise DatabaseError(f"{path} needs a schema upgrade but is read-only for you")
    if db.engine.dialect.name == "postgresql":
        _check_pg_may_migrate(db, found.state)
    return migrate.upgrade(db, finish=_seed)


def _seed(conn: Connection) -> None:
    """In the upgrade's own transaction: the catalogue a new schema needs."""
    with Session(bind=conn) as session:
        ensure_catalogue(session)


def _check_pg_may_migrate(db: Database, state: str) -> None:
    """On PostgreSQL, staff log in as roles that may use the tables but not change the schema:
    say who can create or upgrade it, rather than fail half-way with a permission error."""
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT current_user, has_schema_privilege(current_schema(), 'CREATE'), "
                "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = 'alembic_version')"
            )
        ).one()
        me, may_create, owner = str(row[0]), bool(row[1]), row[2]
        owns = owner is None or bool(
            conn.execute(text("SELECT pg_has_role(:o, 'USAGE')"), {"o": owner}).scalar()
        )
    if state == "empty" and not may_create:
        raise DatabaseError(
            f"the database is empty and role {me} may not create tables in it; run "
            "'caseterm db upgrade' as the role that owns the database"
        )
    if state == "old" and not owns:
        raise DatabaseError(
            f"the database needs a schema upgrade, which only its owner role {owner} can run "
            f"(you are {me}): ask them to run 'caseterm db upgrade'"
        )


def _check_file(path: Path, *, create: bool) -> None:
    """Refuse, with the reason, a path caseterm cannot use as its SQLite file."""
    try:
        exists = path.exists()
        if exists and path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a database file")
        if not exists and not create:
            raise DatabaseError(
                f"no database at {path}; run 'caseterm demo' or 'caseterm db upgrade'"
            )
        if not exists and not path.parent.is_dir():
            raise DatabaseError(f"directory {path.parent} does not exist")
        if exists and not _readable(path):
            raise DatabaseError(f"cannot read {path}: permission denied")
        if exists and path.stat().st_size > 0 and _header(path)[:16] != SQLITE_MAGIC:
            raise not_sqlite_error(path)
    except PermissionError as exc:
        raise DatabaseError(
            f"cannot open {path}: permission denied (on a shared host, ask to be added to the "
            "database's group)"
        ) from exc


def _header(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def _is_wal_file(path: Path) -> bool:
    """A non-empty SQLite file already in WAL mode (file format bytes 18 and 19 are 2): safe to
    open without the set-up lock, since connecting changes nothing in it."""
    try:
        head = _header(path)
    except OSError:
        return False
    return head[:16] == SQLITE_MAGIC and head[18:20] == b"\x02\x02"


def _shown_id(app_id: int) -> str:
    raw = (app_id & 0xFFFFFFFF).to_bytes(4, "big")
    word = raw.decode("ascii") if all(0x20 < b < 0x7F for b in raw) else ""
    return f"{app_id & 0xFFFFFFFF:#010x}" + (f' "{word}"' if word else "")


def _readable(path: Path) -> bool:
    return os.access(path, os.R_OK)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
