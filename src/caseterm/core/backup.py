"""Online backups of a SQLite database through SQLite's backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from caseterm.core.db import Database
from caseterm.core.errors import DatabaseError


def backup_sqlite(db: Database, target: Path) -> Path:
    """Copy the live database to `target` page by page while others keep working."""
    if db.path is None:
        raise DatabaseError("backup through caseterm is for SQLite; use pg_dump for PostgreSQL")
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose a new file")
    if not target.parent.is_dir():
        raise DatabaseError(f"directory {target.parent} does not exist")
    src = sqlite3.connect(str(db.path), timeout=30)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
    finally:
        src.close()
    return target
