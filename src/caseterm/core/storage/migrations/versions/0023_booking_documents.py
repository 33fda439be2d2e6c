"""booking documents: a booking's agenda and minutes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03

`booking_document` holds a diary booking's agenda and its minutes (one of each per booking):
the text written in caseterm and/or a file imported, judged by its content like a received
document's and kept whole with its size and SHA-256. A case's documents table cannot hold them:
a meeting is often about no case, and `document.case_id` is required.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_document",
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("body", sa.String(length=50000), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_booking_document_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff.id"], name=op.f("fk_booking_document_created_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff.id"], name=op.f("fk_booking_document_updated_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_document")),
        sa.UniqueConstraint(
            "appointment_id", "kind", name=op.f("uq_booking_document_appointment_id_kind")
        ),
    )


def downgrade() -> None:
    op.drop_table("booking_document")
