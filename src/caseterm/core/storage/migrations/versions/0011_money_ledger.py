"""money: the payment table becomes the account's ledger; terms keep their history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Every existing `payment` row is a payment (`kind` defaults to it), so the ledger starts with the
money already taken and the balances read as before. The ledger gains the transaction kind, a
receipt number, the row a reversal undoes (unique: a row is reversed once), the imposition an
adjustment applies to and a reason. An imposition gains its creditor; a case type the order in
which payments are allocated. Payment terms keep their history: the one-row-per-case rule
becomes one *active* row per case, and a row gains its kind (by a date or instalments), a lump
sum, the reason for a change, and who made it when. Existing terms stay active. A new table,
`enforcement_step`, records each step of an account's enforcement path the money run proposed
(unique per case and step number, so concurrent runs never propose a step twice).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER = "compensation,victim_surcharge,costs,fine"


def upgrade() -> None:
    op.create_table(
        "enforcement_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_enforcement_step_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_enforcement_step_task_id_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_step")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_enforcement_step_case_id_number")),
    )
    with op.batch_alter_table("enforcement_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enforcement_step_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("case_type", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "allocation_order", sa.String(length=200), nullable=False, server_default=ORDER
            )
        )
    with op.batch_alter_table("imposition", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("creditor", sa.String(length=120), nullable=False, server_default="")
        )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="payment")
        )
        batch_op.add_column(sa.Column("receipt_no", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("reverses_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("imposition_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reason", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.create_unique_constraint(batch_op.f("uq_payment_receipt_no"), ["receipt_no"])
        batch_op.create_unique_constraint(batch_op.f("uq_payment_reverses_id"), ["reverses_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_reverses_id_payment"), "payment", ["reverses_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_imposition_id_imposition"),
            "imposition",
            ["imposition_id"],
            ["id"],
        )
    with op.batch_alter_table("payment_terms", schema=None) as batch_op:
        batch_op.drop_constraint("uq_payment_terms_case_id", type_="unique")
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="instalments")
        )
        batch_op.add_column(sa.Column("pay_by", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("lump_sum_pence", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("reason", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_terms_created_by_id_staff"), "staff", ["created_by_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_payment_terms_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "uq_payment_terms_active_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        )


def downgrade() -> None:
    op.drop_table("enforcement_step")
    with op.batch_alter_table("payment_terms", schema=None) as batch_op:
        batch_op.drop_index("uq_payment_terms_active_case")
        batch_op.drop_index(batch_op.f("ix_payment_terms_case_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_payment_terms_created_by_id_staff"), type_="foreignkey"
        )
        for name in (
            "created_by_id",
            "created_at",
            "reason",
            "active",
            "lump_sum_pence",
            "pay_by",
            "kind",
        ):
            batch_op.drop_column(name)
    op.execute(
        "DELETE FROM payment_terms WHERE id NOT IN "
        "(SELECT MAX(id) FROM payment_terms GROUP BY case_id)"
    )
    with op.batch_alter_table("payment_terms", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_payment_terms_case_id", ["case_id"])
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_payment_imposition_id_imposition"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_payment_reverses_id_payment"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_payment_reverses_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_payment_receipt_no"), type_="unique")
        for name in ("reason", "imposition_id", "reverses_id", "receipt_no", "kind"):
            batch_op.drop_column(name)
    with op.batch_alter_table("imposition", schema=None) as batch_op:
        batch_op.drop_column("creditor")
    with op.batch_alter_table("case_type", schema=None) as batch_op:
        batch_op.drop_column("allocation_order")
