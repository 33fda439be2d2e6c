"""Migration 0011: a database of revision 0006 with payments and terms upgrades in place; its
payments become the ledger's payments, its terms stay active, and the balance reads as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text
from sqlmodel import select

from caseterm.core.models import Payment, PaymentTerms
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database

ROWS: list[tuple[str, dict[str, object]]] = [
    ("office", {"id": 1, "code": "PRE", "name": "Preston"}),
    ("case_type", {"id": 1, "code": "FINE", "name": "Fines", "ref_prefix": "FE"}),
    ("person", {"id": 1, "given_name": "Ann", "family_name": "Smith"}),
    (
        "case_file",
        {
            "id": 1,
            "reference": "FE/2026/000001",
            "case_type_id": 1,
            "subject_id": 1,
            "status": "open",
            "priority": 3,
        },
    ),
    *[
        ("imposition", {"id": i, "case_id": 1, "kind": kind, "amount_pence": pence})
        for i, kind, pence in (
            (1, "fine", 82000),
            (2, "costs", 62000),
            (3, "victim_surcharge", 8200),
        )
    ],
    (
        "payment",
        {"id": 1, "case_id": 1, "amount_pence": 10000, "method": "card", "reference": "PAY1"},
    ),
    (
        "payment",
        {"id": 2, "case_id": 1, "amount_pence": 10000, "method": "cash", "reference": "PAY2"},
    ),
    (
        "payment_terms",
        {
            "id": 1,
            "case_id": 1,
            "instalment_pence": 10000,
            "frequency": "monthly",
            "first_due": "2026-02-01",
            "version": 1,
        },
    ),
]


def _insert(conn: Any, table: str, values: dict[str, object]) -> None:
    """A row of the old schema: the values given, and a plain value for every other NOT NULL
    column (so the test does not depend on every column of revision 0006)."""
    row = dict(values)
    for _cid, name, kind, notnull, default, pk in conn.exec_driver_sql(
        f"PRAGMA table_info({table})"
    ).fetchall():
        if name in row or pk or not notnull or default is not None:
            continue
        kind = kind.upper()
        if "DATETIME" in kind:
            row[name] = "2026-01-05 09:00:00"
        elif "DATE" in kind:
            row[name] = "2026-01-05"
        elif "INT" in kind or "BOOL" in kind:
            row[name] = 0
        else:
            row[name] = ""
    names = ", ".join(row)
    marks = ", ".join(f":{n}" for n in row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)


def test_payments_and_terms_survive_0011(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        for table, values in ROWS:
            _insert(conn, table, values)
    old.dispose()
    opened = open_database(str(path))
    with opened.db.read() as s:
        payments = s.exec(select(Payment).order_by(Payment.id)).all()  # type: ignore[arg-type]
        terms = s.exec(select(PaymentTerms)).one()
    assert [(p.kind, p.amount_pence, p.reference, p.reverses_id) for p in payments] == [
        ("payment", 10000, "PAY1", None),
        ("payment", 10000, "PAY2", None),
    ]
    assert (terms.active, terms.kind, terms.lump_sum_pence, terms.instalment_pence) == (
        True,
        "instalments",
        0,
        10000,
    )
    from caseterm.core.models import CaseFile
    from caseterm.core.services.accounts import position_of

    with opened.db.read() as s:
        case = s.get(CaseFile, 1)
        assert case is not None
        position = position_of(s, case)[2]
    assert position.balance_pence == 152_200 - 20_000
    assert {line.charge.kind: line.paid_pence for line in position.lines} == {
        "victim_surcharge": 8_200,
        "costs": 11_800,
        "fine": 0,
    }
