"""The demo's rows made in a forked process (demo/forked.py, how the large demos are built) are
the rows of a build in one process, byte for byte; a failure there leaves nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseterm.core import clock
from caseterm.core.demo import activity, build_demo
from caseterm.core.models import CaseFile, Person, metadata
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.conftest import FROZEN

pytestmark = pytest.mark.sqlite_only


def _digest(db: Database) -> str:
    """Every row of every table, in rowid order."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for name in sorted(metadata.tables):
            if name.endswith("_fts") or name == "alembic_version":
                continue
            cols = ", ".join(f'"{c.name}"' for c in metadata.tables[name].c)
            rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{name}" ORDER BY rowid').all()
            digest.update(f"{name}:{rows!r}".encode())
    return digest.hexdigest()


def _built(path: Path, *, parallel: bool) -> Database:
    db = open_database(str(path)).db
    clock.freeze(FROZEN)
    try:
        summary = build_demo(db, login="demo.user", parallel=parallel)
    finally:
        clock.freeze(None)
    assert summary.counts["contact_entry"] > 3000
    return db


def test_rows_made_in_a_forked_process_are_the_same(tmp_path: Path) -> None:
    here, forked = (
        _built(tmp_path / "here.db", parallel=False),
        _built(tmp_path / "forked.db", parallel=True),
    )
    try:
        assert _digest(forked) == _digest(here)
    finally:
        here.dispose()
        forked.dispose()


def test_a_failure_in_the_forked_process_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: object) -> None:
        raise KeyError("no such clerk")

    monkeypatch.setattr(activity, "build_history", broken)
    db = open_database(str(tmp_path / "broken.db")).db
    try:
        with pytest.raises(RuntimeError, match="the demo's row maker failed: KeyError"):
            build_demo(db, login="demo.user", parallel=True)
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(Person)).scalar() == 0
            assert s.execute(select(func.count()).select_from(CaseFile)).scalar() == 0
    finally:
        db.dispose()
