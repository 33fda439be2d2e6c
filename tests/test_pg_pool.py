"""PostgreSQL's pool checks a connection only after it has sat idle (core/storage/pg_pool.py):
one idle past the limit whose server process is gone is replaced before anyone uses it; one
used a moment ago is handed out unchecked (no round trip), and if it was dropped meanwhile the
first statement fails as a disconnection, after which the pool gives fresh connections."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from caseterm.core.storage import pg_pool
from caseterm.core.storage.database import Database


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    yield db
    db.dispose()


def _backend_pid(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(url: str, pid: int) -> None:
    other = create_engine(url)
    try:
        with other.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
            for _ in range(200):  # the server ends it asynchronously
                gone = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": pid}
                ).scalar_one()
                if not gone:
                    break
                conn.execute(text("SELECT pg_sleep(0.01)"))
    finally:
        other.dispose()


def test_an_idle_connection_whose_server_process_is_gone_is_replaced(
    pg_url: str, pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend_pid(pg_db)
    _terminate(pg_url, first)
    monkeypatch.setattr(pg_pool, "PING_AFTER_IDLE_S", 0.0)  # it has been idle "long enough"
    second = _backend_pid(pg_db)  # no error: the ping found it dead and the pool reconnected
    assert second != first


def test_a_connection_used_a_moment_ago_is_not_pinged(
    pg_url: str, pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend_pid(pg_db)
    _terminate(pg_url, first)
    monkeypatch.setattr(pg_pool, "PING_AFTER_IDLE_S", 3600.0)
    with pytest.raises(DBAPIError) as dropped:
        _backend_pid(pg_db)  # handed out unchecked: the statement meets the dropped connection
    assert dropped.value.connection_invalidated  # a disconnection, which callers try again
    assert _backend_pid(pg_db) != first  # and the next session has a fresh connection


def test_the_pool_does_not_ping_on_every_checkout(pg_db: Database) -> None:
    assert pg_db.engine.pool._pre_ping is False
    assert pg_db.engine.pool._recycle == pg_pool.RECYCLE_AFTER_S
