"""Writing only the cells that changed: a terminal emulator (pyte) fed the cut-down writes ends up
showing exactly what it shows when fed Textual's whole updates, update after update."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime

import pyte
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from caseterm.tui.terminal_caps import configure
from caseterm.tui.thin_output import ChopsUpdate, CompositorUpdate, LayoutUpdate, ScreenModel
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle

W, H = 40, 8
STYLES = [None, Style(bold=True), Style(color="red"), Style(bgcolor="blue", reverse=True)]
WORDS = ["Zoë", "Café", "…", "REG/2026/000011", "漢字", "e\u0301", "🙂", " ", "Niamh"]


def _console() -> Console:
    return Console(width=W, height=H, color_system="truecolor", force_terminal=True)


def _screen() -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(W, H)
    return screen, pyte.Stream(screen)


def _strip(rng: random.Random, width: int) -> Strip:
    segments: list[Segment] = []
    used = 0
    while used < width:
        word = rng.choice(WORDS)
        segments.append(Segment(word, rng.choice(STYLES)))
        used += Segment(word).cell_length
    return Strip(segments).crop(0, width).extend_cell_length(width)


def _updates(rng: random.Random, count: int) -> Iterator[CompositorUpdate]:
    lines = [_strip(rng, W) for _ in range(H)]
    yield LayoutUpdate([[line] for line in lines], Region(0, 0, W, H))
    for _ in range(count):
        if rng.random() < 0.2:  # a whole-screen repaint, mostly the same as before
            lines[rng.randrange(H)] = _strip(rng, W)
            yield LayoutUpdate([[line] for line in lines], Region(0, 0, W, H))
            continue
        y = rng.randrange(H)
        x = rng.randrange(W - 5)
        width = rng.randrange(1, W - x)
        chops = [dict[int, Strip | None]() for _ in range(H)]
        ends: list[list[int]] = [[] for _ in range(H)]
        chops[y][x] = _strip(rng, width)
        ends[y] = [x + width]
        yield ChopsUpdate(chops, [(y, x, x + width - 1)], ends)


def _display(screen: pyte.Screen) -> list[tuple[str, ...]]:
    return [
        tuple(f"{c.data}|{c.fg}|{c.bg}|{c.bold}|{c.reverse}" for c in screen.buffer[y].values())
        for y in range(H)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_cut_down_writes_show_the_same_screen(seed: int) -> None:
    rng = random.Random(seed)
    console = _console()
    model = ScreenModel()
    whole, whole_stream = _screen()
    thin, thin_stream = _screen()
    written_whole = written_thin = 0
    for update in _updates(rng, 60):
        full = update.render_segments(console)
        cut = model.render(update, console, W, H)
        whole_stream.feed(full)
        thin_stream.feed(cut)
        written_whole += len(full)
        written_thin += len(cut)
        assert _display(thin) == _display(whole)
    assert written_thin < written_whole / 2


def test_forgetting_writes_everything_again() -> None:
    console = _console()
    model = ScreenModel()
    update = LayoutUpdate([[_strip(random.Random(1), W)] for _ in range(H)], Region(0, 0, W, H))
    first = model.render(update, console, W, H)
    assert model.render(update, console, W, H) == ""  # nothing changed
    model.forget()
    assert model.render(update, console, W, H) == first
    # A new size is a new terminal: everything again.
    assert model.render(update, console, W, H + 1) != ""


async def test_installed_over_ssh_only(tui_world: TuiWorld, frozen_clock: datetime) -> None:
    local = tui_world.app()
    configure(local, {"TERM": "xterm-256color", "LANG": "C.UTF-8"})
    assert getattr(local, "_thin_output", None) is None
    remote = tui_world.app()
    configure(remote, {"TERM": "xterm-256color", "LANG": "C.UTF-8", "SSH_TTY": "/dev/pts/3"})
    assert isinstance(remote._thin_output, ScreenModel)  # type: ignore[attr-defined]
    async with remote.run_test(size=(80, 24)) as pilot:  # headless: Textual's own path
        await settle(pilot)
        await press(pilot, "j")
        await settle(pilot)
