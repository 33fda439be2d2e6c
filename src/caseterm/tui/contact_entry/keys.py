"""The contact form's type and outcome, each picked with one key."""

from __future__ import annotations

from caseterm.core.rules.catalogue import CONTACT_TYPE_KEYS, CONTACT_TYPES, OUTCOME_KEYS, OUTCOMES
from caseterm.tui.widgets.key_picker import KeyPicker, key_bindings


class ContactTypeKeys(KeyPicker):
    """The contact type, picked with `CONTACT_TYPE_KEYS`."""

    KEYS = CONTACT_TYPE_KEYS
    LABELS = CONTACT_TYPES
    TITLE = "Type"
    BINDINGS = key_bindings(CONTACT_TYPE_KEYS, CONTACT_TYPES, "contact_type")


class ContactOutcomeKeys(KeyPicker):
    """The outcome, picked with `OUTCOME_KEYS` (0 = no outcome)."""

    KEYS = OUTCOME_KEYS
    LABELS = OUTCOMES
    TITLE = "Outcome"
    BINDINGS = key_bindings(OUTCOME_KEYS, OUTCOMES, "outcome")
