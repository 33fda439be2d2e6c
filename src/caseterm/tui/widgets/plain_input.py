"""Text fields that never hold control characters.

Typing cannot put an ESC into a field, but a paste or a value set from stored data can, and the
field would then write it to the terminal as it draws itself. These fields drop control
characters (and, in one-line fields, turn newlines and tabs into spaces) whatever the source.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from caseterm.core.text import strip_controls


class PlainInput(Input):
    """An `Input` whose value is always free of control characters."""

    def validate_value(self, value: str) -> str:
        return strip_controls(value)


def scrub_text_area(area: TextArea) -> bool:
    """Remove control characters (other than newline and tab) from a `TextArea`, keeping the
    cursor at the end of the text; True if anything was removed. Call it on `TextArea.Changed`."""
    text = area.text
    cleaned = strip_controls(text, multiline=True)
    if cleaned == text:
        return False
    area.load_text(cleaned)
    area.move_cursor(area.document.end)
    return True
