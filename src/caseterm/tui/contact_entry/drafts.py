"""The contact form's drafts: one per member of staff and case (key: the case id), what is kept
of the form, and the start-up line naming unsaved entries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.core.services import drafts
from caseterm.core.services.drafts import CaseDraft
from caseterm.core.services.identity import Actor

DRAFT_KIND = "contact_entry"
SHOWN_AT_MOST = 3
PendingDraft = CaseDraft


@dataclass(frozen=True)
class ContactForm:
    """What the form holds; also the shape of the stored draft."""

    contact_type: str | None = None
    outcome: str = ""
    when: str = "now"
    notes: str = ""
    sensitive: bool = False

    @property
    def is_blank(self) -> bool:
        return self == ContactForm()

    def as_draft(self, when_at: datetime | None) -> dict[str, Any] | None:
        """The draft to keep (None if nothing is typed), with the moment the "when" field meant
        as it was typed, so that a draft restored later keeps that time, not the restore time."""
        if self.is_blank:
            return None
        data = asdict(self)
        if when_at is not None:
            data["when_at"] = when_at.isoformat()
        return data

    @classmethod
    def from_draft(cls, data: dict[str, Any]) -> ContactForm:
        """A stored draft back as a form; values no longer in the catalogue are dropped, and the
        "when" becomes the moment it meant when it was typed ("now" an hour ago is that time)."""
        kind, outcome = data.get("contact_type"), data.get("outcome")
        when = str(data.get("when") or "now")
        try:
            when_at = datetime.fromisoformat(str(data["when_at"]))
        except (KeyError, ValueError):
            pass
        else:
            when = f"{when_at:%d/%m/%Y %H:%M}"
        return cls(
            contact_type=kind if kind in CONTACT_TYPES else None,
            outcome=outcome if isinstance(outcome, str) and outcome in OUTCOMES else "",
            when=when,
            notes=str(data.get("notes") or ""),
            sensitive=bool(data.get("sensitive")),
        )


def draft_summary(data: dict[str, Any]) -> str | None:
    """What the restore question shows of a stored draft; None if there is nothing in it."""
    form = ContactForm.from_draft(data)
    if form.is_blank or form == ContactForm(when=form.when):
        return None
    return form.notes or "(no notes)"


def pending_contact_drafts(session: Session, actor: Actor) -> list[PendingDraft]:
    """The actor's unsaved contact entries, newest first (drafts for cases since deleted are
    left out)."""
    return drafts.case_drafts(session, actor, kind=DRAFT_KIND)


def describe_pending(pending: list[PendingDraft]) -> str:
    shown = [f"{p.reference} ({p.updated_at:%d/%m %H:%M})" for p in pending[:SHOWN_AT_MOST]]
    more = len(pending) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    noun = "entry" if len(pending) == 1 else "entries"
    return (
        f"Unsaved contact {noun}: {listed}. Open the case and press n to restore "
        f"{'it' if len(pending) == 1 else 'them'}."
    )
