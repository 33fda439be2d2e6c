"""The small demo database the end-to-end journeys start from, and the first steps they share.

Building the small demo costs 1–2 s of CPU (and many seconds of wall time on a busy machine);
each test process builds it once per (login, clock) and every journey gets its own copy of
that file, opened with every check as caseterm opens any database. The demo writes no files
beside the database, so the copy is the whole of it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.demo import build_demo
from caseterm.core.models import CaseFile, Staff
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.e2e.tmux import Terminal, caseterm_env

LOGIN = "wendy"  # the demo's system administrator in Preston OM


@dataclass(frozen=True)
class DemoDb:
    """A journey's own copy of the small demo: the database, its file, the test's directory,
    the environment caseterm runs with, and the first open, unrestricted case `login` owns."""

    db: Database
    path: Path
    tmp: Path
    env: dict[str, str]
    login: str
    staff_id: int
    case_id: int
    reference: str


def copy_of_demo(path: Path, cache: Path, *, login: str = LOGIN) -> Database:
    """The small demo built for `login` at the clock's time, copied to `path` and opened."""
    built = cache / f"small-{login}-{clock.now():%Y%m%d%H%M}.db"
    if not built.exists():
        building = built.with_suffix(f".{os.getpid()}.building")
        db = open_database(str(building)).db
        build_demo(db, size="small", login=login, progress=None)
        db.dispose()  # checkpoints the WAL: the file alone is the database
        building.rename(built)
    shutil.copy(built, path)
    return open_database(str(path)).db


def demo_db(tmp_path: Path, cache: Path, frozen: datetime, *, login: str = LOGIN) -> DemoDb:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, cache, login=login)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == login)).one()
        case = s.exec(
            select(CaseFile)
            .where(CaseFile.owner_id == me.id, CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
    assert case is not None and case.id is not None and me.id is not None
    env = caseterm_env(login, frozen, tmp_path)
    return DemoDb(db, path, tmp_path, env, login, me.id, case.id, case.reference)


def open_case(term: Terminal, reference: str) -> None:
    """From the queues: `/`, the reference, enter: the case screen."""
    term.wait_for("My work")
    term.keys("/")
    term.wait_for("Reference, name, date of birth")
    term.keys(reference, literal=True)
    term.wait_for("1 match")
    term.keys("Enter")
    term.wait_for(f"Case {reference}")
