"""stock letters: existing databases get the stock text this release ships

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-03

A data migration, no schema change. A stock letter template still exactly at the text an
earlier release shipped (by SHA-256, `rules/stock_letters_shipped.toml`) is given the text this
release ships (the office's telephone in the sign-off) as its next version, with an audit event;
a template the organisation has edited is left alone (`template list` marks it "shipped text
changed" and `template diff CODE` shows the difference). See `storage/stock_refresh.py`.

Downgrading leaves the texts as they are: they are ordinary template versions, and the earlier
text is kept among the template's saved versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from caseterm.core.storage.stock_refresh import refresh_stock_texts

    refresh_stock_texts(op.get_bind())


def downgrade() -> None:
    pass
