"""One dialect, and so one cache of compiled SQL, per backend for every engine a test process
makes.

SQLAlchemy compiles a statement once per engine: its cache of compiled SQL is the engine's own and
keyed by the engine's dialect object. caseterm opens one database per process (the workstation,
each CLI command; the resident server hands whole engines to its children), but a test process
opens a new database for nearly every test, and in-process CLI tests a new engine for every
command, so each compiled every statement again: about a sixth of the suite's CPU. Here every
engine of one backend and driver made in this process takes the first one's dialect and cache.
The SQL run is the same; only the compiling is shared. Dialect state is the same for every
database of one backend here (one SQLite library, one PostgreSQL server).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import create_engine

import caseterm.core.storage.database as database

_shared: dict[tuple[str, str], tuple[Any, Any]] = {}


def _create_engine(url: Any, **options: Any) -> Any:
    engine = create_engine(url, **options)
    key = (engine.dialect.name, engine.dialect.driver)
    shared = _shared.get(key)
    if shared is None or shared[0].server_version_info is None:
        # A dialect is set up (the server's version, what it supports) by its own engine's
        # first connection only: until the one kept here has been, this engine keeps its own
        # and is kept in its place (an engine made and never connected, as a refused command
        # makes, must not leave every later engine with a dialect that was never set up).
        _shared[key] = (engine.dialect, engine._compiled_cache)
        return engine
    dialect, cache = shared
    engine.dialect = engine.pool._dialect = dialect
    engine._compiled_cache = cache
    return engine


def install() -> None:
    vars(database)["create_engine"] = _create_engine  # what database.make_engine calls
