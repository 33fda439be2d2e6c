"""At start-up: say which contact entries, and which incoming item, were typed and never saved
(an SSH drop, a killed terminal), so nobody has to remember. Opening the contact form on that
case offers each entry back; `I` offers the incoming item back.

The app calls `announce_pending_drafts(self)` once, a moment after start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from caseterm.core.services.identity import Actor
from caseterm.tui.contact_entry.drafts import (
    DRAFT_KIND,
    PendingDraft,
    describe_pending,
    pending_contact_drafts,
)
from caseterm.tui.dbwork import run_db
from caseterm.tui.incoming.drafts import (
    INCOMING_DRAFT_KEY,
    INCOMING_DRAFT_KIND,
    PendingIncoming,
    describe_incoming,
    pending_incoming_draft,
)
from caseterm.tui.safe import clean


@dataclass(frozen=True)
class UnsavedWork:
    contacts: list[PendingDraft]
    incoming: PendingIncoming | None

    def describe(self) -> str:
        """A line for each kind of unsaved work; empty if there is none."""
        lines = [describe_pending(self.contacts)] if self.contacts else []
        if self.incoming is not None:
            lines.append(describe_incoming(self.incoming))
        return "\n".join(lines)


def unsaved_work(session: Session, actor: Actor) -> UnsavedWork:
    return UnsavedWork(
        pending_contact_drafts(session, actor), pending_incoming_draft(session, actor)
    )


def announce_pending_drafts(app: Any) -> None:
    """Look for the acting member of staff's unsaved contact entries and incoming item and, if
    there are any, show one notification naming them."""
    actor = app.ctx.actor

    def shown(found: UnsavedWork) -> None:
        # The read may come late on a busy host: a draft a form of this session has written
        # meanwhile is work being typed now, not work left unsaved.
        mine: set[tuple[str, str]] = getattr(app, "drafts_written", set())
        found = UnsavedWork(
            [c for c in found.contacts if (DRAFT_KIND, str(c.case_id)) not in mine],
            None if (INCOMING_DRAFT_KIND, INCOMING_DRAFT_KEY) in mine else found.incoming,
        )
        text = found.describe()
        if text:
            app.notify(
                clean(text, multiline=True),
                title="Unsaved work",
                severity="warning",
                timeout=15,
                markup=False,
            )

    run_db(app, lambda s: unsaved_work(s, actor), done=shown, group="drafts")
