"""PostgreSQL for the test suite (a pytest plugin, loaded by conftest.py).

- `backend_url`: every test that uses it (and so every test using `db` or `world`) runs twice,
  `[sqlite]` and `[postgresql]`; mark a test `@pytest.mark.sqlite_only` when what it tests exists
  only on SQLite (file permissions, WAL, the backup API).
- `pg_url`: a fresh, migrated PostgreSQL database for one test, cloned from a template migrated
  once per test process (on a background thread, ahead of the tests: `Maker`); `pg_empty_url`:
  a fresh database with no schema.
- The server is `$CASETERM_TEST_PG_URL`, else the one `.ci/postgres` sets up. Unreachable: the
  PostgreSQL tests are skipped, with a summary line saying how to run them; with `CI` set, they
  fail instead.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from caseterm.core.config import to_url
from caseterm.core.storage.opening import open_database

ENV = "CASETERM_TEST_PG_URL"
DEFAULT_URL = "postgresql+psycopg://caseterm_test:caseterm_test@127.0.0.1:5432/caseterm_test"
UNREACHABLE = "PostgreSQL not reachable"
HOW_TO_RUN = "`. .ci/postgres` (starts the local PostgreSQL 15, as root) or set " + ENV
BACKENDS = ("sqlite", "postgresql")

_reachability: dict[str, str | None] = {}


def server_url() -> str:
    return os.environ.get(ENV) or DEFAULT_URL


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def libpq(url: str) -> str:
    """A SQLAlchemy URL as a libpq connection string psycopg accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def url_for(database: str) -> str:
    """The server's URL pointed at another database."""
    return make_url(server_url()).set(database=database).render_as_string(hide_password=False)


def unreachable_reason() -> str | None:
    """None when the server answers, else why not (checked once per process)."""
    url = server_url()
    if url not in _reachability:
        try:
            psycopg.connect(libpq(url), connect_timeout=3).close()
            _reachability[url] = None
        except psycopg.Error as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _reachability[url] = (
                f"{UNREACHABLE} at {shown(url)} ({detail}); run `.ci/postgres` or set {ENV}"
            )
    return _reachability[url]


def require_postgres() -> None:
    """Skip the test when there is no server, or fail it when running under CI."""
    reason = unreachable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def admin(sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE, roles)."""
    with psycopg.connect(libpq(server_url()), autocommit=True) as conn:
        conn.execute(sql.encode())


def create_database(*, template: str | None = None) -> str:
    """A new database, empty or a copy of `template`. A copy is made file by file (FILE_COPY):
    PostgreSQL 15's default copies the template's pages through the WAL, which costs the
    server about twice the CPU for a database this small (0.08 s against 0.045 s, measured)."""
    name = f"caseterm_test_{secrets.token_hex(6)}"
    clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    admin(f'CREATE DATABASE "{name}"{clause}')
    return name


def drop_database(name: str) -> None:
    # FORCE: a subprocess or an undisposed engine must not keep the database alive.
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Dropper:
    """Drops finished tests' databases on a background thread: on PostgreSQL 15 each DROP
    DATABASE waits for a checkpoint (about 0.3 s here), which the next test need not wait for."""

    def __init__(self) -> None:
        self._names: queue.Queue[str | None] = queue.Queue(maxsize=4)
        self._errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="pg-dropper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (name := self._names.get()) is not None:
            try:
                drop_database(name)
            except psycopg.Error as exc:
                self._errors.append(f"{name}: {exc}")

    def drop_later(self, name: str) -> None:
        self._names.put(name)

    def finish(self) -> None:
        self._names.put(None)
        self._thread.join()
        if self._errors:
            raise RuntimeError("could not drop test databases: " + "; ".join(self._errors))


class Maker:
    """Clones the migrated template on a background thread, a couple of databases ahead of the
    tests that take them: a CREATE DATABASE waits on the server's disk and checkpoints for
    0.2-2 s (more the busier the machine), which a test need not wait for."""

    AHEAD = 2

    def __init__(self, template: str) -> None:
        self._template = template
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=self.AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-maker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                made: str | BaseException = create_database(template=self._template)
            except psycopg.Error as exc:
                made = exc
            while not self._stop.is_set():
                try:
                    self._ready.put(made, timeout=0.5)
                    break
                except queue.Full:
                    continue
            else:
                if isinstance(made, str):
                    drop_database(made)

    def take(self) -> str:
        """A fresh database's name (raising what the server said if it could not be made)."""
        made = self._ready.get()
        if isinstance(made, BaseException):
            raise made
        return made

    def finish(self) -> None:
        self._stop.set()
        self._thread.join()
        while not self._ready.empty():
            made = self._ready.get_nowait()
            if isinstance(made, str):
                drop_database(made)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Dropper]:
    """A reachable PostgreSQL server (else skip, or fail under CI) and its database dropper."""
    require_postgres()
    dropper = Dropper()
    yield dropper
    dropper.finish()


@pytest.fixture(scope="session")
def pg_template(pg_server: Dropper) -> Iterator[str]:
    """A database migrated (and its catalogue seeded) once per test process, to clone from."""
    name = f"caseterm_template_{os.getpid()}"
    drop_database(name)  # left behind by a killed run that had the same pid
    admin(f'CREATE DATABASE "{name}"')
    open_database(url_for(name)).db.dispose()
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def pg_maker(pg_template: str) -> Iterator[Maker]:
    """Fresh clones of the template, made ahead (after `pg_template`, so finished before it is
    dropped)."""
    maker = Maker(pg_template)
    yield maker
    maker.finish()


@pytest.fixture
def pg_url(pg_server: Dropper, pg_maker: Maker) -> Iterator[str]:
    """A fresh PostgreSQL database with the current schema and catalogue, dropped afterwards."""
    name = pg_maker.take()
    yield url_for(name)
    pg_server.drop_later(name)


@pytest.fixture
def pg_empty_url(pg_server: Dropper) -> Iterator[str]:
    """A fresh PostgreSQL database with no schema at all, dropped afterwards."""
    name = create_database()
    yield url_for(name)
    pg_server.drop_later(name)


@pytest.fixture
def backend_url(request: pytest.FixtureRequest) -> str:
    """The database URL for this run of the test: a SQLite file (`db_path`) or `pg_url`."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return to_url(str(request.getfixturevalue("db_path")))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about SQLite itself; run it on SQLite only"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend_url" not in metafunc.fixturenames:
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("backend_url", ["sqlite"] if only_sqlite else BACKENDS, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the server `postgres` (so `-m "not postgres"` leaves them out)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend_url") == "postgresql"
        if on_pg or "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if UNREACHABLE in str(r.longrepr)
    ]
    ran = [
        r
        for key in ("passed", "failed")
        for r in terminalreporter.stats.get(key, [])
        if getattr(r, "when", "") == "call" and "postgres" in getattr(r, "keywords", {})
    ]
    if skipped:
        terminalreporter.write_sep("=", "PostgreSQL tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} PostgreSQL tests were SKIPPED: {UNREACHABLE} at {shown(server_url())}."
        )
        terminalreporter.write_line(f"To run them: {HOW_TO_RUN}, then run the tests again.")
    elif ran:
        terminalreporter.write_line(
            f"PostgreSQL: {len(ran)} tests ran against {shown(server_url())}."
        )
