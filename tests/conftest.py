"""Shared fixtures: a real database per test (a SQLite file, and a PostgreSQL database when a
server is reachable: see tests/pg.py), a small organisation, actors."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests import shared_sql, unix_group_users, unix_users
from tests.factories import World
from tests.world_cache import WorldCache

os.environ.setdefault("CASETERM_RESIDENT", "off")  # the suite never starts a resident process
shared_sql.install()  # every engine of a backend compiles each statement once (tests/shared_sql.py)

# backend_url (sqlite/postgresql), pg_url, pg_empty_url, markers and the PostgreSQL summary line.
pytest_plugins = ("tests.pg",)

FROZEN = datetime(2026, 11, 23, 10, 30)  # a Monday


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remove the Unix users and groups a killed run left behind (tests/unix_group_users.py,
    tests/unix_users.py)."""
    unix_group_users.sweep()
    if os.geteuid() == 0:
        unix_users.sweep()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's config or database."""
    monkeypatch.setenv("CASETERM_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("CASETERM_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    clock.freeze(FROZEN)
    yield FROZEN
    clock.freeze(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "caseterm.db"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated (and its catalogue seeded) once per test process, to copy from:
    running the migrations costs about 0.65 s of CPU, copying the file about 5 ms."""
    path = tmp_path_factory.mktemp("template") / "caseterm.db"
    open_database(str(path)).db.dispose()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture
def db(backend_url: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """An opened, migrated database: a SQLite file at `db_path` (a copy of the migrated
    template; opening it still runs every check), or a fresh PostgreSQL one."""
    if backend_url.startswith("sqlite"):
        path: Path = request.getfixturevalue("db_path")
        if not path.exists():
            shutil.copy(request.getfixturevalue("sqlite_template"), path)  # keeps its 0600
    database = open_database(backend_url).db
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def world_cache(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> WorldCache:
    return WorldCache(tmp_path_factory.mktemp("worlds"), sqlite_template)


@pytest.fixture
def world(db: Database, world_cache: WorldCache) -> World:
    """`tests.factories.build_world` on `db` (a copy of one built earlier in this process under
    the same clock, where `db` is a SQLite file still as migrated: tests/world_cache.py)."""
    return world_cache.world_on(db)
