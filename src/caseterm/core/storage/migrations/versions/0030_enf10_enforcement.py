"""enforcement: administrators' paths, holds, and the officer's decision on a step

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-04

Two new tables. `enforcement_path`: an administrator's own enforcement path per case type and
account kind (the kind of the terms in force), over the shipped defaults
(`rules/enforcement_paths.toml`), as `clock_rule` is over the clock rules. `enforcement_hold`: an
account's enforcement on hold with a reason and an optional until-date; the money run skips a
held account. `enforcement_step` gains the officer's decision: its status (existing rows are
"proposed"; a step whose task was completed still reads as confirmed), when and by whom it was
decided, the reason of a rejection and the letter drafted when it was confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enforcement_path",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("account_kind", sa.String(length=20), nullable=False),
        sa.Column("trigger_missed", sa.Integer(), nullable=False),
        sa.Column("steps", sa.String(length=1000), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["staff.id"], name=op.f("fk_enforcement_path_changed_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_path")),
        sa.UniqueConstraint(
            "case_type", "account_kind", name=op.f("uq_enforcement_path_case_type_account_kind")
        ),
    )
    op.create_table(
        "enforcement_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("release_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_enforcement_hold_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"], ["staff.id"], name=op.f("fk_enforcement_hold_placed_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["staff.id"],
            name=op.f("fk_enforcement_hold_released_by_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_hold")),
    )
    with op.batch_alter_table("enforcement_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enforcement_hold_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("enforcement_step", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=12), nullable=False, server_default="proposed")
        )
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reason", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_enforcement_step_decided_by_id_staff"),
            "staff",
            ["decided_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_enforcement_step_document_id_document"),
            "document",
            ["document_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("enforcement_step", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_enforcement_step_document_id_document"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_enforcement_step_decided_by_id_staff"), type_="foreignkey"
        )
        batch_op.drop_column("document_id")
        batch_op.drop_column("reason")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("decided_on")
        batch_op.drop_column("status")
    with op.batch_alter_table("enforcement_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enforcement_hold_case_id"))
    op.drop_table("enforcement_hold")
    op.drop_table("enforcement_path")
