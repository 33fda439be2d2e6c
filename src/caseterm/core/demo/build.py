"""Building the demo: one transaction on one connection, in phases reported to `progress`.
Refuses a database that already has cases; the caller's login is enrolled with a caseload. The
database is marked as a demo inside itself (`database_info`), the only kind of database on which
`CASETERM_USER` is honoured for anyone but root."""

from __future__ import annotations

import contextlib
import getpass
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, text

from caseterm.core import clock
from caseterm.core.demo import activity, bank, cases, clocks, forked, letters, org, people, work
from caseterm.core.demo.check_rates import sampling_rates
from caseterm.core.demo.context import SIZES, Ctx
from caseterm.core.demo.writer import TABLE_ORDER, BulkWriter
from caseterm.core.errors import ValidationError
from caseterm.core.models import metadata
from caseterm.core.services.identity import os_login, real_login
from caseterm.core.storage.database import Database

Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    size: str
    seed: int
    login: str
    counts: dict[str, int] = field(default_factory=dict)  # rows written per table
    seconds: float = 0.0


def build_demo(
    db: Database,
    *,
    size: str = "small",
    seed: int = 20261122,
    login: str | None = None,
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> DemoSummary:
    """Fill an empty caseterm database with a realistic organisation, people, cases and their
    history, the same every time for the same seed and day. `login` (default: the OS login)
    is enrolled as caseworker and administrator (and system administrator when nobody is
    enrolled yet) with a caseload. Refuses a database that already has cases. `parallel`:
    make the rows in a forked process while this one writes them (demo/forked.py; the same
    rows); by default for builds of PARALLEL_FROM people or more, where the system can fork."""
    if size not in SIZES:
        raise ValidationError("size", f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    login = login or os_login()
    report: Progress = progress or (lambda phase, done, total: None)
    started = time.perf_counter()
    engine = db.engine.execution_options(sqlite_begin="IMMEDIATE") if db.is_sqlite else db.engine
    with engine.connect() as conn:
        saved = _pragmas(conn, BULK_PRAGMAS) if db.is_sqlite else {}
        journal = _rollback_journal(conn) if db.is_sqlite else None
        try:
            with conn.begin():
                summary = _build(conn, db.is_sqlite, size, seed, login, report, parallel)
        finally:
            if journal is not None:
                _back_to(conn, journal)
            if saved:
                _pragmas(conn, saved)
    summary.seconds = round(time.perf_counter() - started, 2)
    report("done", 1, 1)
    return summary


def _build(
    conn: Connection,
    is_sqlite: bool,
    size: str,
    seed: int,
    login: str,
    report: Progress,
    parallel: bool | None,
) -> DemoSummary:
    case_t, staff_t, type_t = (metadata.tables[n] for n in ("case_file", "staff", "case_type"))
    existing = int(conn.execute(select(func.count()).select_from(case_t)).scalar() or 0)
    if existing:
        raise ValidationError(
            "database", f"already has {existing} cases; build the demo into a new database"
        )
    first = not conn.execute(select(func.count()).select_from(staff_t)).scalar()
    spec = SIZES[size]
    writer = BulkWriter(conn, batch=spec.batch)
    ctx = Ctx(random.Random(seed), writer, spec, clock.now(), getpass.getuser(), progress=report)
    ctx.case_types = {
        r.code: (r.id, r.ref_prefix) for r in conn.execute(select(type_t)) if r.active
    }
    if not ctx.case_types:
        raise ValidationError(
            "case_type", "the catalogue is empty; open the database with caseterm first"
        )
    if parallel is None:
        parallel = spec.people >= PARALLEL_FROM and forked.can_fork()
    # In a forked build the writing process has time to spare while the rows are made: it
    # keeps the indexes up to date as it inserts, instead of building them after the last row
    # with both processes' work done. Past KEEP_INDEXES_UP_TO people they outgrow the cache.
    keep = parallel and spec.people <= KEEP_INDEXES_UP_TO
    indexes = _drop_indexes(conn, keep_indexes=keep) if is_sqlite else []

    report("organisation", 0, 1)
    org.build_offices(ctx)
    org.build_staff(ctx, login, first)
    letters.write_templates(ctx)
    writer.flush()

    report("people", 0, spec.people)
    people.plan_people(ctx)
    cases.plan_cases(ctx)
    counters_before = cases.read_counters(ctx)
    if parallel:
        forked.run_forked(writer, lambda progress: _make_rows(ctx, progress, size, seed), report)
    else:
        _make_rows(ctx, report, size, seed)
    cases.write_counters(ctx, counters_before)
    mark_demo(conn, at=ctx.now)

    report("search index", 0, 1)
    if is_sqlite:
        for sql in indexes:
            conn.exec_driver_sql(sql)
        has_fts = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_name_fts'"
        ).first()
        if has_fts:
            conn.exec_driver_sql("INSERT INTO person_name_fts(person_name_fts) VALUES('rebuild')")
    else:
        _reset_sequences(conn)
    counts = {name: writer.counts[name] for name in TABLE_ORDER if writer.counts[name]}
    return DemoSummary(size=size, seed=seed, login=login, counts=counts)


# Builds of this many people or more make their rows in a forked process (demo/forked.py);
# up to KEEP_INDEXES_UP_TO people its writer keeps the indexes as it goes (see `_build`).
PARALLEL_FROM = 20_000
KEEP_INDEXES_UP_TO = 200_000


def _make_rows(ctx: Ctx, report: Progress, size: str, seed: int) -> None:
    """Everything after the plan: rows only, through `ctx.w` (which, in a forked build, sends
    them to the process that writes; nothing here may read or write the database itself)."""
    ctx.progress = report
    writer, spec = ctx.w, ctx.size
    people.write_people(ctx)
    writer.flush()

    report("cases", 0, spec.cases)
    cases.write_cases(ctx)
    writer.flush()

    activity.build_history(ctx)
    report("work", 0, 1)
    work.incoming(ctx)
    work.office_duty(ctx)
    work.my_work(ctx)
    clocks.build_clocks(ctx)  # casework events and statutory clocks
    bank.bank_statement(ctx)  # this morning's bank statement: lines in suspense, an overpayment
    sampling_rates(ctx)  # the small demo's sampling rates for checks
    ctx.audit(
        ctx.now, ctx.me.id, "demo.build", "database", None, f"demo data built ({size}, seed {seed})"
    )
    writer.flush()


def mark_demo(conn: Connection, *, at: datetime | None = None) -> None:
    """Mark the database as a demo (in the caller's transaction): from then on anyone may act as
    any member of staff in it with `CASETERM_USER`. Only for databases of made-up people."""
    info = metadata.tables["database_info"]
    conn.execute(delete(info))
    conn.execute(
        insert(info).values(id=1, demo=True, marked_at=at or clock.now(), marked_by=real_login())
    )


def mark_demo_database(db: Database) -> None:
    """`mark_demo` in a transaction of its own (test set-ups that build their own made-up data)."""
    with db.engine.begin() as conn:
        mark_demo(conn)


def _drop_indexes(conn: Connection, *, keep_indexes: bool = False) -> list[str]:
    """SQLite: drop the secondary indexes of the tables the demo fills (unless `keep_indexes`)
    and the trigger that feeds the name search index, returning the statements that make them
    again. Building an index once over sorted rows costs half what keeping it up to date row by
    row does; all of this is inside the build's transaction, so a failed build leaves the schema
    as it was."""
    names = ", ".join(f"'{name}'" for name in TABLE_ORDER)
    indexes = "" if keep_indexes else f"(type = 'index' AND tbl_name IN ({names})) OR "
    found = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        f"{indexes}(type = 'trigger' AND name = 'person_name_ai')) ORDER BY type, name"
    ).all()
    for kind, name, _ in found:
        conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    return [sql for _, _, sql in found]


