"""Only the cells that changed go to the terminal: for thin links (SSH).

Textual repaints whole widgets, and a new screen or a changed layout repaints the whole
terminal, several times while a screen fills in: opening a case wrote 45 KB at 120×40, one
character typed in a text area 9 KB. Over SSH every byte crosses the link. Here the app keeps
what the terminal shows, cell by cell (character and style), and each update Textual makes is
cut down to the runs of cells that differ from it: typing a character writes that character
and the cursor; a screen that looks like the last one costs nearly nothing. Each style is sent
only as far as it differs from the terminal's current one (`Pen`), where Textual sets the whole
style before every piece of text and resets it after (about half the bytes of a new screen).

The model is forgotten whenever the terminal may have been drawn on by someone else (a resize,
suspend and resume), so the next update is written whole.

Set up by `terminal_caps.configure` over SSH: it wraps the app's `_display`, the one place
Textual hands a finished update to the terminal (a private method: checked by the tests
whenever Textual is upgraded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, ClassVar

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.strip import SGR_STYLES, Strip

# Textual's update kinds, which this module reads (Textual keeps them in a private module; its
# tests, and ours, take them from here so only this module depends on where they live).
__all__ = ["ChopsUpdate", "CompositorUpdate", "LayoutUpdate", "ScreenModel", "install"]

Cell = tuple[str, Style | None]  # a character (with any combining marks) and its style
WIDE_TAIL = ""  # the right half of a double-width character
UNKNOWN: Cell = ("\0", None)  # never equal to anything drawn
GAP = 6  # unchanged cells between two changed runs written anyway (cheaper than a move)


def _move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


def _pieces(update: CompositorUpdate) -> Iterator[tuple[int, int, Strip]]:
    """(y, x, strip) for each piece of `update`, as its own `render_segments` would write."""
    if isinstance(update, LayoutUpdate):
        for y, line in enumerate(update.strips, update.region.y):
            x = update.region.x
            for strip in line:
                yield y, x, strip
                x += strip.cell_length
    elif isinstance(update, ChopsUpdate):
        for y, x1, x2 in update.spans:
            for end, (x, chop) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if chop is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    chop = chop.crop(0, min(end, x2) - x)
                yield y, x, chop


def _cells(strip: Strip) -> list[Cell]:
    cells: list[Cell] = []
    for text, style, control in strip:
        if control:
            continue
        for char in text:
            width = get_character_cell_size(char)
            if width == 0 and cells:  # a combining mark joins the character before it
                last_char, last_style = cells[-1]
                cells[-1] = (last_char + char, last_style)
            elif width == 2:
                cells.append((char, style))
                cells.append((WIDE_TAIL, style))
            elif width == 1:
                cells.append((char, style))
    return cells


class ScreenModel:
    """What the terminal shows, and the writes that bring it up to date."""

    def __init__(self) -> None:
        self.width = 0
        self.height = 0
        self.rows: list[list[Cell]] = []

    def forget(self, width: int | None = None, height: int | None = None) -> None:
        """The terminal's contents are unknown: the next update is written in full."""
        self.width = self.width if width is None else width
        self.height = self.height if height is None else height
        self.rows = [[UNKNOWN] * self.width for _ in range(self.height)]

    def render(self, update: CompositorUpdate, console: Console, width: int, height: int) -> str:
        if (width, height) != (self.width, self.height):
            self.forget(width, height)
        changed: dict[int, set[int]] = {}
        for y, x, strip in _pieces(update):
            if not 0 <= y < self.height:
                continue
            row = self.rows[y]
            for offset, cell in enumerate(_cells(strip)):
                cx = x + offset
                if 0 <= cx < self.width and row[cx] != cell:
                    row[cx] = cell
                    changed.setdefault(y, set()).add(cx)
        out: list[str] = []
        pen = Pen(console._color_system or ColorSystem.TRUECOLOR)
        for y in sorted(changed):
            for start, end in self._runs(y, sorted(changed[y])):
                out.append(_move_to(start, y))
                out.append(self._render_run(y, start, end, pen))
        out.append(pen.reset())
        return "".join(out)

    def _runs(self, y: int, xs: list[int]) -> Iterator[tuple[int, int]]:
        """Runs [start, end) covering `xs`, joined across short gaps, never splitting a
        double-width character."""
        row = self.rows[y]
        start = end = xs[0]
        for x in xs:
            if x - end > GAP:
                yield self._whole(row, start, end + 1)
                start = x
            end = x
        yield self._whole(row, start, end + 1)

    @staticmethod
    def _whole(row: list[Cell], start: int, end: int) -> tuple[int, int]:
        while start > 0 and row[start][0] == WIDE_TAIL:
            start -= 1
        while end < len(row) and row[end][0] == WIDE_TAIL:
            end += 1
        return start, end

    def _render_run(self, y: int, start: int, end: int, pen: Pen) -> str:
        out: list[str] = []
        text: list[str] = []
        style: Style | None = None
        for char, cell_style in self.rows[y][start:end]:
            if char == UNKNOWN[0]:
                char, cell_style = " ", None
            if cell_style != style and text:
                out.append(pen.write("".join(text), style))
                text = []
            style = cell_style
            text.append(char)
        if text:
            out.append(pen.write("".join(text), style))
        return "".join(out)


