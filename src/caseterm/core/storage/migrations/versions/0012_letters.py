"""letters: template library columns and versions, maker-checker states, outgoing post register

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

Letter templates gain the case types they are for (codes, comma-separated; the old single
case type is copied in), the kind of recipient, a language with the letter a Welsh variant
translates, a version (every saved version's text is kept in `letter_template_version`, where the
existing templates become version 1) and whether they are in use. Documents gain the template
version they used, the recipient, the states of checking (submitted and its hash, checked and the
approved text's hash, a reason for a rejection). `post_out` records how and when each issued
letter went out. `document.kind` tells a letter from a document received, whose file is kept
in `document_file` (its type from its content, size, SHA-256, who and when).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("case_types", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "recipient_kind", sa.String(length=20), nullable=False, server_default="subject"
            )
        )
        batch_op.add_column(
            sa.Column("language", sa.String(length=5), nullable=False, server_default="en")
        )
        batch_op.add_column(
            sa.Column("variant_of", sa.String(length=30), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_letter_template_updated_by_id_staff"), "staff", ["updated_by_id"], ["id"]
        )
    op.execute(
        "UPDATE letter_template SET case_types = "
        "(SELECT code FROM case_type WHERE case_type.id = letter_template.case_type_id) "
        "WHERE case_type_id IS NOT NULL"
    )
    op.create_table(
        "letter_template_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.String(length=20000), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["staff.id"],
            name=op.f("fk_letter_template_version_saved_by_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["letter_template.id"],
            name=op.f("fk_letter_template_version_template_id_letter_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_template_version")),
        sa.UniqueConstraint(
            "template_id", "version", name=op.f("uq_letter_template_version_template_id_version")
        ),
    )
    with op.batch_alter_table("letter_template_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_template_version_template_id"), ["template_id"], unique=False
        )
    op.execute(
        "INSERT INTO letter_template_version (template_id, version, name, body, saved_at) "
        "SELECT id, 1, name, body, CURRENT_TIMESTAMP FROM letter_template"
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="letter")
        )
        batch_op.add_column(sa.Column("template_version", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recipient", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("address_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("submitted_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("approved_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("reject_reason", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            op.f("fk_document_address_id_person_contact"), "person_contact", ["address_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_document_status"), ["status"], unique=False)
    op.create_table(
        "post_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("dispatched_on", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_post_out_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_post_out_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff.id"], name=op.f("fk_post_out_recorded_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_out")),
        sa.UniqueConstraint("document_id", name=op.f("uq_post_out_document_id")),
    )
    with op.batch_alter_table("post_out", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_out_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_post_out_dispatched_on"), ["dispatched_on"], unique=False
        )

    op.create_table(
        "document_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("stored_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_file_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["stored_by_id"], ["staff.id"], name=op.f("fk_document_file_stored_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_file")),
        sa.UniqueConstraint("document_id", name=op.f("uq_document_file_document_id")),
    )


def downgrade() -> None:
    op.drop_table("document_file")
    with op.batch_alter_table("post_out", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_out_dispatched_on"))
        batch_op.drop_index(batch_op.f("ix_post_out_case_id"))
    op.drop_table("post_out")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status"))
        batch_op.drop_constraint(op.f("fk_document_address_id_person_contact"), type_="foreignkey")
        for name in (
            "reject_reason",
            "approved_hash",
            "checked_at",
            "submitted_hash",
            "submitted_at",
            "address_id",
            "recipient",
            "template_version",
            "kind",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("letter_template_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_template_version_template_id"))
    op.drop_table("letter_template_version")
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_letter_template_updated_by_id_staff"), type_="foreignkey")
        for name in (
            "updated_by_id",
            "updated_at",
            "active",
            "version",
            "variant_of",
            "language",
            "recipient_kind",
            "case_types",
        ):
            batch_op.drop_column(name)
