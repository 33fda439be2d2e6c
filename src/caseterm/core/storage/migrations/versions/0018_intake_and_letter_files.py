"""intake folder and letter files: files taken from the watched intake folder, an office's phone

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

`intake_file` holds each file taken from the watched intake folder with the incoming item it
became (its type found from its content, size, SHA-256, who took it and when) until triage
attaches it to a case as a received document (`document_id`). `office.phone` is the office's
telephone number, printed on letters and offered as a merge field. (Issued letters keep their
PDF in the existing `document_file` table: no change is needed for that.)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_intake_file_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"], ["staff.id"], name=op.f("fk_intake_file_received_by_id_staff")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_intake_file_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_file")),
        sa.UniqueConstraint("task_id", name=op.f("uq_intake_file_task_id")),
    )
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_file_sha256"), ["sha256"], unique=False)
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=40), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("phone")
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_file_sha256"))
    op.drop_table("intake_file")
