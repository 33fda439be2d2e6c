"""Over SSH the thin output sends only the part of each style that changes (`thin_output.Pen`):
the terminal must end up showing exactly what Textual's own rendering shows — every cell's
character, colours and attributes — and in the plain state afterwards."""

from __future__ import annotations

import random

import pyte
import pytest
from rich.color import ColorSystem
from rich.style import Style
from textual.strip import Strip

from caseterm.tui.thin_output import Pen

COLOURS = [None, "#e0e0e0", "#121212", "#ffa62b", "#0178d4", "red", "bright_black"]
ATTRIBUTES = ["", "bold", "reverse", "underline italic", "strike bold", "dim"]


def _styles() -> list[Style | None]:
    """New Style objects each time: Textual caches a style's codes on the object for the first
    colour system it was rendered in (one per process in use, several in this test)."""
    styles: list[Style | None] = [None]
    for fg in COLOURS:
        for bg in COLOURS:
            for attrs in ATTRIBUTES:
                on = attrs.split()
                styles.append(
                    Style(
                        color=fg,
                        bgcolor=bg,
                        bold=("bold" in on) or None,
                        dim=("dim" in on) or None,
                        italic=("italic" in on) or None,
                        underline=("underline" in on) or None,
                        strike=("strike" in on) or None,
                        reverse=("reverse" in on) or None,
                    )
                )
    styles.append(Style(color="#ffa62b", link="https://example.org/help"))
    return styles


def _cells(data: str, width: int = 200) -> list[tuple[object, ...]]:
    screen = pyte.Screen(width, 4)
    pyte.Stream(screen).feed(data + "Z")  # Z: how the terminal writes after the update
    return [
        (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
        for y in range(4)
        for c in (screen.buffer[y][x] for x in range(width))
    ]


@pytest.mark.parametrize("system", [ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT])
@pytest.mark.parametrize("seed", range(20))
def test_the_pen_paints_what_textual_paints(seed: int, system: ColorSystem) -> None:
    rng, styles = random.Random(seed), _styles()
    pieces = [(rng.choice("abc xyz"), rng.choice(styles)) for _ in range(120)]
    textual = "".join(
        text if style is None else Strip.render_style(style, text, system) for text, style in pieces
    )
    pen = Pen(system)
    thin = "".join(pen.write(text, style) for text, style in pieces) + pen.reset()
    assert _cells(thin) == _cells(textual)
    assert len(thin) < len(textual)


def test_a_run_of_one_style_sets_it_once_and_resets_once() -> None:
    pen = Pen(ColorSystem.TRUECOLOR)
    style = Style(color="#e0e0e0", bgcolor="#121212", bold=True)
    out = "".join(pen.write(t, style) for t in ("Case ", "OM/2026/", "000012")) + pen.reset()
    assert out == "\x1b[1;38;2;224;224;224;48;2;18;18;18mCase OM/2026/000012\x1b[0m"
    # Only the background changes: only the background is sent.
    pen = Pen(ColorSystem.TRUECOLOR)
    pen.write("a", style)
    assert pen.write("b", Style(color="#e0e0e0", bgcolor="#0178d4", bold=True)) == (
        "\x1b[48;2;1;120;212mb"
    )
    # Bold goes off: from the plain state, then the rest.
    assert pen.write("c", Style(color="#e0e0e0")) == "\x1b[0;38;2;224;224;224mc"
    assert pen.write("d", None) == "\x1b[39md"
    assert pen.reset() == ""  # already plain
