"""The demo build writes its pages once: a rollback journal while it builds (not WAL, where each
page is written to the -wal file and again by the checkpoint), WAL again afterwards; and where
another connection has the database open, it builds in WAL as before, without waiting."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.demo import build_demo
from caseterm.core.demo.build import _rollback_journal
from caseterm.core.storage.opening import open_database
from tests.conftest import FROZEN

pytestmark = pytest.mark.sqlite_only


def _header_says_wal(path: Path) -> bool:
    """Bytes 18 and 19 of a SQLite file are 2 in WAL mode, 1 with a rollback journal."""
    with path.open("rb") as f:
        head = f.read(20)
    return head[18] == 2 and head[19] == 2


def test_builds_with_a_rollback_journal_and_leaves_wal(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_database(str(path)).db
    assert _header_says_wal(path)
    seen: list[tuple[str, bool, bool]] = []

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "cases":  # in the middle of the build's one transaction
            wal = Path(f"{path}-wal")
            seen.append((phase, _header_says_wal(path), wal.exists()))

    clock.freeze(FROZEN)
    try:
        summary = build_demo(db, login="demo.user", progress=progress)
    finally:
        clock.freeze(None)
        db.dispose()
    assert summary.counts["case_file"] > 0
    assert seen and set(seen) == {("cases", False, False)}  # no -wal file while it builds
    assert _header_says_wal(path)
    assert not Path(f"{path}-journal").exists()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        cases = con.execute("SELECT count(*) FROM case_file").fetchone()[0]
    assert cases == summary.counts["case_file"]


def test_another_connection_open_keeps_wal_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    db = open_database(str(path)).db
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM case_file").fetchone()  # holds the WAL open
    try:
        with db.engine.connect() as conn:
            started = time.monotonic()
            assert _rollback_journal(conn) is None
            # The busy timeout is 30 s: refused at once, not after waiting for it.
            assert time.monotonic() - started < 5
            raw = conn.connection.dbapi_connection
            assert raw is not None
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
        clock.freeze(FROZEN)
        try:
            summary = build_demo(db, login="demo.user")
        finally:
            clock.freeze(None)
        assert (
            summary.counts["case_file"]
            == other.execute("SELECT count(*) FROM case_file").fetchone()[0]
        )
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()
        db.dispose()