# For the build connection only: no fsync per commit (one commit anyway), a big page cache,
# and index sorts in memory. The connection's own values are put back afterwards.
BULK_PRAGMAS = {"synchronous": "OFF", "cache_size": "-524288", "temp_store": "MEMORY"}


def _pragmas(conn: Connection, values: dict[str, str]) -> dict[str, str]:
    """Set SQLite pragmas on this connection (outside any transaction); returns the old values."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    old = {name: str(cur.execute(f"PRAGMA {name}").fetchone()[0]) for name in values}
    for name, value in values.items():
        cur.execute(f"PRAGMA {name} = {value}")
    cur.close()
    return old


def _rollback_journal(conn: Connection) -> str | None:
    """SQLite: build with a rollback journal instead of WAL, returning the mode to go back to
    (None when nothing changed). In WAL every page the demo writes goes to the -wal file first
    and is copied into the database by the checkpoint after the commit: written twice (~700 MB
    each for the large demo). A rollback journal keeps a copy only of pages that existed before
    the build and are changed by it; the new pages past the old end of the file need none. The
    switch needs the database to itself: where another connection has it open, SQLite says it
    is locked (at once: no busy wait for this), and the build goes on in WAL as before. With
    `synchronous = OFF` (BULK_PRAGMAS) a power cut during the build can damage the file where WAL
    would have kept the old pages: the demo is built only into a database holding no staff,
    people or cases (demo_cmd refuses others), so what is at risk is an empty schema, made again
    by `caseterm demo --force`."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        mode = str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode != "wal":
            return None
        timeout = int(cur.execute("PRAGMA busy_timeout").fetchone()[0])
        cur.execute("PRAGMA busy_timeout = 0")
        try:
            now = str(cur.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
        except sqlite3.OperationalError:
            return None
        finally:
            cur.execute(f"PRAGMA busy_timeout = {timeout}")
        return mode if now != mode else None
    finally:
        cur.close()


def _back_to(conn: Connection, mode: str) -> None:
    """Put the journal mode back after the build (outside its transaction). Should another
    connection hold the database then, the next caseterm connection sets WAL itself
    (storage/database.py sets it on every connection), so a successful build still stands."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with contextlib.suppress(sqlite3.OperationalError):
        raw.execute(f"PRAGMA journal_mode = {mode}").fetchone()


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids the demo chose itself."""
    for name in TABLE_ORDER:
        if "id" not in metadata.tables[name].c:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )
