"""tests/shared_sql.py: engines share a dialect only once it has been set up by a connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests import shared_sql


def test_an_engine_never_connected_does_not_leave_its_dialect_to_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_sql, "_shared", {})  # as in a test process's first engine
    never = Database(f"sqlite:///{tmp_path / 'never.db'}")  # made, refused, never connected
    first = open_database(str(tmp_path / "a.db")).db  # migrations read the tables back
    second = open_database(str(tmp_path / "b.db")).db
    try:
        assert first.engine.dialect.server_version_info is not None
        assert second.engine.dialect is first.engine.dialect  # shared once it was set up
    finally:
        for db in (never, first, second):
            db.dispose()
