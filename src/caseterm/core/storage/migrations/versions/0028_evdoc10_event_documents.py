"""event documents: the documents that evidence a casework event

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-04

`event_document` links a document of a case (a received document, or a letter) to an event on
the case's timeline: receiving papers can record the event they evidence, and the event dialog
can attach a document. Until now the link was only a sentence in the event's details. One row
per event and document (a document may evidence several events); who linked it and when.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["case_event.id"], name=op.f("fk_event_document_event_id_case_event")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_event_document_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["staff.id"], name=op.f("fk_event_document_linked_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_document")),
        sa.UniqueConstraint(
            "event_id", "document_id", name=op.f("uq_event_document_event_id_document_id")
        ),
    )
    op.create_index(
        op.f("ix_event_document_document_id"), "event_document", ["document_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_document_document_id"), table_name="event_document")
    op.drop_table("event_document")
