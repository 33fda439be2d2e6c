"""document, payment: covering indexes for the board's letters and money taken

The team board counts a team's (or an office's) letters issued and checked, and its money
taken, per day: for each of the scope's cases, a range of that case's letters or payments. With
an index on the case alone, each letter's and each payment's row was read from the table for
`kind`, `issued_at`, `checked_at` (letters) or `kind` and `method` (is it cash?). These indexes
hold every column those reads need, so each is an index-only read (SQLite: COVERING INDEX;
PostgreSQL: Index Only Scan).

Each new index begins with `case_id`, so the narrower indexes it makes redundant are dropped:
`ix_document_case_id`, `ix_payment_case_id` and `ix_payment_case_paid_on` (an insert keeps one
index up to date instead of two).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW: dict[str, tuple[str, list[str]]] = {
    "ix_document_case_kind_issued_checked": (
        "document",
        ["case_id", "kind", "issued_at", "checked_at"],
    ),
    "ix_payment_case_paid_on_cash": (
        "payment",
        ["case_id", "paid_on", "amount_pence", "kind", "method"],
    ),
}

OLD: dict[str, tuple[str, list[str]]] = {
    "ix_document_case_id": ("document", ["case_id"]),
    "ix_payment_case_id": ("payment", ["case_id"]),
    "ix_payment_case_paid_on": ("payment", ["case_id", "paid_on", "amount_pence"]),
}


def upgrade() -> None:
    for name, (table, columns) in NEW.items():
        op.create_index(name, table, columns)
    for name, (table, _) in OLD.items():
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, (table, columns) in OLD.items():
        op.create_index(name, table, columns)
    for name, (table, _) in NEW.items():
        op.drop_index(name, table_name=table)
