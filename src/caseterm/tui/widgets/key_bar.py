"""The bottom line: the keys of what is on screen, `? Help` always at its right end.

Textual's Footer lays out one widget per key and, at 80 columns, simply loses the keys that do
not fit, `? Help` among them. This bar is one line of text: keys in the order the screen and
the focused widget declare them, as many as fit, then `…` when some were left out, and
`? Help` pinned to the right so the full list is always one key away. Keys are two spaces
apart, or one when that makes them all fit. A key is shown once however many widgets bind
it, and a disabled one is dimmed. Clicking a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from caseterm.tui import symbols

HELP_ACTION = "help"
WIDE, NARROW = "  ", " "  # between keys


@dataclass(frozen=True)
class KeyItem:
    key: str  # the key as Textual names it, pressed when the item is clicked
    shown: str  # the key as people read it: `?`, `^s`, `⏎`
    label: str
    enabled: bool

    @property
    def width(self) -> int:
        return cell_len(self.shown) + 1 + cell_len(self.label)


class KeyBar(Widget):
    """One line of key hints for the current screen; see the module docstring."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each shown item

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def items(self) -> tuple[list[KeyItem], KeyItem | None]:
        """The keys to show, in order, and the help key (kept apart: it is always shown)."""
        seen: set[str] = set()
        items: list[KeyItem] = []
        help_item: KeyItem | None = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            item = self._item(binding, enabled)
            if binding.action == HELP_ACTION:
                help_item = item
            else:
                items.append(item)
        return items, help_item

    def _item(self, binding: Binding, enabled: bool) -> KeyItem:
        shown = symbols.current().key(self.app.get_key_display(binding))
        return KeyItem(binding.key.split(",")[0], shown, binding.description, enabled)

    def render(self) -> Content:
        items, help_item = self.items()
        width = self.size.width
        limit = width - 1 - (help_item.width + len(WIDE) if help_item else 0)
        # Two spaces between keys, or one if that is what makes them all fit.
        gap = NARROW if _span(items, WIDE) > limit >= _span(items, NARROW) else WIDE
        more = symbols.current().ellipsis
        parts: list[Content | str | tuple[str, str]] = [" "]
        self._spans = []
        x = 1
        for i, item in enumerate(items):
            sep = gap if i else ""
            ellipsis_room = 0 if i == len(items) - 1 else len(gap) + len(more)  # " …" after it
            if x + len(sep) + item.width + ellipsis_room > limit:
                parts.append((sep + more, "$footer-description-foreground"))
                x += len(sep) + len(more)
                break
            parts.extend((sep, self._render_item(item)))
            x += len(sep)
            self._spans.append((x, x + item.width, item.key))
            x += item.width
        if help_item is not None:
            start = max(width - help_item.width - 1, x + len(WIDE))
            parts.extend((" " * (start - x), self._render_item(help_item)))
            self._spans.append((start, start + help_item.width, help_item.key))
        return Content.assemble(*parts)

    @staticmethod
    def _render_item(item: KeyItem) -> Content:
        key_style = "bold $footer-key-foreground" if item.enabled else "dim"
        label_style = "$footer-description-foreground" if item.enabled else "dim"
        return Content.assemble((item.shown, key_style), " ", (item.label, label_style))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return


def _span(items: list[KeyItem], gap: str) -> int:
    """Where the last of `items` ends, from the bar's left edge (after its one-space margin)."""
    return 1 + sum(item.width for item in items) + len(gap) * max(len(items) - 1, 0)
