"""meeting attendees: several people at one booking, staff by id or guests by name

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

`appointment_attendee` holds who else comes to a booking besides its member of staff: another
member of staff (`staff_id`), or someone outside caseterm by name (`guest_name`). Clashes are
checked for every staff attendee, so it is indexed by staff and appointment.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_attendee_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_appointment_attendee_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_attendee")),
        sa.UniqueConstraint(
            "appointment_id",
            "staff_id",
            "guest_name",
            name=op.f("uq_appointment_attendee_appointment_id_staff_id_guest_name"),
        ),
    )
    with op.batch_alter_table("appointment_attendee", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointment_attendee_appointment_id", ["appointment_id"], unique=False
        )
        batch_op.create_index(
            "ix_appointment_attendee_staff", ["staff_id", "appointment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_attendee_staff")
        batch_op.drop_index("ix_appointment_attendee_appointment_id")
    op.drop_table("appointment_attendee")
