"""Bulk rows for the demo: ids handed out in Python, rows buffered per table and written with
Core `insert()` executemany batches, parents always before children (foreign keys stay on).

On SQLite the statement compiled from `insert()` is run with plain tuples, with dates and times
put through the dialect's own bind processors: SQLAlchemy's per-row parameter handling cost
more than the inserts themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, func, insert, select

from caseterm.core.models import metadata

# Parents before children: every flush writes the buffers in this order.
TABLE_ORDER = (
    "office",
    "team",
    "room",
    "staff",
    "staff_role",
    "person",
    "person_name",
    "person_identifier",
    "person_contact",
    "person_warning",
    "case_file",
    "case_party",
    "case_link",
    "case_access",
    "imposition",
    "payment",
    "payment_terms",
    "letter_template",
    "letter_template_version",
    "appointment",
    "contact_entry",
    "document",
    "document_file",
    "post_out",
    "task",
    "review_schedule",
    "notification",
    "audit_event",
    "access_log",
    "case_event",  # statutory clocks (demo/clocks.py)
    "case_clock",
    "raised_key",
    "bank_statement",  # this morning's bank statement (demo/bank.py)
    "bank_line",
    "check_rate",  # the small demo's sampling rates (demo/check_rates.py)
)

Row = dict[str, Any]
_SAMPLE = datetime(2026, 3, 4, 5, 6, 7)


def _faster(proc: Callable[[Any], Any], is_datetime: bool) -> Callable[[Any], Any]:
    """`isoformat` (in C) when it gives exactly what the dialect's processor gives."""
    if is_datetime:
        fast: Callable[[Any], Any] = partial(datetime.isoformat, sep=" ", timespec="microseconds")
        sample: date = _SAMPLE
    else:
        fast, sample = date.isoformat, _SAMPLE.date()
    return fast if fast(sample) == proc(sample) else proc


class BulkWriter:
    """Buffers rows and writes them in batches inside the caller's transaction."""

    def __init__(
        self,
        conn: Connection,
        *,
        batch: int = 5000,
        on_flush: Callable[[], None] | None = None,
    ) -> None:
        self.conn = conn
        self.batch = batch
        self.on_flush = on_flush
        self.tables: dict[str, Table] = {name: metadata.tables[name] for name in TABLE_ORDER}
        self.buffers: dict[str, list[Row]] = {name: [] for name in TABLE_ORDER}
        self.counts: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
        self._next_id: dict[str, int] = {}
        self._pending = 0
        self._plain = conn.dialect.name == "sqlite"
        # A column the demo does not fill (e.g. one added by a later migration) gets its
        # plain default, or NULL.
        self.defaults: dict[str, dict[str, Any]] = {
            name: {
                c.name: getattr(c.default, "arg", None)
                if c.default is not None and c.default.is_scalar
                else None
                for c in table.c
            }
            for name, table in self.tables.items()
        }
        self._compiled: dict[
            str, tuple[str, list[str], list[tuple[int, Callable[[Any], Any]]]]
        ] = {}
        self._sink: Callable[[list[tuple[str, list[Any]]]], None] | None = None

    def _statement(
        self, name: str
    ) -> tuple[str, list[str], list[tuple[int, Callable[[Any], Any]]]]:
        """The dialect's INSERT for `name`, its parameter order, and the converters it needs."""
        if name not in self._compiled:
            dialect = self.conn.dialect
            compiled = insert(self.tables[name]).compile(dialect=dialect)
            keys = list(compiled.positiontup or [])
            converters = []
            for i, key in enumerate(keys):
                col_type = self.tables[name].c[key].type
                if isinstance(col_type, Date | DateTime):
                    proc = col_type.dialect_impl(dialect).bind_processor(dialect)
                    if proc is not None:
                        converters.append((i, _faster(proc, isinstance(col_type, DateTime))))
            self._compiled[name] = (str(compiled), keys, converters)
        return self._compiled[name]

    def _write(self, name: str, rows: list[Row]) -> None:
        self.execute(name, self.prepare(name, rows))

    def prepare(self, name: str, rows: list[Row]) -> list[Any]:
        """`rows` as the INSERT of `name` takes them: on SQLite plain tuples in the statement's
        parameter order (dates as text), elsewhere dicts with every column."""
        defaults = self.defaults[name]
        if not self._plain:
            return [defaults | row for row in rows]
        _, keys, converters = self._statement(name)
        take = itemgetter(*keys)
        values: list[Any] = []
        for row in rows:
            if len(row) != len(keys):
                row = defaults | row
            vals = take(row)
            if converters:
                listed = list(vals)
                for i, proc in converters:
                    if listed[i] is not None:
                        listed[i] = proc(listed[i])
                vals = tuple(listed)
            values.append(vals)
        return values

    def execute(self, name: str, values: list[Any]) -> None:
        """Write rows `prepare` made (here, or in the forked process that makes the rows)."""
        if not self._plain:
            self.conn.execute(insert(self.tables[name]), values)
            return
        self.conn.exec_driver_sql(self._statement(name)[0], values)

    def prime(self) -> None:
        """Read every id counter and compile every statement now (before a fork: the forked
        process that makes the rows must not touch the database)."""
        for name, table in self.tables.items():
            self._statement(name)
            if "id" in table.c and name not in self._next_id:
                top = self.conn.execute(select(func.max(table.c.id))).scalar()
                self._next_id[name] = int(top or 0) + 1

    def send_to(self, sink: Callable[[list[tuple[str, list[Any]]]], None]) -> None:
        """From now on `flush` hands its prepared rows to `sink` instead of writing them (in the
        forked process that makes the rows; see demo/forked.py). Call `prime` first."""
        self._sink = sink

    def next_id(self, table: str) -> int:
        """The id the next row of `table` will get (ids are ours, so children can point at
        parents before anything is written)."""
        if table not in self._next_id:
            tbl = self.tables[table]
            top = self.conn.execute(select(func.max(tbl.c.id))).scalar()
            self._next_id[table] = int(top or 0) + 1
        value = self._next_id[table]
        self._next_id[table] = value + 1
        return value

    def add(self, table: str, row: Row) -> None:
        self.buffers[table].append(row)
        self._pending += 1
        if self._pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        sent: list[tuple[str, list[Any]]] = []
        for name in TABLE_ORDER:
            rows = self.buffers[name]
            if rows:
                if self._sink is None:
                    self._write(name, rows)
                else:
                    sent.append((name, self.prepare(name, rows)))
                self.counts[name] += len(rows)
                self.buffers[name] = []
        if sent and self._sink is not None:
            self._sink(sent)
        self._pending = 0
        if self.on_flush is not None:
            self.on_flush()

    def written(self, table: str) -> int:
        return self.counts[table] + len(self.buffers[table])
