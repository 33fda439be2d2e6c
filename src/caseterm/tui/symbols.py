"""The app's own symbols, in Unicode or in plain ASCII.

A terminal that is not UTF-8 (`LANG=C` with a non-UTF-8 client) shows "…" and "·" as junk, and
the Linux console's fonts have no "⏎" or "🔎". There the app draws its own symbols in ASCII:
`...` for a cut, `Enter` for the enter key, `-` between items, `+-|` for box lines. Stored names
and notes are never changed: only what caseterm itself draws.

`current()` is the set in use, chosen once at start-up (`use_ascii`, from `terminal_caps`).
`AsciiFilter` is the net under it: a Textual line filter that turns the box lines, blocks and
symbols Textual draws (borders, tab underlines, scrollbars, the palette's 🔎) into ASCII of
the same width, so the layout is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter


@dataclass(frozen=True)
class Symbols:
    ellipsis: str  # the end of a cut text
    dot: str  # between items on one line
    dash: str  # between a title and its details
    warning: str  # before a warning
    cross: str  # before an error in a form
    keys: dict[str, str]  # a key's display as Textual gives it -> as shown here

    def key(self, shown: str) -> str:
        """A key as people read it on this terminal (`⏎` -> `Enter` in ASCII)."""
        return self.keys.get(shown, shown)


UNICODE = Symbols(ellipsis="…", dot="·", dash="—", warning="⚠", cross="✗", keys={})
ASCII = Symbols(
    ellipsis="...",
    dot="-",
    dash="-",
    warning="!",
    cross="x",
    keys={
        "⏎": "Enter",
        "↑": "Up",
        "↓": "Down",
        "←": "Left",
        "→": "Right",
        "⇥": "Tab",
        "⇤": "S-Tab",
        "⌫": "Bksp",
        "⌦": "Del",
        "␣": "Space",
    },
)

_current = UNICODE


def use_ascii(ascii: bool) -> None:
    """Choose the set for this process (one terminal per process)."""
    global _current
    _current = ASCII if ascii else UNICODE


def current() -> Symbols:
    return _current


def _same_width_table() -> dict[int, str]:
    """Symbols Textual and our widgets draw -> ASCII of the same cell width."""
    table: dict[int, str] = {}
    # Box drawing (U+2500–U+257F): lines to - and |, corners and crossings to +.
    for code in range(0x2500, 0x2580):
        name_char = chr(code)
        if name_char in "─━┄┅┈┉╌╍═╼╾╴╶╸╺":
            table[code] = "-"
        elif name_char in "│┃┆┇┊┋╎╏║╽╿╵╷╹╻":
            table[code] = "|"
        else:
            table[code] = "+"
    # Block elements (U+2580–U+259F): scrollbars, tall borders, tab underlines.
    for code in range(0x2580, 0x25A0):
        table[code] = " "
    for code in (0x2588, 0x2589, 0x258A, 0x258B, 0x2590, 0x258C, 0x2593, 0x2592):
        table[code] = "#"
    table[0x2581] = "_"
    table[0x2594] = "-"
    table.update(
        {
            ord("…"): ".",
            ord("·"): "-",
            ord("—"): "-",
            ord("–"): "-",
            ord("⏎"): "J",
            ord("⚠"): "!",
            ord("✗"): "x",
            ord("✓"): "v",
            ord("✔"): "v",
            ord("•"): "*",
            ord("●"): "*",
            ord("○"): "o",
            ord("◀"): "<",
            ord("▶"): ">",
            ord("▼"): "v",
            ord("▲"): "^",
            ord("←"): "<",
            ord("→"): ">",
            ord("↑"): "^",
            ord("↓"): "v",
            ord("‘"): "'",
            ord("’"): "'",
            ord("“"): '"',
            ord("”"): '"',
            0x1F50E: "? ",  # 🔎 (two cells wide) in the command palette
            0x1F50D: "? ",  # 🔍
        }
    )
    return table


class AsciiFilter(LineFilter):
    """Turns the drawn symbols of each line into ASCII of the same width (see the module
    docstring). Letters are left alone: a name is shown as stored."""

    TABLE = _same_width_table()

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        table = self.TABLE
        return [
            Segment(text.translate(table), style, control) if not text.isascii() else segment
            for segment in segments
            for text, style, control in (segment,)
        ]
