"""The resident server's warm engines, one per database its commands used (engine_reuse.py).

`warming(url)` hands the server the engine for `url` (kept, or a new one) to run a command on,
read-only; afterwards its pool is emptied (between commands the server holds no connection) and,
if the run completed, the engine is kept for the children to come: `offer_all` before each fork.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseterm.core.storage import engine_reuse
from caseterm.core.storage.database import make_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_ENGINES = 8  # databases kept warm; the least recently used goes first

_kept: dict[str, Engine] = {}


@dataclass
class Run:
    completed: bool = False  # set by the caller when the command ran to its end


def offer_all() -> None:
    """Hand every warm engine to the next child (each to be taken once, by its URL)."""
    engine_reuse.offer(_kept)


def urls() -> list[str]:
    """The databases with a warm engine, least recently used first."""
    return list(_kept)


def kept(url: str) -> Engine | None:
    return _kept.get(url)


def used(url: str) -> None:
    """A command used `url`: its engine is the last to be dropped."""
    if url in _kept:
        _kept[url] = _kept.pop(url)


def forget_all() -> None:
    for engine in _kept.values():
        engine.dispose()
    _kept.clear()


@contextmanager
def warming(url: str) -> Iterator[Run]:
    """Run a command on the engine for `url`, read-only (engine_reuse.warming): `make_engine`
    hands this engine over for `url`."""
    engine = _kept.pop(url, None) or make_engine(url, check_dir=False)
    engine_reuse.offer({url: engine})
    run = Run()
    try:
        with engine_reuse.warming():
            yield run
    finally:
        engine.dispose()  # no connection is kept between commands
        engine_reuse.offer({})
        engine_reuse.forget_made()
        if run.completed:  # an engine interrupted mid-way is not kept
            _kept[url] = engine
            while len(_kept) > MAX_ENGINES:
                _kept.pop(next(iter(_kept))).dispose()
