"""Whether a database may receive the demo: `caseterm demo` refuses one that already holds
work (staff, people or cases) or has a newer schema, and says why."""

from __future__ import annotations

from sqlalchemy import func, select

from caseterm.core.errors import DatabaseError
from caseterm.core.models import CaseFile, Person, Staff
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database, check_reachable


def existing_content(url: str) -> str | None:
    """Why the database at `url` is not an empty caseterm database, or None if it is empty."""
    db = Database(url)
    try:
        try:
            check_reachable(db)
            state = migrate.schema_state(db)
        except DatabaseError as exc:
            # "<url> is not a SQLite database", "<url> is not a caseterm database (…)"
            text = str(exc)
            if text.startswith(url + " "):
                return text[len(url) + 1 :]
            raise
        if state == "newer":
            return "has a schema newer than this caseterm"
        if state == "empty":
            return None
        with db.engine.connect() as conn:
            counts = [
                (int(conn.execute(select(func.count()).select_from(model)).scalar() or 0), names)
                for model, names in (
                    (Staff, ("member of staff", "staff")),
                    (Person, ("person", "people")),
                    (CaseFile, ("case", "cases")),
                )
            ]
        held = [f"{n} {names[n != 1]}" for n, names in counts if n]
        return f"already holds {', '.join(held)}" if held else None
    finally:
        db.dispose()
