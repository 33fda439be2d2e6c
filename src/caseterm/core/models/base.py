"""Shared pieces of the table models: naming convention, version column, timestamps."""

from __future__ import annotations

from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import Column, Integer, MetaData
from sqlmodel import Field, SQLModel

from caseterm.core import clock

# Stable constraint names, so Alembic batch migrations on SQLite can find them again.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

# Pydantic builds each model's validator and serializer when first used rather than when the
# class is defined: start-up defines 31 tables and uses few of them (saves ~20 ms per start).
# Set before any table class exists, so every one inherits it.
SQLModel.model_config["defer_build"] = True


def version_column() -> Any:
    """A fresh `version` column for optimistic locking (used as the mapper's version_id_col)."""
    return Column("version", Integer, nullable=False, default=1)


def versioned(col: Any) -> dict[str, Any]:
    return {"version_id_col": col}


def created_field() -> Any:
    return Field(default_factory=clock.now, nullable=False)


class Edited(SQLModel):
    """Columns every record people edit carries: who changed it last and when."""

    created_at: NaiveDatetime = Field(default_factory=clock.now, nullable=False)
    updated_at: NaiveDatetime = Field(default_factory=clock.now, nullable=False)
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")
