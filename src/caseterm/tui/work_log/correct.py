"""`e` on the contact log: correct an entry. A new entry with what is typed here supersedes it,
with the reason; the original stays in the log, marked corrected. Correcting an appointment's
outcome withdraws the follow-up and enforcement tasks the first outcome raised, if still open."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.core.rules.when import parse_when
from caseterm.core.services import contacts
from caseterm.core.services.identity import Actor
from caseterm.tui.safe import uk_datetime
from caseterm.tui.work_log.form import Field, SmallForm

WHEN_FORMAT = "%d/%m/%Y %H:%M"


class CorrectEntryScreen(SmallForm):
    TITLE_TEXT = "Contact correction"
    DRAFT_KIND = "contact_correction"
    SAVING = "saving the correction"

    def __init__(self, entry: contacts.ContactInfo) -> None:
        self.entry_id = entry.id or 0
        about = (
            f"Correcting entry {entry.id} of {uk_datetime(entry.occurred_at)} "
            f"({contacts.describe(entry.contact_type, entry.outcome)}). The original stays in "
            "the log, marked corrected."
        )
        super().__init__(
            key=str(self.entry_id),
            about=about,
            initial={
                "reason": "",
                "when": f"{entry.occurred_at:{WHEN_FORMAT}}",
                "contact_type": entry.contact_type,
                "outcome": entry.outcome or "-",
                "notes": entry.notes,
            },
        )

    def fields(self) -> list[Field]:
        return [
            Field("reason", "Reason", placeholder="why it is corrected (required)"),
            Field("when", "When", placeholder="DD/MM/YYYY HH:MM", names=("occurred_at",)),
            Field(
                "contact_type",
                "Type",
                "choice",
                options=tuple((text, key) for key, text in CONTACT_TYPES.items()),
            ),
            Field(
                "outcome",
                "Outcome",
                "choice",
                options=tuple((text, key or "-") for key, text in OUTCOMES.items()),
            ),
            Field("notes", "Notes", "text", placeholder="notes (ctrl+s saves)"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        entry_id = self.entry_id
        if not values["reason"].strip():
            raise ValidationError("reason", "say why the entry is corrected (required)")
        when = parse_when(values["when"], clock.now(), field="when")
        outcome = "" if values["outcome"] == "-" else values["outcome"]

        def save(session: Session) -> str:
            fixed = contacts.correct_contact(
                session,
                actor,
                entry_id=entry_id,
                reason=values["reason"],
                contact_type=values["contact_type"] or None,
                outcome=outcome,
                notes=values["notes"],
                occurred_at=when,
            )
            return (
                f"Entry {entry_id} corrected by entry {fixed.id}: "
                f"{contacts.describe(fixed.contact_type, fixed.outcome)}"
            )

        return save
