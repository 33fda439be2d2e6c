"""Opening a database for use: resolve the URL, check it, upgrade the schema, seed catalogues."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from caseterm.core.config import resolve_database_url
from caseterm.core.errors import DatabaseError
from caseterm.core.services.org import ensure_catalogue
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database, check_reachable


@dataclass
class Opened:
    db: Database
    backup: Path | None  # the copy taken before an upgrade, if one ran


def open_database(
    url_or_path: str | None = None, *, upgrade: bool = True, create: bool = True
) -> Opened:
    """Open (and, for a new SQLite file, create) the caseterm database, upgrading an older schema
    after an automatic backup copy. Errors become one clear DatabaseError."""
    url = resolve_database_url(url_or_path)
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
        _check_file(path, create=create)
        if not path.exists():
            _create_private(path)
    check_reachable(db)
    backup: Path | None = None
    if upgrade:
        state = migrate.schema_state(db)
        if state == "newer":
            raise DatabaseError(
                f"{db.shown} has a schema newer than this caseterm; upgrade caseterm first"
            )
        if state != "current":
            if path is not None and path.exists() and not _writable(path):
                raise DatabaseError(f"{path} needs a schema upgrade but is read-only for you")
            if db.engine.dialect.name == "postgresql":
                _check_pg_may_migrate(db, state)
            backup = migrate.upgrade(db)
            with db.write() as session:
                ensure_catalogue(session)
    elif migrate.schema_state(db) == "newer":
        raise DatabaseError(
            f"{db.shown} has a schema newer than this caseterm; upgrade caseterm first"
        )
    return backup


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
        if exists and not _readable(path):
            raise DatabaseError(f"cannot read {path}: permission denied")
        if exists and path.stat().st_size > 0 and not _is_sqlite(path):
            raise DatabaseError(f"{path} is not a SQLite database")
    except PermissionError as exc:
        raise DatabaseError(
            f"cannot open {path}: permission denied (on a shared host, ask to be added to the "
            "database's group)"
        ) from exc


def _create_private(path: Path) -> None:
    """Create the empty database file readable by its owner only (0600), or by the group too
    (0660) inside a setgid group directory made by `caseterm db init --shared`. SQLite gives the
    -wal and -shm files the same mode."""
    shared = bool(path.parent.stat().st_mode & stat.S_ISGID)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660 if shared else 0o600)
    os.close(fd)
    os.chmod(path, 0o660 if shared else 0o600)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def _readable(path: Path) -> bool:
    return os.access(path, os.R_OK)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
