"""Copying a whole caseterm database to another (typically a team's SQLite file to PostgreSQL).

The source is only read: a SQLite file is opened read-only (`mode=ro`), a PostgreSQL source in a
read-only repeatable-read transaction, so the copy is one consistent snapshot even while staff
keep working. The target must be empty; its schema is created by the same migrations, then every
table is copied in foreign-key order in batches inside one transaction (a failure leaves the
target's tables empty), PostgreSQL sequences are moved past the copied ids, and the row counts
of every table are compared before committing; then PostgreSQL's statistics are gathered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, create_engine, func, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from caseterm.core.errors import DatabaseError
from caseterm.core.models import load_all
from caseterm.core.private_files import new_database_file, remove_quietly
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database, check_reachable, shown_url, sqlite_path

metadata = load_all()  # every table (the models package loads a table when first asked for)

BATCH_ROWS = 1000

Progress = Callable[[str, int, int], None]
"""Called as progress(table, rows_copied_so_far, rows_in_table) after each batch."""


def copy_database(src_url: str, dst_url: str, progress: Progress | None = None) -> dict[str, int]:
    """Copy every caseterm table from `src_url` to the empty database at `dst_url`; returns the
    row count of each table (checked equal on both sides). Never writes to the source."""
    if _same_database(src_url, dst_url):
        raise DatabaseError("source and target are the same database")
    source = _source_engine(src_url)
    created: Path | None = None
    try:
        _check_source(src_url, source)
        created = _new_sqlite_target(dst_url)
        target = Database(dst_url)
        try:
            check_reachable(target)
            _prepare_target(target)
            with _snapshot(source) as src, target.engine.begin() as dst:
                counts = {t.name: _count(src, t) for t in metadata.sorted_tables}
                for table in metadata.sorted_tables:
                    _copy_table(src, dst, table, counts[table.name], progress)
                if dst.dialect.name == "postgresql":
                    _reset_sequences(dst)
                _check_counts(dst, counts)
            if target.engine.dialect.name == "postgresql":
                _analyze(target)
            created = None  # kept
            return counts
        finally:
            target.dispose()
    finally:
        source.dispose()
        if created is not None:
            remove_quietly(created)  # a SQLite target this copy made, and it failed


def _new_sqlite_target(url: str) -> Path | None:
    """A SQLite target that does not exist yet is created private (0600, or 0660 in a shared
    group directory) before SQLite writes a byte of it; returns it, to remove on failure."""
    path = sqlite_path(url)
    if path is None or path.exists():
        return None
    if not path.parent.is_dir():
        raise DatabaseError(f"directory {path.parent} does not exist")
    try:
        new_database_file(path)
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def _same_database(a: str, b: str) -> bool:
    pa, pb = sqlite_path(a), sqlite_path(b)
    if pa is not None and pb is not None:
        return pa.resolve() == pb.resolve()
    return make_url(a) == make_url(b)


def _source_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is None:
        return create_engine(url)
    if not path.is_file():
        raise DatabaseError(f"no database at {path}")
    uri = path.resolve().as_uri() + "?mode=ro"

    def connect() -> sqlite3.Connection:
        # Read-only by construction; isolation_level=None lets us BEGIN the snapshot ourselves.
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)

    return create_engine("sqlite://", creator=connect)


def _check_source(url: str, engine: Engine) -> None:
    state = migrate.schema_state(Database(url, engine=engine))
    if state == "empty":
        raise DatabaseError(f"{shown_url(url)} has no caseterm data to copy")
    if state == "old":
        raise DatabaseError(
            f"{shown_url(url)} has an older schema; upgrade it first "
            f"(caseterm --db {shown_url(url)} db upgrade)"
        )
    if state == "newer":
        raise DatabaseError(
            f"{shown_url(url)} has a schema newer than this caseterm; upgrade caseterm first"
        )


def _prepare_target(target: Database) -> None:
    state = migrate.schema_state(target)
    if state == "empty":
        migrate.upgrade(target, backup=False)
        return
    if state != "current":
        raise DatabaseError(
            f"{target.url} already holds a caseterm database ({state} schema); "
            "copy into an empty database"
        )
    with target.engine.connect() as conn:
        filled = [t.name for t in metadata.sorted_tables if _count(conn, t)]
    if filled:
        raise DatabaseError(
            f"{target.url} is not empty (rows in {', '.join(filled[:5])}"
            f"{'…' if len(filled) > 5 else ''}); copy into an empty database"
        )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only, consistent view of the source for the whole copy."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # a WAL read snapshot, held until the end
        elif conn.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        try:
            yield conn
        finally:
            conn.rollback()


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _copy_table(
    src: Connection, dst: Connection, table: Table, total: int, progress: Progress | None
) -> None:
    # A row may point at a later row of its own table (an appointment at its rescheduled one):
    # insert such columns empty, then fill them once every row is there.
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    pk = [c.name for c in table.primary_key.columns]
    later: list[dict[str, Any]] = []
    done = 0
    result = src.execute(
        select(table).order_by(*table.primary_key.columns),
        execution_options={"yield_per": BATCH_ROWS},  # streamed, never the whole table at once
    ).mappings()
    try:
        with _inserter(dst, table) as put:
            for batch in result.partitions(BATCH_ROWS):
                rows = [dict(r) for r in batch]
                for row in rows:
                    for name in self_refs:
                        if row[name] is not None:
                            later.append({"_pk": row[pk[0]], "_col": name, "_val": row[name]})
                            row[name] = None
                put(rows)
                done += len(rows)
                if progress is not None:
                    progress(table.name, done, total)
        for name in self_refs:
            values = [
                {"_pk": item["_pk"], "_val": item["_val"]} for item in later if item["_col"] == name
            ]
            if values:
                dst.execute(
                    table.update()
                    .where(table.c[pk[0]] == bindparam("_pk"))
                    .values({name: bindparam("_val")}),
                    values,
                )
    except DBAPIError as exc:
        raise DatabaseError(f"copying table {table.name} failed: {exc.orig}") from exc
    if progress is not None and total == 0:
        progress(table.name, 0, 0)


@contextmanager
def _inserter(dst: Connection, table: Table) -> Iterator[Callable[[list[dict[str, Any]]], None]]:
    """How a batch of rows goes into the target: PostgreSQL's COPY, streamed for the whole table
    (an INSERT per row, even in batches, cost the server a parse and a plan per row: the xl
    demo took hours); into SQLite, batched INSERTs."""
    if dst.dialect.name != "postgresql":

        def insert(rows: list[dict[str, Any]]) -> None:
            dst.execute(table.insert(), rows)

        yield insert
        return
    import psycopg

    names = [c.name for c in table.columns]
    columns = ", ".join(f'"{n}"' for n in names)
    raw: Any = dst.connection.driver_connection
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:

            def put(rows: list[dict[str, Any]]) -> None:
                for row in rows:
                    copy.write_row([row[n] for n in names])

            yield put
    except psycopg.Error as exc:  # COPY's own errors: not wrapped by SQLAlchemy
        raise DatabaseError(f"copying table {table.name} failed: {exc}") from exc


def _reset_sequences(dst: Connection) -> None:
    """Make the next id of every table follow the copied ones."""
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            continue
        seq = dst.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar()
        if seq is None:
            continue
        top = dst.execute(select(func.max(pk[0]))).scalar()
        dst.execute(text("SELECT setval(:s, :v, false)"), {"s": seq, "v": int(top or 0) + 1})


def _analyze(target: Database) -> None:
    """Give the planner statistics now, rather than after autovacuum gets round to the new rows
    (measured: a queue page took 43 ms before, 17 ms after, on the large demo)."""
    with target.engine.begin() as conn:
        for table in metadata.sorted_tables:
            conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def _check_counts(dst: Connection, expected: dict[str, int]) -> None:
    wrong = {
        t.name: (expected[t.name], got)
        for t in metadata.sorted_tables
        if (got := _count(dst, t)) != expected[t.name]
    }
    if wrong:
        detail = ", ".join(
            f"{name}: {want} in source, {got} copied" for name, (want, got) in wrong.items()
        )
        raise DatabaseError(f"row counts differ after copying ({detail}); nothing was kept")
