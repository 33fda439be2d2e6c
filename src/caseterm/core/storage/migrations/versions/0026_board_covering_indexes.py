"""document, payment, case_file: covering indexes for the board's letters and money taken

The team board counts a team's (or an office's) letters issued and checked, and its money
taken, per day. With an index on the case alone, each letter's and each payment's row was read
from the table for `kind`, `issued_at`, `checked_at` (letters) or `kind` and `method` (is it
cash?); PostgreSQL read both tables whole. These indexes hold every column those reads need, so
each is an index-only read (SQLite: COVERING INDEX; PostgreSQL: Index Only Scan):

- `document (case_id, kind, issued_at, checked_at)`: SQLite looks up each of the scope's cases;
  PostgreSQL reads the letters' entries and hash-joins them to the scope's cases.
- `payment (case_id, paid_on, amount_pence, kind, method)`: SQLite looks up each case's days;
  `payment (paid_on, case_id, amount_pence, kind, method)`: PostgreSQL reads the days' range.
- `case_file (team_id, status, id)` and `case_file (office_id, id)`: the scope's cases, read
  index-only by PostgreSQL for its hash joins (SQLite's indexes hold the rowid already).

The narrower indexes these make redundant are dropped, so an insert keeps as many indexes up to
date as before: `ix_document_case_id`, `ix_payment_case_id`, `ix_payment_case_paid_on`,
`ix_case_file_team_status`, `ix_case_file_office_id`.

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
    "ix_payment_paid_on_cash": (
        "payment",
        ["paid_on", "case_id", "amount_pence", "kind", "method"],
    ),
    "ix_case_file_team_cases": ("case_file", ["team_id", "status", "id"]),
    "ix_case_file_office_cases": ("case_file", ["office_id", "id"]),
}

OLD: dict[str, tuple[str, list[str]]] = {
    "ix_document_case_id": ("document", ["case_id"]),
    "ix_payment_case_id": ("payment", ["case_id"]),
    "ix_payment_case_paid_on": ("payment", ["case_id", "paid_on", "amount_pence"]),
    "ix_case_file_team_status": ("case_file", ["team_id", "status"]),
    "ix_case_file_office_id": ("case_file", ["office_id"]),
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
