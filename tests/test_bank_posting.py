"""Posting a bank statement in bulk (`bank_posting`): every payment, task and bank line of a file
is written in a few statements however long the file, each payment with the receipt number of
its own id, each line linked to its payment or task, each row journalled with what was written;
a payment taken after the import is numbered after the import's rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import col, select

from caseterm.core.models import AuditEvent, BankLine, Payment, Task
from caseterm.core.services import bank_import, ledger
from caseterm.core.storage.database import Database
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split())[:60])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _import(world: World, lines: int) -> tuple[bank_import.Imported, list[str]]:
    ref = world.case.reference
    rows = ["Date,Amount,Reference,Name"]
    for i in range(lines):  # by reference (the last ones pay more than is owed), and unknown
        if i % 3 == 2:
            rows.append(f"20/11/2026,{1 + i}.{i % 100:02d},UNKNOWN {i},Nobody {i}")
        else:
            rows.append(f"{1 + i % 20:02d}/11/2026,{10 + i}.00,{ref},")
    with _statements(world.db) as seen, world.db.write() as s:
        result = bank_import.import_statement(
            s, world.clerk, filename="s.csv", content=("\n".join(rows) + "\n").encode()
        )
    return result, seen


def test_a_long_statement_is_written_in_a_few_statements_with_every_row_linked(
    world: World,
) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=50_000)
    result, seen = _import(world, 90)
    assert (result.posted, result.suspense) == (60, 30)
    writes = [x for x in seen if x.startswith(("INSERT", "UPDATE"))]
    # the statement; one INSERT each of tasks, payments, bank lines and their audit events; the
    # statement's counts and its own audit event
    assert len(writes) == 7, "\n".join(writes)
    with world.db.read() as s:
        payments = s.exec(select(Payment).order_by(col(Payment.id))).all()
        lines = {b.line_no: b for b in s.exec(select(BankLine)).all()}
        tasks = {t.id: t for t in s.exec(select(Task).where(Task.kind == "suspense")).all()}
        events = {
            (e.action, e.entity_id): e
            for e in s.exec(
                select(AuditEvent).where(
                    col(AuditEvent.action).in_(("account.payment", "task.create"))
                )
            ).all()
        }
    assert len(payments) == 60 and sum(p.amount_pence for p in payments) == result.posted_pence
    for p in payments:
        assert p.receipt_no == f"R26-{p.id:07d}"
        after = json.loads(events["account.payment", p.id].after)
        assert (after["id"], after["receipt_no"], after["amount_pence"]) == (
            p.id,
            p.receipt_no,
            p.amount_pence,
        )
    # £500 owed: the payments that went past it leave an overpayment, one task for the account
    over = [t for t in tasks.values() if t.case_id == case_id]
    assert len(over) == 1 and len(tasks) == 31
    paid_past = sum(p.amount_pence for p in payments) - 50_000
    assert over[0].title.startswith(f"Overpayment £{paid_past / 100:,.2f} in suspense")
    for view in result.lines:
        line = lines[view.line_no]
        assert (line.payment_id, line.task_id) == (view.payment_id, view.task_id)
        assert line.task_id is None or ("task.create", line.task_id) in events
        if view.outcome == "suspense":
            assert tasks[view.task_id or 0].title.startswith("Bank credit £")
    with world.db.write() as s:  # numbered after the import's rows
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=100, method="cash"
        )
    assert receipt.txn_id > max(p.id or 0 for p in payments)
    assert receipt.paid_on == date(2026, 11, 23)


@pytest.mark.sqlite_only
def test_an_import_leaves_the_connections_page_cache_as_it_was(world: World) -> None:
    """SQLite's page cache is made room for the import's writes while it runs, and put back."""
    with world.db.write() as s:
        before = s.execute(text("PRAGMA cache_size")).scalar_one()
        seen: list[int] = []

        def cache_at_insert(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if statement.startswith("INSERT INTO bank_statement"):
                seen.append(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())

        event.listen(world.db.engine, "before_cursor_execute", cache_at_insert)
        try:
            bank_import.import_statement(
                s,
                world.clerk,
                filename="s.csv",
                content=b"Date,Amount,Reference,Name\n20/11/2026,5.00,NOTHING,Nobody\n",
            )
        finally:
            event.remove(world.db.engine, "before_cursor_execute", cache_at_insert)
        after = s.execute(text("PRAGMA cache_size")).scalar_one()
    assert seen == [-bank_import.IMPORT_CACHE_KIB] and after == before != seen[0]
