"""Many people starting caseterm at the same moment: 16 real processes open a database that does
not exist yet, or one that needs a schema upgrade, and every one of them succeeds. One process
creates or upgrades it under the set-up lock; the others wait, look again and use the result.

Each child imports caseterm first and then waits on its stdin, so all 16 open the database
together however slowly the machine starts Python."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command

from caseterm.core import clock
from caseterm.core.storage import migrate
from caseterm.core.storage.backup import backup_before_upgrade, take_backup
from caseterm.core.storage.database import APPLICATION_ID, Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.setup_lock import lock_path
from tests.cli import ROOT
from tests.conftest import FROZEN

pytestmark = pytest.mark.sqlite_only

PROCESSES = 16

OPENER = """
import sys
from caseterm.core.storage.opening import open_database
print("ready", flush=True)
sys.stdin.readline()
opened = open_database(sys.argv[1])
print("backup" if opened.backup else "opened", flush=True)
opened.db.dispose()
"""


@dataclass
class Storm:
    codes: list[int]
    outs: list[str]
    errs: list[str]
    seconds: float  # from "go" until the last process ended


def _storm(db_path: Path | str, tmp_path: Path, processes: int = PROCESSES) -> Storm:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")},
        "PYTHONPATH": str(ROOT / "src"),
        "CASETERM_CONFIG": str(tmp_path / "no-config.toml"),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(processes)
    ]
    try:
        for proc in procs:  # every child has imported caseterm and waits
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [proc.communicate(timeout=600) for proc in procs]
        seconds = time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return Storm(
        [p.returncode for p in procs], [o for o, _ in results], [e for _, e in results], seconds
    )


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
    storm = _storm(path, tmp_path)
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

    storm = _storm(path, tmp_path)
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
    storm = _storm(pg_empty_url, tmp_path, processes=8)
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
