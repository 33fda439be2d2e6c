"""What Alembic's autogenerate compares: everything but SQLite's FTS5 tables made by hand."""

from __future__ import annotations


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave SQLite's FTS5 shadow tables (created by hand in migration 0001) out of comparisons."""
    return not (type_ == "table" and name is not None and name.startswith("person_name_fts"))
