"""document, task: the board's letters read by the days they were issued and checked; a queue
of every task read in queue order

A board refresh counts the letters issued and the letters checked yesterday and today. The only
index on them began with the case (0026), so every letter of the scope's cases was looked at
whatever the days: SQLite sought each of the team's cases, PostgreSQL read every letter's index
entry (66,000 on the large demo) and hash-joined them to the team's cases. These two begin with
the day, so a refresh reads the two days' letters alone (a range of each, index-only: the case
is in the index for the join to the scope's cases):

- `document (issued_at, kind, case_id)`: letters issued from a day on;
- `document (checked_at, kind, case_id)`: letters checked from a day on.

`ix_document_case_kind_issued_checked` stays: it serves a case's letters, and the per-case
reads over a whole window.

- `task (due_date, priority, id)`: the queue order itself. A saved queue over every task (any
  status, anyone's) had no index in its order, so each page (the workstation's page-down, 100
  rows) sorted the whole table for its top rows: ~120 ms of PostgreSQL's time a page on the
  large demo (a parallel sequential scan), now a walk along this index.

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW: dict[str, tuple[str, list[str]]] = {
    "ix_document_issued_kind_case": ("document", ["issued_at", "kind", "case_id"]),
    "ix_document_checked_kind_case": ("document", ["checked_at", "kind", "case_id"]),
    "ix_task_queue_order": ("task", ["due_date", "priority", "id"]),
}


def upgrade() -> None:
    for name, (table, columns) in NEW.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in NEW.items():
        op.drop_index(name, table_name=table)
