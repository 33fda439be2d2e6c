"""task: whom an incoming item is about (name and date of birth, as written on it)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Triage searched for duplicates with the item's title, which is often a sentence ("Phone: wants
to change appointment"). Items now carry the name and date of birth they give, and triage
searches with those. Existing items get an empty name and keep the old behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("about_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("about_dob", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("about_dob")
        batch_op.drop_column("about_name")
