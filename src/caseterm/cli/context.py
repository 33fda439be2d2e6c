"""What every command needs: the database (opened and upgraded) and the acting member of staff."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from caseterm.core.services.identity import Actor, resolve_actor
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database

_opened: list[Database] = []


@dataclass
class Context:
    db: Database
    actor: Actor


def open_db(args: argparse.Namespace, *, create: bool = True) -> Database:
    """Open the database named by --db (or the usual fallbacks), upgrading an older schema
    after a backup copy, which is reported on stderr."""
    opened = open_database(getattr(args, "db", None), create=create)
    _opened.append(opened.db)
    if opened.backup is not None:
        print(
            f"caseterm: upgraded the schema; the previous database was copied to {opened.backup}",
            file=sys.stderr,
        )
    return opened.db


def context(args: argparse.Namespace) -> Context:
    """The database and the acting staff member (the OS login); unknown or disabled logins get a
    clear message (NotEnrolledError / DisabledError)."""
    db = open_db(args)
    with db.read() as session:
        actor = resolve_actor(session)
    return Context(db, actor)


def close_opened() -> None:
    """Close what `open_db` opened (main calls this when a command ends, so running commands one
    after another in one process, as the tests do, leaves no connections behind)."""
    while _opened:
        _opened.pop().dispose()
