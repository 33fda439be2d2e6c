"""the case lifecycle: transfers between offices, closure checklists, where the paper file is

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Issue 12. `case_transfer` keeps a transfer out (the sender's checklist, the receiving office's
task, the reminder, accepted or returned); `case_closure` and `closure_step` a closure for a
reason with its steps ticked or waived; `file_location` where the paper file is, with its
history. Case types gain `transfer_ack_days` (working days to acknowledge a transfer; 5 for
existing rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("reason_label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_closure_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["staff.id"], name=op.f("fk_case_closure_closed_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["staff.id"], name=op.f("fk_case_closure_started_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_closure")),
    )
    with op.batch_alter_table("case_closure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_closure_case_id"), ["case_id"], unique=False)

    op.create_table(
        "file_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("box", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("retrieval_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_file_location_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_file_location_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff.id"], name=op.f("fk_file_location_recorded_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_location")),
    )
    with op.batch_alter_table("file_location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_location_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_office_id", sa.Integer(), nullable=True),
        sa.Column("from_team_id", sa.Integer(), nullable=True),
        sa.Column("to_office_id", sa.Integer(), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("papers_sent", sa.Boolean(), nullable=False),
        sa.Column("appointments_moved", sa.Boolean(), nullable=False),
        sa.Column("tasks_handed_over", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledge_by", sa.Date(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("reminder_task_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("return_reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_transfer_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["staff.id"], name=op.f("fk_case_transfer_decided_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["from_office_id"], ["office.id"], name=op.f("fk_case_transfer_from_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["from_team_id"], ["team.id"], name=op.f("fk_case_transfer_from_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["reminder_task_id"], ["task.id"], name=op.f("fk_case_transfer_reminder_task_id_task")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["staff.id"], name=op.f("fk_case_transfer_sent_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_case_transfer_task_id_task")
        ),
        sa.ForeignKeyConstraint(
            ["to_office_id"], ["office.id"], name=op.f("fk_case_transfer_to_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"], ["team.id"], name=op.f("fk_case_transfer_to_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_transfer")),
    )
    with op.batch_alter_table("case_transfer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transfer_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_case_transfer_status_due", ["status", "acknowledge_by"], unique=False
        )

    op.create_table(
        "closure_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("closure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["closure_id"],
            ["case_closure.id"],
            name=op.f("fk_closure_step_closure_id_case_closure"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["staff.id"], name=op.f("fk_closure_step_done_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_step")),
    )
    with op.batch_alter_table("closure_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_closure_step_closure_id"), ["closure_id"], unique=False
        )

    with op.batch_alter_table("case_type", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("transfer_ack_days", sa.Integer(), nullable=False, server_default="5")
        )


def downgrade() -> None:
    with op.batch_alter_table("case_type", schema=None) as batch_op:
        batch_op.drop_column("transfer_ack_days")

    with op.batch_alter_table("closure_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closure_step_closure_id"))

    op.drop_table("closure_step")
    with op.batch_alter_table("case_transfer", schema=None) as batch_op:
        batch_op.drop_index("ix_case_transfer_status_due")
        batch_op.drop_index(batch_op.f("ix_case_transfer_case_id"))

    op.drop_table("case_transfer")
    with op.batch_alter_table("file_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_location_case_id"))

    op.drop_table("file_location")
    with op.batch_alter_table("case_closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_closure_case_id"))

    op.drop_table("case_closure")
