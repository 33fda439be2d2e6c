"""task: indexes for the team, checks, enforcement and office duty queues

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_task_team_assignee_status_due": ["team_id", "assignee_id", "status", "due_date", "id"],
    "ix_task_assignee_status_kind_due": ["assignee_id", "status", "kind", "due_date", "id"],
    "ix_task_team_status_kind_due": ["team_id", "status", "kind", "due_date", "id"],
    "ix_task_office_status_assignee_due": ["office_id", "status", "assignee_id", "due_date", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "task", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="task")
