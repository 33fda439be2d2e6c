"""task, appointment, contact_entry, payment: covering indexes for the board and the reports

The team board and the management reports count rows of a team or an office over a window of
days (created, completed, open at the end of a day, kept or missed, paid). These indexes hold
every column those counts read, so each is one range scan of an index and no table look-ups.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The work in hand at the end of a day (board stocks, ageing), and what was completed.
_STOCK = ["status", "completed_at", "created_at", "triaged_at", "assignee_id", "due_date", "kind"]

# An office's tasks are read in two parts (board_scope.task_scope_parts): by office_id, then by
# team for those whose office_id is another, so the team indexes end with office_id.
INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_task_team_figures": ("task", ["team_id", *_STOCK, "office_id"]),
    "ix_task_office_figures": ("task", ["office_id", *_STOCK]),
    "ix_task_team_created": ("task", ["team_id", "created_at", "kind", "office_id"]),
    "ix_task_office_created": ("task", ["office_id", "created_at", "kind"]),
    "ix_task_completed_by_at": ("task", ["completed_by_id", "status", "completed_at"]),
    "ix_appointment_office_start_status": ("appointment", ["office_id", "starts_at", "status"]),
    "ix_appointment_staff_start_status": ("appointment", ["staff_id", "starts_at", "status"]),
    "ix_contact_entry_case_occurred_type": (
        "contact_entry",
        ["case_id", "occurred_at", "contact_type", "supersedes_id"],
    ),
    "ix_payment_case_paid_on": ("payment", ["case_id", "paid_on", "amount_pence"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
