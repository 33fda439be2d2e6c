"""The board's letters and money taken are index-only reads (migrations 0026, 0032): every statement
the board runs on `document` or `payment` is served by a covering index (SQLite: "COVERING
INDEX" in EXPLAIN QUERY PLAN; PostgreSQL: "Index Only Scan" in EXPLAIN, with the plans that
read the table turned off, so only an index that holds every column the read needs can serve
it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import event

from caseterm.core import clock
from caseterm.core.services import board
from caseterm.core.storage.database import Database
from tests.factories import World

MONDAY = date(2026, 11, 23)
# SQLite looks up each of the scope's cases (over the older days; over yesterday and today it
# reads the days' few payments and looks up their cases); PostgreSQL hash-joins, reading the
# days' payments. Letters are read by the days they were issued and checked (0032), or by case.
LETTERS = (
    "ix_document_case_kind_issued_checked",
    "ix_document_issued_kind_case",
    "ix_document_checked_kind_case",
)
INDEXES: dict[str, dict[str, tuple[str, ...]]] = {
    "sqlite": {
        "document": LETTERS,
        "payment": ("ix_payment_case_paid_on_cash", "ix_payment_paid_on_cash"),
    },
    "postgresql": {
        "document": LETTERS,
        "payment": ("ix_payment_paid_on_cash",),
    },
}


@contextmanager
def _statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run on `db` inside the block, with its parameters as sent."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _plan(db: Database, statement: str, params: Any) -> str:
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            return "\n".join(str(row[-1]) for row in rows)
        for kind in ("seqscan", "bitmapscan", "indexscan"):
            conn.exec_driver_sql(f"SET LOCAL enable_{kind} = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        return "\n".join(str(row[0]) for row in rows)


def test_the_boards_letters_and_money_reads_are_index_only(world: World) -> None:
    clock.freeze(datetime(2026, 11, 23, 12))
    with _statements(world.db) as seen, world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team=world.team.code)
        board.team_board(s, world.manager, scope=scope, day=MONDAY)  # the whole window
        board.team_board(s, world.manager, scope=scope, day=MONDAY)  # a refresh: the last days
    backend = world.db.engine.dialect.name
    reads = {
        table: [(sql, p) for sql, p in seen if f"FROM {table} " in sql or f"FROM {table}\n" in sql]
        for table in INDEXES[backend]
    }
    assert all(reads.values()), {t: len(r) for t, r in reads.items()}
    only = "COVERING INDEX" if backend == "sqlite" else "Index Only Scan using"
    for table, indexes in INDEXES[backend].items():
        for statement, params in reads[table]:
            plan = _plan(world.db, statement, params)
            assert any(f"{only} {index}" in plan for index in indexes), f"{statement}\n{plan}"
    if backend == "sqlite":  # yesterday's and today's few payments are read by day, not per case
        plans = [_plan(world.db, statement, params) for statement, params in reads["payment"]]
        assert any("ix_payment_paid_on_cash (paid_on>?)" in plan for plan in plans), plans
        assert any("ix_payment_case_paid_on_cash (case_id=?" in plan for plan in plans), plans
