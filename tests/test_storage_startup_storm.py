"""Many people starting caseterm at the same moment: 16 real processes open a database that does
not exist yet, or one that needs a schema upgrade, and every one of them succeeds. One process
creates or upgrades it under the set-up lock; the others wait, look again and use the result.

Each process is forked from a server that imported caseterm once (tests/processes.py) and waits
at a barrier, so all 16 open the database together however slowly the machine starts them."""

from __future__ import annotations

import sqlite3
import stat
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from caseterm.core import clock
from caseterm.core.storage import migrate
from caseterm.core.storage.backup import backup_before_upgrade, take_backup
from caseterm.core.storage.database import APPLICATION_ID, Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.setup_lock import lock_path
from tests.conftest import FROZEN
from tests.processes import run_together

pytestmark = pytest.mark.sqlite_only

PROCESSES = 16


def opener(target: str, barrier: Any, results: Any) -> None:
    """One person starting caseterm: caseterm imported (by the fork server), then, with the
    others at once, the database opened as the command and the workstation open it."""
    barrier.wait(timeout=120)
    try:
        opened = open_database(target)
    except BaseException:  # any failure is the test's finding: report it whole, exit non-zero
        results.put({"out": "", "err": traceback.format_exc()})
        raise SystemExit(1) from None
    results.put({"out": "backup" if opened.backup else "opened", "err": ""})
    opened.db.dispose()


@dataclass
class Storm:
    codes: list[int | None]
    outs: list[str]
    errs: list[str]
    seconds: float  # from "go" until the last process ended


def _storm(db_path: Path | str, processes: int = PROCESSES) -> Storm:
    """`processes` real processes, started from a fork server that imported caseterm once
    (tests/processes.py), open `db_path` together."""
    started = time.perf_counter()
    reports, codes = run_together(__name__, opener, [(str(db_path),)] * processes, timeout=600)
    seconds = time.perf_counter() - started
    return Storm(codes, [r["out"] for r in reports], [r["err"] for r in reports], seconds)


def _report(what: str, storm: Storm) -> None:
    sys.stderr.write(f"\n{what}: {len(storm.codes)} processes in {storm.seconds:.2f} s\n")


def _pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        conn.close()


def test_sixteen_processes_create_a_missing_database_together(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    storm = _storm(path)
    _report("create", storm)
    assert storm.codes == [0] * PROCESSES, "\n".join(e for e in storm.errs if e)
    assert all(out.strip() == "opened" for out in storm.outs)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _pragma(path, "application_id") == APPLICATION_ID
    conn = sqlite3.connect(path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        codes = [r[0] for r in conn.execute("SELECT code FROM case_type")]
    finally:
        conn.close()
    assert revision == [(migrate.head_revision(),)]
    assert codes and len(codes) == len(set(codes)), "the catalogue was seeded once"
    assert not lock_path(path).exists()


def test_sixteen_processes_start_together_after_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(
            "INSERT INTO office (code, name, address) VALUES ('PRE', 'Preston', '')"
        )
    old.dispose()
    path.chmod(0o600)

    storm = _storm(path)
    _report("upgrade", storm)
    assert storm.codes == [0] * PROCESSES, "\n".join(e for e in storm.errs if e)
    assert sorted(out.strip() for out in storm.outs) == ["backup"] + ["opened"] * (PROCESSES - 1)
    backups = sorted(tmp_path.glob("old.db.pre-upgrade-*.bak"))
    assert len(backups) == 1, "one process took the backup and upgraded"
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM office").fetchall() == [("Preston",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migrate.head_revision(),
        )
    assert _pragma(path, "application_id") == APPLICATION_ID
    assert not lock_path(path).exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@pytest.mark.postgres
def test_processes_create_an_empty_postgresql_database_together(
    pg_empty_url: str, tmp_path: Path
) -> None:
    """On PostgreSQL the set-up lock is an advisory lock: 8 processes (fewer than the server's
    connection slots) find the database empty at once, one creates the schema."""
    storm = _storm(pg_empty_url, processes=8)
    _report("create (PostgreSQL)", storm)
    assert storm.codes == [0] * 8, "\n".join(e for e in storm.errs if e)
    db = Database(pg_empty_url)
    try:
        assert migrate.schema_state(db) == "current"
        with db.engine.connect() as conn:
            codes = [r[0] for r in conn.exec_driver_sql("SELECT code FROM case_type")]
    finally:
        db.dispose()
    assert codes and len(codes) == len(set(codes)), "the catalogue was seeded once"


def test_backup_names_are_unique_within_one_second(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "c.db")).db
    clock.freeze(FROZEN)
    try:
        made = [take_backup(db, tmp_path).path for _ in range(3)]
        before = [backup_before_upgrade(tmp_path / "c.db") for _ in range(2)]
    finally:
        clock.freeze(None)
        db.dispose()
    stamp = FROZEN.strftime("%Y%m%d-%H%M%S")
    assert [p.name for p in made] == [
        f"c-backup-{stamp}.db",
        f"c-backup-{stamp}-2.db",
        f"c-backup-{stamp}-3.db",
    ]
    assert [p.name for p in before] == [
        f"c.db.pre-upgrade-{stamp}.bak",
        f"c.db.pre-upgrade-{stamp}-2.bak",
    ]
