"""The incoming item form keeps one draft per member of staff ("my unsaved incoming item"): how
it is named when offered back and in the start-up line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.services import drafts
from caseterm.core.services.identity import Actor
from caseterm.tui.forms.dialogs import excerpt

INCOMING_DRAFT_KIND = "incoming_item"
INCOMING_DRAFT_KEY = "mine"


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
    return drafts.find_draft(session, actor, kind=INCOMING_DRAFT_KIND, key=INCOMING_DRAFT_KEY)


def pending_incoming_draft(session: Session, actor: Actor) -> PendingIncoming | None:
    """The actor's unsaved incoming item, if there is one."""
    info = incoming_draft(session, actor)
    return PendingIncoming(incoming_draft_summary(info.data), info.updated_at) if info else None


def describe_incoming(pending: PendingIncoming) -> str:
    return (
        f"Unsaved incoming item: {pending.what} ({pending.updated_at:%d/%m %H:%M}). "
        "Press I to restore it."
    )
