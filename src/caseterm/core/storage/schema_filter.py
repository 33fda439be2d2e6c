"""What Alembic's autogenerate compares: everything but the search indexes made by hand (SQLite's
FTS5 tables in 0001, PostgreSQL's trigram index in 0004)."""

from __future__ import annotations


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave the hand-made search structures out of comparisons."""
    if type_ == "table" and name is not None and name.startswith("person_name_fts"):
        return False
    return not (type_ == "index" and name == "ix_person_name_folded_trgm")
