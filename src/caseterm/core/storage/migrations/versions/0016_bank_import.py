"""bank statements and banking: CSV column profiles, imported statement lines, banked totals

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

`bank_profile` holds a bank file's column mapping by name. `bank_statement` is one import of a
file; `bank_line` each of its lines, unique by `line_key` so a line is posted once however often
the file is imported (posted as a payment, or held in suspense with a task). `banking` holds what
was banked per day and payment method, with the cash-up's expected total when it was entered.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("date_column", sa.String(length=80), nullable=False),
        sa.Column("amount_column", sa.String(length=80), nullable=False),
        sa.Column("reference_column", sa.String(length=80), nullable=False),
        sa.Column("name_column", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff.id"], name=op.f("fk_bank_profile_created_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_profile")),
        sa.UniqueConstraint("name", name=op.f("uq_bank_profile_name")),
    )
    op.create_table(
        "bank_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("profile", sa.String(length=60), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("posted", sa.Integer(), nullable=False),
        sa.Column("suspense", sa.Integer(), nullable=False),
        sa.Column("already", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["staff.id"], name=op.f("fk_bank_statement_imported_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement")),
    )
    op.create_table(
        "bank_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_key", sa.String(length=64), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=140), nullable=False),
        sa.Column("name", sa.String(length=140), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("matched_by", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_bank_line_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_bank_line_payment_id_payment")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statement.id"],
            name=op.f("fk_bank_line_statement_id_bank_statement"),
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_bank_line_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_line")),
        sa.UniqueConstraint("line_key", name=op.f("uq_bank_line_line_key")),
    )
    op.create_index(op.f("ix_bank_line_case_id"), "bank_line", ["case_id"], unique=False)
    op.create_index(op.f("ix_bank_line_statement_id"), "bank_line", ["statement_id"], unique=False)
    op.create_table(
        "banking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("banked_pence", sa.Integer(), nullable=False),
        sa.Column("expected_pence", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["staff.id"], name=op.f("fk_banking_entered_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_banking")),
        sa.UniqueConstraint("day", "method", name=op.f("uq_banking_day_method")),
    )
    op.create_index(op.f("ix_banking_day"), "banking", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_banking_day"), table_name="banking")
    op.drop_table("banking")
    op.drop_index(op.f("ix_bank_line_statement_id"), table_name="bank_line")
    op.drop_index(op.f("ix_bank_line_case_id"), table_name="bank_line")
    op.drop_table("bank_line")
    op.drop_table("bank_statement")
    op.drop_table("bank_profile")
