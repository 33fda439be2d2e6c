"""intake office: the office a file taken from the intake folder arrived at

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03

`intake_file.office_id` is the office whose intake folder (or post room) the file arrived at:
`caseterm intake scan --office CODE`, else the office of whoever scanned it. Its incoming item
(`task.office_id`) carries the same office, so triage shows it at that office only. Files taken
before this revision are given the office of the person who took them, and so are their items
when they had none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_intake_file_office_id"), ["office_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_intake_file_office_id_office"), "office", ["office_id"], ["id"]
        )
    op.execute(
        "UPDATE intake_file SET office_id = "
        "(SELECT staff.office_id FROM staff WHERE staff.id = intake_file.received_by_id)"
    )
    op.execute(
        "UPDATE task SET office_id = "
        "(SELECT intake_file.office_id FROM intake_file WHERE intake_file.task_id = task.id) "
        "WHERE task.office_id IS NULL AND task.id IN (SELECT task_id FROM intake_file)"
    )


def downgrade() -> None:
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_intake_file_office_id_office"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_intake_file_office_id"))
        batch_op.drop_column("office_id")
