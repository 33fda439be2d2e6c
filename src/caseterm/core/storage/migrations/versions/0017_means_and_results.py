"""money forms: means assessments, court results and money decisions held for a checker

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

`means_assessment` holds a means form (income and outgoings per period, the disposable income
and the proposed instalment, and the payment terms it led to). `court_result` holds a hearing's
result (impositions, collection order, terms, next hearing). `money_decision` holds a write-off,
remission or change of terms beyond the officer's limit until a checker approves or rejects it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    money = [
        "wages",
        "benefits",
        "other_income",
        "housing",
        "council_tax",
        "utilities",
        "food",
        "travel",
        "debts",
        "other_outgoings",
    ]
    op.create_table(
        "means_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        *[sa.Column(f"{name}_pence", sa.Integer(), nullable=False) for name in money],
        sa.Column("dependants", sa.Integer(), nullable=False),
        sa.Column("income_pence", sa.Integer(), nullable=False),
        sa.Column("outgoings_pence", sa.Integer(), nullable=False),
        sa.Column("disposable_pence", sa.Integer(), nullable=False),
        sa.Column("proposed_pence", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("terms_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("means_assessment", "case_id", "case_file"),
        _fk("means_assessment", "created_by_id", "staff"),
        _fk("means_assessment", "terms_id", "payment_terms"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_assessment")),
    )
    with op.batch_alter_table("means_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_means_assessment_case_id"), ["case_id"], unique=False)
    op.create_table(
        "court_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=False),
        sa.Column("court", sa.String(length=120), nullable=False),
        sa.Column("collection_order", sa.Boolean(), nullable=False),
        sa.Column("imposition_ids", sa.String(length=300), nullable=False),
        sa.Column("terms_id", sa.Integer(), nullable=True),
        sa.Column("next_hearing_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("court_result", "case_id", "case_file"),
        _fk("court_result", "created_by_id", "staff"),
        _fk("court_result", "terms_id", "payment_terms"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_result")),
    )
    with op.batch_alter_table("court_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_court_result_case_id"), ["case_id"], unique=False)
    op.create_table(
        "money_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("imposition_id", sa.Integer(), nullable=True),
        sa.Column("terms_kind", sa.String(length=20), nullable=False),
        sa.Column("instalment_pence", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=True),
        sa.Column("lump_sum_pence", sa.Integer(), nullable=False),
        sa.Column("means_id", sa.Integer(), nullable=True),
        sa.Column("why_held", sa.String(length=300), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("checker_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=False),
        sa.Column("txn_id", sa.Integer(), nullable=True),
        sa.Column("terms_id", sa.Integer(), nullable=True),
        _fk("money_decision", "case_id", "case_file"),
        _fk("money_decision", "checker_id", "staff"),
        _fk("money_decision", "imposition_id", "imposition"),
        _fk("money_decision", "maker_id", "staff"),
        _fk("money_decision", "means_id", "means_assessment"),
        _fk("money_decision", "terms_id", "payment_terms"),
        _fk("money_decision", "txn_id", "payment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_money_decision")),
    )
    with op.batch_alter_table("money_decision", schema=None) as batch_op:
        batch_op.create_index("ix_money_decision_status_case", ["status", "case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("money_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_money_decision_status_case")
    op.drop_table("money_decision")
    with op.batch_alter_table("court_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_court_result_case_id"))
    op.drop_table("court_result")
    with op.batch_alter_table("means_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_means_assessment_case_id"))
    op.drop_table("means_assessment")
