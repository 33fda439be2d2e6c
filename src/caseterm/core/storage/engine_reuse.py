"""Engines made before a fork, their SQL already compiled (the resident CLI process, issue 16).

SQLAlchemy keeps the SQL it compiled for a statement in a cache of the engine's own (keyed by the
engine's dialect), so a new engine compiles every statement afresh: about half of a short
command's CPU when it runs in a child forked by the resident server. The server therefore keeps
one engine per database its commands used, with no connection in its pool (a pool with no
connections is safe to inherit across a fork: the child opens its own), and `offer`s them before
each fork; `make_engine` in the child `take`s the engine for its URL once instead of making one.

The server fills an engine's cache by running a read command again itself while `warming()`:
connections opened then are read-only (SQLite `PRAGMA query_only`, PostgreSQL read-only
transactions) and take no write lock, and opening the database neither creates nor upgrades it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_offered: dict[str, Engine] = {}
_made: list[str] = []
_taken: list[str] = []
_warming = False


def offer(engines: Mapping[str, Engine]) -> None:
    """The engines `make_engine` hands out (each once) in this process from now on."""
    _offered.clear()
    _offered.update(engines)


def take(url: str) -> Engine | None:
    """The engine offered for `url`, once; None if there is none."""
    engine = _offered.pop(url, None)
    if engine is not None:
        _taken.append(url)
    return engine


def note_made(url: str) -> None:
    """Remember that this process asked for an engine for `url` (the child tells the server)."""
    if url not in _made:
        _made.append(url)


def made() -> list[str]:
    """The URLs this process asked for engines for, in order."""
    return list(_made)


def taken() -> list[str]:
    """The URLs whose offered engine this process took."""
    return list(_taken)


def forget_made() -> None:
    _made.clear()
    _taken.clear()


def read_only() -> bool:
    """True while the server warms an engine: open read-only, write nothing, lock nothing."""
    return _warming


@contextmanager
def warming() -> Iterator[None]:
    global _warming
    _warming = True
    try:
        yield
    finally:
        _warming = False
