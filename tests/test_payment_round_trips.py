"""One payment commit, statement by statement (each is a round trip to a PostgreSQL server, the
cost that dominates a commit there): the case with its type and payer in one query, the ledger
in one, the payment with its receipt number in one INSERT on PostgreSQL, the audit event; no
re-read of what was just written. And the receipt number the database makes is the one
`receipt_number` makes, however long the id; and the write lock's timeout is still set."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.models import AuditEvent, Payment
from caseterm.core.services import ledger
from caseterm.core.storage.database import Database
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _account(world: World) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        for kind, pence in (("fine", 82_000), ("costs", 62_000), ("victim_surcharge", 8_200)):
            ledger.add_imposition(
                s,
                world.clerk,
                case_id=case_id,
                kind=kind,
                amount_pence=pence,
                imposed_on=date(2026, 10, 1),
                court="Preston Magistrates' Court",
            )
    return case_id


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_payment_commit_is_a_handful_of_statements(world: World) -> None:
    case_id = _account(world)
    postgres = world.db.engine.dialect.name == "postgresql"
    with _statements(world.db) as seen, world.db.write() as s:
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=10_000, method="card", reference="A1"
        )
    # PostgreSQL: the write lock (with its timeout), the case, the ledger, the payment with its
    # receipt number, the audit event (5; there were 13). SQLite: BEGIN IMMEDIATE, and the
    # receipt number set by the new id after the INSERT (6).
    assert len(seen) == (5 if postgres else 6), "\n".join(seen)
    inserts = [x.split(" (")[0] for x in seen if x.startswith("INSERT")]
    assert inserts == ["INSERT INTO payment", "INSERT INTO audit_event"]
    assert not [x for x in seen if "FROM person" in x or "FROM payment_terms" in x]
    assert (receipt.payer, receipt.balance_after_pence) == (world.person.full_name, 142_200)
    with world.db.read() as s:
        row = s.exec(select(Payment).where(col(Payment.id) == receipt.txn_id)).one()
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "account.payment")).one()
    assert row.receipt_no == receipt.receipt_no == f"R26-{receipt.txn_id:07d}"
    assert (row.case_id, row.amount_pence, row.method, row.reference) == (
        case_id,
        10_000,
        "card",
        "A1",
    )
    assert f'"receipt_no": "{receipt.receipt_no}"' in audit.after
    assert audit.entity_id == receipt.txn_id


def test_a_receipt_number_past_seven_digits_is_the_whole_id(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:  # the next ledger row is the 12,345,678th
        if world.db.engine.dialect.name == "postgresql":
            s.execute(text("SELECT setval(pg_get_serial_sequence('payment', 'id'), 12345677)"))
        else:  # SQLite numbers a row one past the highest: a row of nothing there
            s.execute(
                text(
                    "INSERT INTO payment (id, case_id, kind, amount_pence, paid_on, method, "
                    "reference, reason, created_at) VALUES (12345677, :case, 'adjustment', 0, "
                    "'2026-11-23', '', '', '', '2026-11-23 09:00:00')"
                ),
                {"case": case_id},
            )
    with world.db.write() as s:
        receipt = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=500, method="cash"
        )
    assert receipt.txn_id == 12_345_678
    assert receipt.receipt_no == "R26-12345678" == ledger.receipt_number(12_345_678, clock.today())


@pytest.mark.postgres
def test_a_write_transaction_waits_for_the_lock_with_a_timeout(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        with db.write() as s:
            assert s.execute(text("SHOW lock_timeout")).scalar() == "30s"
        with db.read() as s:
            assert s.execute(text("SHOW lock_timeout")).scalar() == "0"
    finally:
        db.dispose()
