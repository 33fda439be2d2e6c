"""`caseterm db upgrade|backup|restore|doctor|init` and `db copy`.

These act on the database file itself, so the file's permissions decide who may run them (on a
shared host: members of the database's group); they need no staff enrolment, since a damaged
or empty database must still be checked, backed up and restored.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.context import open_db
from caseterm.cli.db_copy import register_copy
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.config import resolve_database_url
from caseterm.core.errors import DatabaseError
from caseterm.core.storage import migrate
from caseterm.core.storage.backup import restore_sqlite, take_backup
from caseterm.core.storage.database import Database, shown_url, sqlite_path
from caseterm.core.storage.doctor import doctor
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.shared_host import init_shared

MARKS = {"ok": "ok", "info": "info", "warning": "WARN", "error": "FAIL"}


def _sqlite_target(args: argparse.Namespace, explicit: str | None = None) -> Path:
    url = resolve_database_url(explicit or getattr(args, "db", None))
    path = sqlite_path(url)
    if path is None:
        raise DatabaseError(f"{shown_url(url)} is not a SQLite file; use the server's own tools")
    return path


def _upgrade(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        print(f"schema is current (revision {migrate.current_revision(db)})")
    finally:
        db.dispose()
    return 0


def _backup(args: argparse.Namespace) -> int:
    db = open_database(getattr(args, "db", None), upgrade=False, create=False).db
    try:
        result = take_backup(db, Path(args.file) if args.file else None, keep=args.keep)
    finally:
        db.dispose()
    if args.json:
        print_json(
            {
                "path": str(result.path),
                "bytes": result.size,
                "seconds": round(result.seconds, 3),
                "removed": [str(p) for p in result.removed],
            }
        )
        return 0
    print(f"backed up to {result.path} ({result.size / 2**20:.1f} MiB, {result.seconds:.1f} s)")
    for old in result.removed:
        print(f"removed old backup {old}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    target = _sqlite_target(args)
    result = restore_sqlite(target, Path(args.file), force=args.force)
    if result.safety_copy:
        print(f"the database as it was is kept in {result.safety_copy}")
    print(f"restored {result.into} from {result.restored_from} ({result.seconds:.1f} s)")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    # Not opened for use: the doctor must examine a damaged or foreign file, not refuse it.
    db = Database(resolve_database_url(getattr(args, "db", None)))
    try:
        findings = doctor(db, quick=args.quick)
    finally:
        db.dispose()
    if args.json:
        print_json([f.as_dict() for f in findings])
    else:
        print_table(
            ("", "CHECK", "FIX"), [(MARKS.get(f.level, f.level), f.what, f.fix) for f in findings]
        )
    return 1 if any(f.level == "error" for f in findings) else 0


def _init(args: argparse.Namespace) -> int:
    path = _sqlite_target(args, args.path)
    if args.shared or args.group:
        if not (args.shared and args.group):
            raise DatabaseError("a shared database needs both --shared and --group GROUP")
        setup = init_shared(path, args.group)
        print(f"{setup.directory}: group {setup.group}, mode 2770")
        for file, mode in setup.files:
            print(f"{file}: mode {mode[2:]}")
        print(
            f"every member of {setup.group} can now use it; the first to run "
            "'caseterm staff add THEIR_LOGIN --name \"Their Name\"' becomes its administrator"
        )
        return 0
    existed = path.exists()
    open_database(str(path)).db.dispose()
    if not existed:
        path.chmod(0o600)
    print(f"{'upgraded' if existed else 'created'} {path}")
    return 0


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="set up, check, back up and restore the database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    p = db_sub.add_parser("upgrade", help="create the database or bring its schema up to date")
    p.set_defaults(handler=_upgrade)

    p = db_sub.add_parser("backup", help="back up while others keep working")
    p.add_argument("file", nargs="?", help="new file or a directory (default: backup directory)")
    p.add_argument("--keep", type=int, metavar="N", help="keep only the newest N backups there")
    add_json_flag(p)
    p.set_defaults(handler=_backup)

    p = db_sub.add_parser("restore", help="replace the database with a backup (nobody connected)")
    p.add_argument("file", help="a backup made by 'caseterm db backup'")
    p.add_argument("--force", action="store_true", help="even while someone is connected")
    p.set_defaults(handler=_restore)

    p = db_sub.add_parser("doctor", help="check integrity, WAL, permissions, disk and backups")
    p.add_argument("--quick", action="store_true", help="quick_check instead of integrity_check")
    add_json_flag(p)
    p.set_defaults(handler=_doctor)

    p = db_sub.add_parser("init", help="create a database (--shared: for a Unix group)")
    p.add_argument("path", nargs="?", help="database file (default: --db or the usual place)")
    p.add_argument("--shared", action="store_true", help="set up for every member of --group")
    p.add_argument("--group", help="the Unix group that shares the database")
    p.set_defaults(handler=_init)

    register_copy(db_sub)
