"""Statutory clocks: clock rules, office closure days, casework events, case clocks, raised keys

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Casework events (a recall, a tribunal application, a breach referral) are recorded on a case's
timeline and start or stop its statutory clocks under the clock rules (the shipped defaults in
`core.rules.clocks`, with the rows of `clock_rule` overriding them). The scheduler raises a
task when a clock reaches its warning or its end; `raised_key`'s primary key makes each task
raised exactly once, whichever process gets there first. New tables only: nothing to convert.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clock_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("clock", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("roll_forward", sa.Boolean(), nullable=False),
        sa.Column("warn_working_days", sa.Integer(), nullable=False),
        sa.Column("task_kind", sa.String(length=30), nullable=False),
        sa.Column("team_code", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("stopped_by", sa.String(length=400), nullable=False),
        sa.Column("letter", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["staff.id"], name=op.f("fk_clock_rule_changed_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_rule")),
        sa.UniqueConstraint(
            "case_type", "event", "clock", name=op.f("uq_clock_rule_case_type_event_clock")
        ),
    )
    op.create_table(
        "office_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["staff.id"], name=op.f("fk_office_closure_added_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_closure")),
        sa.UniqueConstraint("day", name=op.f("uq_office_closure_day")),
    )
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("details", sa.String(length=2000), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_event_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff.id"], name=op.f("fk_case_event_recorded_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index("ix_case_event_case_date", "case_event", ["case_id", "event_date", "id"])
    op.create_table(
        "case_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("clock", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("warn_date", sa.Date(), nullable=True),
        sa.Column("task_kind", sa.String(length=30), nullable=False),
        sa.Column("team_code", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("stopped_by", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("late_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("warn_task_id", sa.Integer(), nullable=True),
        sa.Column("due_task_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_clock_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["case_event.id"], name=op.f("fk_case_clock_event_id_case_event")
        ),
        sa.ForeignKeyConstraint(
            ["warn_task_id"], ["task.id"], name=op.f("fk_case_clock_warn_task_id_task")
        ),
        sa.ForeignKeyConstraint(
            ["due_task_id"], ["task.id"], name=op.f("fk_case_clock_due_task_id_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_clock")),
    )
    op.create_index("ix_case_clock_status_due", "case_clock", ["status", "due_date"])
    op.create_index("ix_case_clock_status_warn", "case_clock", ["status", "warn_date"])
    op.create_index("ix_case_clock_case_status", "case_clock", ["case_id", "status", "due_date"])
    op.create_table(
        "raised_key",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_raised_key_task_id_task")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_raised_key")),
    )


def downgrade() -> None:
    op.drop_table("raised_key")
    op.drop_index("ix_case_clock_case_status", table_name="case_clock")
    op.drop_index("ix_case_clock_status_warn", table_name="case_clock")
    op.drop_index("ix_case_clock_status_due", table_name="case_clock")
    op.drop_table("case_clock")
    op.drop_index("ix_case_event_case_date", table_name="case_event")
    op.drop_table("case_event")
    op.drop_table("office_closure")
    op.drop_table("clock_rule")
