"""What the incoming item form holds: its single-key pickers (kind, priority), the form as typed
(also the shape of its draft), reading the date of birth, and which field a service refusal
names."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.tui.widgets.key_picker import KeyPicker, key_bindings

# Single keys for the kinds ("m" for a phone message: "p" is the post).
INCOMING_KIND_KEYS: dict[str, str] = {
    "r": "new_referral",
    "p": "post_in",
    "m": "phone_message",
    "w": "walk_in",
}
INCOMING_KIND_LABELS = {kind: TASK_KINDS[kind] for kind in INCOMING_KINDS}

PRIORITY_KEYS = {"1": "1", "2": "2", "3": "3", "4": "4"}
PRIORITY_LABELS = {"1": "urgent", "2": "high", "3": "normal", "4": "low"}

# Service field names -> the form field whose error line shows the message.
FIELD_OF = {
    "kind": "kind",
    "title": "summary",
    "summary": "summary",
    "about": "name",
    "about_name": "name",
    "date of birth": "dob",
    "about_dob": "dob",
    "source": "source",
    "office": "office",
    "priority": "priority",
    "details": "details",
}
# Each form field as its label names it, for error messages.
FIELD_LABELS = {
    "kind": "Kind",
    "summary": "Summary",
    "name": "Name",
    "dob": "Date of birth",
    "source": "From",
    "priority": "Priority",
    "details": "Details",
    "office": "Office",
}
FIELDS = tuple(FIELD_LABELS)


class IncomingKindKeys(KeyPicker):
    """The kind of incoming item, picked with one key."""

    KEYS = INCOMING_KIND_KEYS
    LABELS = INCOMING_KIND_LABELS
    TITLE = "Kind"
    BINDINGS = key_bindings(INCOMING_KIND_KEYS, INCOMING_KIND_LABELS, "incoming_kind")


class PriorityKeys(KeyPicker):
    """Priority 1 (urgent) to 4 (low)."""

    KEYS = PRIORITY_KEYS
    LABELS = PRIORITY_LABELS
    TITLE = "Priority"
    BINDINGS = key_bindings(PRIORITY_KEYS, PRIORITY_LABELS, "incoming_priority")


@dataclass(frozen=True)
class IncomingForm:
    """What the form holds, as typed."""

    kind: str | None = None
    summary: str = ""
    name: str = ""
    dob: str = ""
    source: str = ""
    priority: str = "3"
    details: str = ""
    office: str = ""  # the code of the office it arrived at (filled with the user's own)

    @property
    def is_blank(self) -> bool:
        """Nothing typed or picked (the priority, or the office filled in for the user, alone is
        not worth asking about)."""
        return not (
            self.kind
            or self.summary.strip()
            or self.name.strip()
            or self.dob.strip()
            or self.source.strip()
            or self.details.strip()
        )

    def as_draft(self) -> dict[str, Any] | None:
        """What a draft of this form holds: nothing at all if it is blank."""
        return None if self.is_blank else asdict(self)

    @classmethod
    def from_draft(cls, data: dict[str, Any]) -> IncomingForm:
        """A stored draft back as a form; a kind or priority no longer offered is dropped."""
        kind, priority = data.get("kind"), data.get("priority")

        def text(name: str) -> str:
            value = data.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            kind=kind if isinstance(kind, str) and kind in INCOMING_KIND_LABELS else None,
            summary=text("summary"),
            name=text("name"),
            dob=text("dob"),
            source=text("source"),
            priority=priority if isinstance(priority, str) and priority in PRIORITY_KEYS else "3",
            details=text("details"),
            office=text("office"),
        )


def read_dob(text: str) -> date | None:
    """The date of birth as typed (empty is none); raises ValidationError naming `about_dob`."""
    if not text.strip():
        return None
    born = parse_uk_date(text, field="about_dob")
    if not date(1900, 1, 1) <= born <= clock.today():
        raise ValidationError("about_dob", "must be between 1900 and today")
    return born


def show_dob(born: date) -> str:
    today = clock.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{born:%a %d %b %Y} (aged {age})"


@dataclass(frozen=True)
class Logged:
    task_id: int
    kind: str
    summary: str
