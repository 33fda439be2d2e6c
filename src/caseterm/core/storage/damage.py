"""A damaged SQLite file (a broken header, a truncated file, corrupt pages): recognised from
SQLite's own error, and turned into one line that says what is wrong and the exact command that
restores the newest backup caseterm can find."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from caseterm.core.errors import DatabaseError
from caseterm.core.storage.backup_files import all_backups, backup_dir

# SQLite's primary result codes for a file that is not (or no longer) a valid database.
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
SQLITE_MAGIC = b"SQLite format 3\x00"
_DAMAGE_WORDS = ("file is not a database", "disk image is malformed", "malformed database schema")


def is_damage(exc: BaseException | None) -> bool:
    """True for SQLite's "file is not a database" and "database disk image is malformed"."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return True
    return any(word in str(exc) for word in _DAMAGE_WORDS)


def newest_backup(db_path: Path) -> Path | None:
    try:
        found = all_backups(db_path)
    except OSError:
        return None
    return found[-1] if found else None


def restore_command(db_path: Path, backup: Path | str) -> str:
    return f"caseterm --db {shlex.quote(str(db_path))} db restore {shlex.quote(str(backup))}"


def restore_advice(db_path: Path) -> str:
    """What to run: restore the newest backup found, by name, or say where none was found."""
    newest = newest_backup(db_path)
    if newest is None:
        return (
            f"no backup was found beside it or in {backup_dir(db_path)}: ask everyone to quit "
            "caseterm, then restore a copy you have elsewhere: "
            f"{restore_command(db_path, 'BACKUP_FILE')}"
        )
    return (
        f"ask everyone to quit caseterm, then restore the newest backup, {newest.name}: "
        f"{restore_command(db_path, newest)}"
    )


class DamagedDatabaseError(DatabaseError):
    """The database file is damaged; the message says how to restore it."""


def not_sqlite_error(db_path: Path) -> DamagedDatabaseError:
    """A file without SQLite's header: perhaps never a database, perhaps one whose header was
    destroyed; if it has backups, it was caseterm's, so say how to restore."""
    hint = ""
    if newest_backup(db_path) is not None:
        hint = f"; if it held caseterm's data, its header is damaged; {restore_advice(db_path)}"
    return DamagedDatabaseError(f"{db_path} is not a SQLite database{hint}")


def damaged_error(db_path: Path, reason: object) -> DamagedDatabaseError:
    """The one-line error for a damaged database file."""
    try:
        with db_path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                return not_sqlite_error(db_path)
    except OSError:
        pass
    why = str(reason).strip().splitlines()[0] if str(reason).strip() else "unreadable"
    return DamagedDatabaseError(f"{db_path} is damaged ({why}); {restore_advice(db_path)}")
