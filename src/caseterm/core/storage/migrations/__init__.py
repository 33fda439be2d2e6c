"""Alembic revisions of the schema. `MIGRATIONS_DIR` is where Alembic finds them."""

from pathlib import Path

MIGRATIONS_DIR = Path(__file__).parent
