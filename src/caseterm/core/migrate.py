"""Schema upgrades with Alembic. An older database is backed up, then upgraded in place."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from caseterm.core import clock
from caseterm.core.db import Database
from caseterm.core.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_state(db: Database) -> str:
    """'empty', 'current', 'old' or 'newer' (a schema this program does not know)."""
    with db.engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if rev is None:
        if tables - {"alembic_version"}:
            raise DatabaseError(
                f"{db.url} is not a caseterm database (it has tables but no caseterm schema)"
            )
        return "empty"
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    known = {s.revision for s in script.walk_revisions()}
    if rev not in known:
        return "newer"
    return "current" if rev == head_revision() else "old"


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Bring the schema to head. Returns the backup taken first, if any."""
    state = schema_state(db)
    if state == "newer":
        raise DatabaseError(
            f"{db.url} has a schema newer than this caseterm; upgrade caseterm first"
        )
    if state == "current":
        return None
    backup_file: Path | None = None
    if state == "old" and backup and db.is_sqlite:
        from caseterm.core.backup import backup_sqlite

        assert db.path is not None
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        backup_file = db.path.with_name(f"{db.path.name}.pre-upgrade-{stamp}.bak")
        backup_sqlite(db, backup_file)
    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup_file
