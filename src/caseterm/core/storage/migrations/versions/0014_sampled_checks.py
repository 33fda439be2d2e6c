"""sampled checks: sampling rates per team and kind of work, and the checks drawn from the work

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

`check_rate` holds what share of a team's work of one kind (or of one officer's, a new starter)
is checked. `work_check` holds each item of work drawn for checking, unique per item, with who
did it, who checks it, the outcome (passed or failed, the error category, notes) and the rework
task a failure raised.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("work_kind", sa.String(length=20), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_key", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["staff.id"], name=op.f("fk_check_rate_set_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_check_rate_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_check_rate_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_rate")),
        sa.UniqueConstraint(
            "team_id",
            "work_kind",
            "staff_key",
            name=op.f("uq_check_rate_team_id_work_kind_staff_key"),
        ),
    )
    op.create_table(
        "work_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drawn_for", sa.Date(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("work_kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("checker_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("rework_task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_work_check_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["staff.id"], name=op.f("fk_work_check_checked_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["checker_id"], ["staff.id"], name=op.f("fk_work_check_checker_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["staff.id"], name=op.f("fk_work_check_officer_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["rework_task_id"], ["task.id"], name=op.f("fk_work_check_rework_task_id_task")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_work_check_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_check")),
        sa.UniqueConstraint("work_kind", "item_id", name=op.f("uq_work_check_work_kind_item_id")),
    )
    with op.batch_alter_table("work_check", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_check_checker_status", ["checker_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_work_check_team_checked",
            ["team_id", "checked_at", "officer_id", "status"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("work_check", schema=None) as batch_op:
        batch_op.drop_index("ix_work_check_team_checked")
        batch_op.drop_index("ix_work_check_checker_status")
    op.drop_table("work_check")
    op.drop_table("check_rate")
