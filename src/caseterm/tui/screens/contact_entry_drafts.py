"""At start-up: say which contact entries were typed and never saved (an SSH drop, a killed
terminal), so nobody has to remember. Opening the contact form on that case offers each back.

The app calls `announce_pending_drafts(self)` once, from `on_mount`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from caseterm.core.models import CaseFile
from caseterm.core.services import drafts
from caseterm.core.services.identity import Actor
from caseterm.tui.dbwork import run_db
from caseterm.tui.safe import clean

DRAFT_KIND = "contact_entry"
SHOWN_AT_MOST = 3


@dataclass(frozen=True)
class PendingDraft:
    case_id: int
    reference: str
    updated_at: datetime


def pending_contact_drafts(session: Session, actor: Actor) -> list[PendingDraft]:
    """The actor's unsaved contact entries, newest first (drafts for cases since deleted are
    left out)."""
    found: list[PendingDraft] = []
    for info in drafts.list_drafts(session, actor, kind=DRAFT_KIND):
        if not info.key.isdigit():
            continue
        case = session.get(CaseFile, int(info.key))
        if case is not None and case.id is not None:
            found.append(PendingDraft(case.id, case.reference, info.updated_at))
    return found


def describe_pending(pending: list[PendingDraft]) -> str:
    shown = [f"{p.reference} ({p.updated_at:%d/%m %H:%M})" for p in pending[:SHOWN_AT_MOST]]
    more = len(pending) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    noun = "entry" if len(pending) == 1 else "entries"
    return (
        f"Unsaved contact {noun}: {listed}. Open the case and press n to restore "
        f"{'it' if len(pending) == 1 else 'them'}."
    )


def announce_pending_drafts(app: Any) -> None:
    """Look for the acting member of staff's unsaved contact entries and, if there are any,
    show a notification naming the cases."""
    actor = app.ctx.actor

    def shown(pending: list[PendingDraft]) -> None:
        if pending:
            app.notify(
                clean(describe_pending(pending)),
                title="Unsaved work",
                severity="warning",
                timeout=15,
                markup=False,
            )

    run_db(app, lambda s: pending_contact_drafts(s, actor), done=shown, group="drafts")