@lru_cache(maxsize=4096)
def _sgr(style: Style, color_system: ColorSystem) -> tuple[frozenset[str], str, str]:
    """A style as the terminal takes it: its attribute codes, foreground and background codes
    (as Textual's Strip.render writes them; "" for the terminal's default colour)."""
    bits = style._attributes & style._set_attributes
    attrs = frozenset(SGR_STYLES[i] for i in range(bits.bit_length()) if bits & (1 << i))
    fg = ";".join(style._color.downgrade(color_system).get_ansi_codes()) if style._color else ""
    bg = style._bgcolor
    return attrs, fg, ";".join(bg.downgrade(color_system).get_ansi_codes(False)) if bg else ""


class Pen:
    """Writes styled text, sending only the part of each style that differs from the one the
    terminal is already in. Textual's own rendering sets the whole style before every piece
    of text and resets it after (about half the bytes of a screen); the terminal ends up in
    the same state either way. `reset()` at the end of an update leaves it as Textual would."""

    NONE: ClassVar[tuple[frozenset[str], str, str]] = (frozenset(), "", "")

    def __init__(self, color_system: ColorSystem) -> None:
        self.color_system = color_system
        self.state = self.NONE

    def write(self, text: str, style: Style | None) -> str:
        if style is not None and style._link:
            # A hyperlink: written whole by Textual, from and back to the plain state.
            return self.reset() + Strip.render_style(style, text, self.color_system)
        want = self.NONE if style is None else _sgr(style, self.color_system)
        return self._change(want) + text

    def reset(self) -> str:
        return self._change(self.NONE, whole=True)

    def _change(self, want: tuple[frozenset[str], str, str], *, whole: bool = False) -> str:
        have, self.state = self.state, want
        if want == have:
            return ""
        attrs, fg, bg = want
        if whole or not have[0] <= attrs:  # an attribute goes off: start from plain
            codes = ["0"] if have != self.NONE else []
            codes += sorted(attrs)
            codes += [c for c in (fg, bg) if c]
            return f"\x1b[{';'.join(codes)}m" if codes else ""
        codes = sorted(attrs - have[0])
        if fg != have[1]:
            codes.append(fg or "39")
        if bg != have[2]:
            codes.append(bg or "49")
        return f"\x1b[{';'.join(codes)}m"


class _Written(CompositorUpdate):
    """An update already turned into the terminal's bytes."""

    def __init__(self, data: str) -> None:
        self.data = data

    def render_segments(self, console: Console) -> str:
        return self.data


def install(app: App[Any]) -> ScreenModel:
    """Make `app` write only what changed (see the module docstring)."""
    model = ScreenModel()
    display: Callable[[Any, Any], None] = app._display
    listening = False

    def thin_display(screen: Any, renderable: Any) -> None:
        nonlocal listening
        if not listening and app.is_running:
            # Someone else may have drawn on the terminal meanwhile (a shell while suspended).
            listening = True
            for signal in (app.app_suspend_signal, app.app_resume_signal):
                signal.subscribe(app, lambda _app: model.forget(), immediate=True)
        if isinstance(renderable, (LayoutUpdate, ChopsUpdate)) and not app.is_headless:
            size = app.size
            renderable = _Written(model.render(renderable, app.console, size.width, size.height))
        display(screen, renderable)

    app._display = thin_display  # type: ignore[method-assign]
    return model
