"""Focus a screen's first field at once, so type-ahead is never lost.

`Widget.focus()` takes effect at the app's next idle moment. A screen or dialog pushed by a key
shows, and the person (or a terminal relaying their typing over a slow link) goes on typing:
keys that arrive before that moment reach the screen with nothing focused and are dropped, or
land in the field only after it has selected its offered text. Setting the screen's focus
directly in `on_mount` closes that gap.
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give `widget` its screen's focus immediately (call it from `on_mount`)."""
    widget.screen.set_focus(widget)
