"""PostgreSQL: a trigram index on folded names, so name search's LIKE '%word%' uses an index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

SQLite has its FTS5 trigram table (0001) and needs nothing. On PostgreSQL this installs the
`pg_trgm` extension (shipped with PostgreSQL; trusted since version 13, so the database owner may
install it) and a GIN index on `person_name.folded`. Where the extension cannot be installed,
search still works, without the index; `caseterm db doctor` is the place to see it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_person_name_folded_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    installed = bind.execute(
        sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    if not installed:
        try:
            with bind.begin_nested():  # a savepoint: a refusal must not abort the upgrade
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except sa.exc.DBAPIError:
            return
    bind.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON person_name USING gin (folded gin_trgm_ops)"
        )
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
