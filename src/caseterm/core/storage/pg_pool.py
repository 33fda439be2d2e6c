"""PostgreSQL's connection pool: when to check that a pooled connection still works.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` on every checkout: one more round trip for every
session, i.e. for every key press of a search as you type. A connection used a moment ago is
almost always alive, so here only a connection that has sat unused in the pool for
`PING_AFTER_IDLE_S` is pinged before it is handed out (a server restart or a firewall's idle
timeout happens while nobody uses it), and one older than `RECYCLE_AFTER_S` is replaced.

When the server goes away in the seconds between two uses, the next statement fails as a
disconnection: SQLAlchemy then marks every connection pooled before it as stale (each is
replaced at its next checkout), and the caller tries again as it does for any dropped
connection (the workstation's `tui/dbwork.py` retry; a CLI command is one short process that
connected a moment ago).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

PING_AFTER_IDLE_S = 10.0
RECYCLE_AFTER_S = 1800
_IDLE_SINCE = "caseterm_idle_since"


def engine_options() -> dict[str, Any]:
    """The pool options of a PostgreSQL engine (no pre-ping: see `watch_idle_connections`)."""
    return {"pool_pre_ping": False, "pool_recycle": RECYCLE_AFTER_S}


def watch_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection on checkout only if it has been idle for a while; one that does
    not answer is replaced (the pool tries a fresh connection) before anyone uses it."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # any failure: this connection is not worth keeping
            raise DisconnectionError(f"pooled connection did not answer: {exc}") from exc
