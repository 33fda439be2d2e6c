"""At start-up: say which contact entries, and which incoming item, were typed and never saved
(an SSH drop, a killed terminal), so nobody has to remember. Opening the contact form on that
case offers each entry back; `I` offers the incoming item back.

The app calls `announce_pending_drafts(self)` once, from `on_mount`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from caseterm.core.models import CaseFile
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.services import drafts
from caseterm.core.services.identity import Actor
from caseterm.tui.dbwork import run_db
from caseterm.tui.safe import clean
from caseterm.tui.widgets.contact_entry_modals import excerpt

DRAFT_KIND = "contact_entry"
SHOWN_AT_MOST = 3
# The incoming item form keeps one draft per member of staff: "my unsaved incoming item".
INCOMING_DRAFT_KIND = "incoming_item"
INCOMING_DRAFT_KEY = "mine"


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


@dataclass(frozen=True)
class PendingIncoming:
    what: str  # e.g. "Post in — Letter from court re hearing"
    updated_at: datetime


def incoming_draft_summary(data: dict[str, Any]) -> str:
    """One line naming a stored incoming item draft: its kind and summary, or failing the
    summary whom it is about, or its first words of details."""
    kind = data.get("kind")
    label = TASK_KINDS[kind] if isinstance(kind, str) and kind in INCOMING_KINDS else ""
    text = next(
        (
            excerpt(str(data.get(name) or ""), 80)
            for name in ("summary", "name", "details")
            if str(data.get(name) or "").strip()
        ),
        "",
    )
    return " — ".join(part for part in (label, text) if part) or "(nothing typed)"


def incoming_draft(session: Session, actor: Actor) -> drafts.DraftInfo | None:
    """The actor's stored incoming item draft, if there is one."""
    found = drafts.list_drafts(session, actor, kind=INCOMING_DRAFT_KIND)
    return next((info for info in found if info.key == INCOMING_DRAFT_KEY), None)


def pending_incoming_draft(session: Session, actor: Actor) -> PendingIncoming | None:
    """The actor's unsaved incoming item, if there is one."""
    info = incoming_draft(session, actor)
    return PendingIncoming(incoming_draft_summary(info.data), info.updated_at) if info else None


def describe_incoming(pending: PendingIncoming) -> str:
    return (
        f"Unsaved incoming item: {pending.what} ({pending.updated_at:%d/%m %H:%M}). "
        "Press I to restore it."
    )


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
