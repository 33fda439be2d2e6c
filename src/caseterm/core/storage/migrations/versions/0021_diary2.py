"""clock rules name the letter a clock's step issues

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-03

`clock_rule.letter_template` names, by template code, the letter the clock's task should issue
(the tribunal statement's cover letter, a breach notice); a clock started under the rule keeps
the code it was started with in `case_clock.letter_template`, shown beside the clock and offered
when its task is worked. Empty where a rule names none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("clock_rule", "case_clock"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "letter_template", sa.String(length=30), nullable=False, server_default=""
                )
            )


def downgrade() -> None:
    for table in ("case_clock", "clock_rule"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("letter_template")
