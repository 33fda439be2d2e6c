"""Schema upgrades with Alembic. An older database is backed up, then upgraded in place.

Start-up only needs to know whether the schema is current, which one query answers; Alembic
itself (about 0.4 s to import) is loaded only when a migration has to run. The revision files
are named `<revision>_<slug>.py`, so the known revisions are read off the file names (a test
checks they agree with Alembic's own view).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from caseterm.core.errors import DatabaseError
from caseterm.core.storage.backup import backup_before_upgrade
from caseterm.core.storage.database import APPLICATION_ID, Database
from caseterm.core.storage.migrations import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config


def known_revisions() -> list[str]:
    """Every revision this program knows, oldest first (from the version files' names)."""
    names = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))
    return [n.split("_", 1)[0] for n in names]


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(db: Database) -> str:
    """'empty', 'current', 'old' or 'newer' (a schema this program does not know)."""
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        rev = (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if "alembic_version" in tables
            else None
        )
    if rev is None:
        if tables - {"alembic_version"}:
            raise DatabaseError(
                f"{db.shown} is not a caseterm database (it has tables but no caseterm schema)"
            )
        return "empty"
    if rev not in known_revisions():
        return "newer"
    return "current" if rev == head_revision() else "old"


def upgrade(
    db: Database,
    *,
    backup: bool = True,
    finish: Callable[[Connection], None] | None = None,
) -> Path | None:
    """Bring the schema to head. Returns the backup taken first, if any. `finish` runs in the
    same transaction after the migrations (seeding what a new schema needs), and a SQLite
    database is marked as caseterm's (`PRAGMA application_id`) in it too, so nobody sees the
    new schema without both. Run it under the set-up lock (setup_lock.py)."""
    state = schema_state(db)
    if state == "newer":
        raise DatabaseError(
            f"{db.shown} has a schema newer than this caseterm; upgrade caseterm first"
        )
    if state == "current":
        return None
    backup_file: Path | None = None
    if state == "old" and backup and db.path is not None:
        backup_file = backup_before_upgrade(db.path)
    from alembic import command

    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if finish is not None:
            finish(conn)
        if db.is_sqlite:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    return backup_file
