"""appointment: a member of staff's appointments with their whole window in the index

A team's diary day (the diary screen's page and its count by status) finds the appointments of
the team's members by `appointment (staff_id, starts_at, status)`, then read every one of them
from the table to test its end (`ends_at > the day's start`: the window reaches back a day for
appointments running over midnight) and to count them: on the extra-large demo a team of 337
has about 1,000 appointments a day and as many the day before, each a page read the first time a
day is shown. With the end in the index the window, the count by status and the order of the
page are answered from the index alone; only the page's 100 rows are read from the table.

- `appointment (staff_id, starts_at, ends_at, status, id)` replaces `(staff_id, starts_at,
  status)`, whose reads it serves the same way (the id: PostgreSQL's index-only scans need every
  column read; SQLite has it in every index anyway).

Revision ID: 0036
Revises: 0034
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0036"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("ix_appointment_staff_start_status", ["staff_id", "starts_at", "status"])
NEW = ("ix_appointment_staff_window", ["staff_id", "starts_at", "ends_at", "status", "id"])


def upgrade() -> None:
    op.create_index(NEW[0], "appointment", NEW[1])
    op.drop_index(OLD[0], table_name="appointment")


def downgrade() -> None:
    op.create_index(OLD[0], "appointment", OLD[1])
    op.drop_index(NEW[0], table_name="appointment")
