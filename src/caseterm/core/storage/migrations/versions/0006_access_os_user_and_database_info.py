"""access_log: the real Unix login and a reason; database_info: whether the database is a demo

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

`CASETERM_USER` let any Unix user act as anyone when `CASETERM_DEMO=1` was set. It is now
honoured only for root or on a database made as a demo, which the demo builder marks in the new
one-row `database_info` table; existing databases get no row, so they are real ones. The access
log gains the real Unix login beside the member of staff, as the audit journal has, and the
reason given for a subject access export; rows written before keep both empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("os_user", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("reason", sa.String(length=300), nullable=False, server_default="")
        )
    op.create_table(
        "database_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_info")),
    )


def downgrade() -> None:
    op.drop_table("database_info")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("os_user")
