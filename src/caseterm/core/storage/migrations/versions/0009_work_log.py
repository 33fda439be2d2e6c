"""contact_entry: why it was corrected; task: completed on behalf of its assignee

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

A correction of a contact entry (a new entry that supersedes the original) now carries the
reason it was made. A task completed by someone other than its assignee, who confirmed they did
it on the assignee's behalf, says so. Rows written before keep an empty reason and false.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("correction_reason", sa.String(length=300), nullable=False, server_default="")
        )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "completed_on_behalf", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("completed_on_behalf")
    with op.batch_alter_table("contact_entry", schema=None) as batch_op:
        batch_op.drop_column("correction_reason")
