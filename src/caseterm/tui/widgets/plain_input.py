"""Text fields that never hold control characters and never reorder what is typed.

Typing cannot put an ESC into a field, but a paste or a value set from stored data can, and the
field would then write it to the terminal as it draws itself. These fields drop control
characters (and, in one-line fields, turn newlines and tabs into spaces) whatever the source.

Textual's own fields insert a printable key at once, but an editing key bound on the field
(backspace, delete, the arrows, ctrl+k…) bubbles up to the app before its action runs. Keys that
arrive together (typed ahead over a slow SSH link, or a paste of keystrokes) were then applied out
of order: "28/11/2026", ten backspaces and "30/11/2026" left "28/11/2026" in the field. These
fields run their own editing bindings as the key arrives (Textual issue 6605), so the order holds;
`enter` is left to the app (LEFT_TO_THE_APP). Every text field in the interface is one of these
(tests/tui/test_plain_fields.py).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

from caseterm.core.text import strip_controls

# Keys whose binding is still found by the app when the key has bubbled up, as Textual does: an
# `enter` after a `tab` in the same burst must reach the field the `tab` moved to (the `tab`
# is the screen's binding and bubbles up; run at once here, the `enter` would overtake it).
LEFT_TO_THE_APP = ("enter",)


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the non-priority binding `widget` itself has for this key, as the app would once the
    key had bubbled up to it; True if one ran (the key is then spent)."""
    if event.is_printable or event.key in LEFT_TO_THE_APP:
        return False
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class PlainInput(Input):
    """An `Input` whose value is always free of control characters, and whose editing keys keep
    their place among the characters typed."""

    def validate_value(self, value: str) -> str:
        return strip_controls(value)

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)


class PlainTextArea(TextArea):
    """A `TextArea` whose editing keys keep their place among the characters typed (scrub it
    with `scrub_text_area` on `TextArea.Changed`)."""

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only or not await run_own_binding(self, event):
            await super()._on_key(event)


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
