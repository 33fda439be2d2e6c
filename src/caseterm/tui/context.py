"""What every screen reaches through `self.app`: the database and the acting member of staff.

Screens never build SQL: they call `caseterm.core.services` through
`caseterm.tui.dbwork.run_db`, which runs the call in a thread worker with a `ctx.db.read()` or
`ctx.db.write()` session and hands the result (or the error) back on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from caseterm.core.services.identity import Actor
from caseterm.core.storage.database import Database


@dataclass
class TuiContext:
    db: Database
    actor: Actor


class HasContext(Protocol):
    """The app, as screens see it."""

    ctx: TuiContext

    def open_case(self, case_id: int) -> None:
        """Show the case detail screen for `case_id` (restricted cases show who to ask)."""

    def new_contact(self, case_id: int) -> None:
        """Open the contact log entry form for `case_id`."""
