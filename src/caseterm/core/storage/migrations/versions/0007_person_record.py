"""person: date of death's source and merged tombstones; warnings with review and clearing
history; verification records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

A person gains where their date of death came from and, once merged into another record,
`merged_into_id` (the record stays as a tombstone pointing at the survivor). A warning gains a
review date, the review it last raised a task for (so a review is raised once), and who cleared
it, when and why (cleared warnings stay, as history). `person_verification` records what was
verified about a person, from what evidence, by whom and when. A contact detail gains
the key search finds it by (postcode, phone digits, email), filled in for
existing rows. Other existing rows keep empty values.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add_reference(table: str, column: str, target: str) -> None:
    """A new nullable column referencing `target`, added in place. On SQLite never by copying
    the table (batch mode): with foreign keys on, dropping the old `person` table checks every
    row against every table that references it, which takes hours on a large database."""
    name = op.f(f"fk_{table}_{column}_{target}")
    if op.get_bind().dialect.name == "sqlite":
        op.add_column(
            table,
            sa.Column(column, sa.Integer(), sa.ForeignKey(f"{target}.id", name=name)),
            inline_references=True,
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])


def _add_text(table: str, column: str, length: int) -> None:
    op.add_column(
        table, sa.Column(column, sa.String(length=length), nullable=False, server_default="")
    )


def upgrade() -> None:
    _add_text("person", "date_of_death_source", 200)
    _add_reference("person", "merged_into_id", "person")
    op.create_index(op.f("ix_person_merged_into_id"), "person", ["merged_into_id"])
    _add_text("person_contact", "search_key", 120)
    op.create_index(op.f("ix_person_contact_search_key"), "person_contact", ["search_key"])
    _fill_search_keys()
    op.add_column("person_warning", sa.Column("review_on", sa.Date(), nullable=True))
    op.add_column("person_warning", sa.Column("review_raised_on", sa.Date(), nullable=True))
    op.add_column("person_warning", sa.Column("cleared_at", sa.DateTime(), nullable=True))
    _add_reference("person_warning", "cleared_by_id", "staff")
    _add_text("person_warning", "clear_reason", 300)
    op.create_table(
        "person_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=30), nullable=False),
        sa.Column("evidence", sa.String(length=300), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_verification_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["staff.id"],
            name=op.f("fk_person_verification_verified_by_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_verification")),
    )
    op.create_index(op.f("ix_person_verification_person_id"), "person_verification", ["person_id"])


def _fill_search_keys() -> None:
    """Existing addresses, phone numbers and emails become findable (as new ones are)."""
    from caseterm.core.rules.identifiers import contact_key

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, kind, value FROM person_contact")).all()
    keyed = [{"id": i, "key": contact_key(k, v)} for i, k, v in rows]
    keyed = [r for r in keyed if r["key"]]
    if keyed:
        bind.execute(sa.text("UPDATE person_contact SET search_key = :key WHERE id = :id"), keyed)


def downgrade() -> None:
    # Dropping a column drops its foreign key (PostgreSQL), or the copy leaves it out (SQLite,
    # where the key was added inline, without a name).
    op.drop_table("person_verification")
    with op.batch_alter_table("person_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_contact_search_key"))
        batch_op.drop_column("search_key")
    with op.batch_alter_table("person_warning", schema=None) as batch_op:
        for column in ("clear_reason", "cleared_by_id", "cleared_at", "review_raised_on"):
            batch_op.drop_column(column)
        batch_op.drop_column("review_on")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merged_into_id"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("date_of_death_source")
