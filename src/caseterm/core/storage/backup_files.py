"""Where backups go, what they are called and how to find them again (no SQLite here, so that
the messages about a damaged database can name the newest backup).

Names: `<stem>-backup-YYYYmmdd-HHMMSS.db` (`caseterm db backup`), `<name>.pre-upgrade-STAMP.bak`
(before a schema upgrade), `<stem>-before-restore-STAMP.db` (the database a restore replaced);
two made in the same second get `-2`, `-3`… (private_files.numbered).
"""

from __future__ import annotations

import os
from pathlib import Path

from caseterm.core import clock
from caseterm.core.config import load_settings
from caseterm.core.errors import DatabaseError

BACKUP_DIR_ENV = "CASETERM_BACKUP_DIR"


def stamp() -> str:
    return clock.now().strftime("%Y%m%d-%H%M%S")


def backup_pattern(db_path: Path) -> str:
    return f"{db_path.stem}-backup-*.db"


def backup_dir(db_path: Path) -> Path:
    """Where backups go by default: $CASETERM_BACKUP_DIR, else `backup_dir` in the config file,
    else the database's own directory."""
    env = os.environ.get(BACKUP_DIR_ENV)
    if env:
        return Path(env).expanduser()
    try:
        configured = load_settings().backup_dir
    except DatabaseError:
        configured = None  # an unreadable config file must not stop a backup
    if configured:
        return Path(configured).expanduser()
    return db_path.parent


def default_backups(db_path: Path, directory: Path | None = None) -> list[Path]:
    """Default-named backups of `db_path` in `directory`, oldest first."""
    where = directory or backup_dir(db_path)
    if not where.is_dir():
        return []
    found = [p for p in where.glob(backup_pattern(db_path)) if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def all_backups(db_path: Path) -> list[Path]:
    """Every backup caseterm knows how to find (default-named, pre-upgrade and pre-restore
    copies, next to the database and in the backup directory), oldest first."""
    places = {db_path.parent, backup_dir(db_path)}
    found: set[Path] = set()
    for place in places:
        if place.is_dir():
            for pattern in (
                backup_pattern(db_path),
                f"{db_path.name}.pre-upgrade-*.bak",
                f"{db_path.stem}-before-restore-*.db",
            ):
                found.update(p for p in place.glob(pattern) if p.is_file())
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))
