"""task: who decided an incoming item in triage, and when

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("triaged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("triaged_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_task_triaged_by_id_staff"), "staff", ["triaged_by_id"], ["id"]
        )
        batch_op.create_index("ix_task_triaged_by_at", ["triaged_by_id", "triaged_at"])


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_triaged_by_at")
        batch_op.drop_constraint(batch_op.f("fk_task_triaged_by_id_staff"), type_="foreignkey")
        batch_op.drop_column("triaged_by_id")
        batch_op.drop_column("triaged_at")
