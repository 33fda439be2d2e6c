"""Text fields that never hold control characters.

Typing cannot put an ESC into a field, but a paste or a value set from stored data can, and the
field would then write it to the terminal as it draws itself. These fields drop control
characters (and, in one-line fields, turn newlines and tabs into spaces) whatever the source.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from caseterm.core.text import strip_controls


class PlainInput(Input):
    """An `Input` whose value is always free of control characters."""

    def validate_value(self, value: str) -> str:
        return strip_controls(value)

    async def _on_key(self, event: events.Key) -> None:
        """Keys typed ahead after a Tab go to the field the Tab moved to. The app hands each key
        to the field focused when it reads it, and a Tab (a binding) moves focus only once the
        key has gone up from the field, so in a burst ("300⇥20", a fast typist, a slow SSH
        link) the keys after the Tab would land in this field. Here the Tab moves focus at once,
        and a key that reaches this field after focus has left it is handed on."""
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
        elif event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()


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
