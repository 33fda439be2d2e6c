"""Degraded terminals end to end: what a real terminal (tmux) receives from the workstation.

`tmux capture-pane -e` gives the screen with the escape codes of each cell, so a test can see
whether any colour reached it, and of which kind."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World
from tests.tui.conftest import add_tasks

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

SGR = re.compile(r"\x1b\[([0-9;]*)m")
ANY_COLOUR = re.compile(r"^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$")  # 39/49 (default) are not colours


def _codes(screen: str) -> list[list[str]]:
    return [m.group(1).split(";") for m in SGR.finditer(screen)]


def _coloured(screen: str) -> list[list[str]]:
    return [codes for codes in _codes(screen) if any(ANY_COLOUR.match(c) for c in codes)]


def _escaped(term: Terminal, *extra: str) -> str:
    out = subprocess.run(
        [term.tmux, "capture-pane", "-p", "-e", *extra, "-t", term.name],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout


def _start(world: World, db_path: Path, frozen: datetime, tmp_path: Path, **env: str) -> Terminal:
    add_tasks(world, frozen.date())  # rows in My work
    full = {**caseterm_env("worker", frozen, tmp_path), "LANG": "C.UTF-8", **env}
    return Terminal(["--db", str(db_path)], full, width=80, height=24)


def test_no_color_sends_no_colour(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    term = _start(world, db_path, frozen_clock, tmp_path, NO_COLOR="1", COLORTERM="truecolor")
    try:
        term.wait_for("My work ·")
        term.wait_for(world.case.reference)
        screen = _escaped(term)
        assert _coloured(screen) == [], _coloured(screen)[:5]
        assert ["1", "7"] in _codes(screen) or ["7"] in _codes(screen)  # the cursor row reversed
    finally:
        term.close()


def test_sixteen_colour_terminal_gets_sixteen_colours_and_ascii(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    term = _start(world, db_path, frozen_clock, tmp_path, TERM="linux")
    try:
        term.wait_for("My work -")
        screen = _escaped(term)
        colours = _coloured(screen)
        assert colours, "some colour"
        assert not [c for c in colours if "38" in c or "48" in c], colours[:5]  # no 256/24-bit
        plain = term.screen()
        assert "Enter Open" in plain and "⏎" not in plain and "…" not in plain
    finally:
        term.close()


def test_non_utf8_locale_gets_ascii_symbols(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    term = _start(world, db_path, frozen_clock, tmp_path, LANG="C", LC_ALL="C")
    try:
        screen = term.wait_for("My work -")
        assert "Enter Open" in screen and "·" not in screen and "─" not in screen
    finally:
        term.close()


def test_dumb_terminal_is_refused_in_one_line(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    term = _start(world, db_path, frozen_clock, tmp_path, TERM="dumb")
    try:
        assert term.exited(), term.screen()
        written = _escaped(term, "-J", "-S", "-100")  # lines joined, with the scrolled-off ones
        refusal = [line for line in written.splitlines() if "caseterm:" in line]
        assert len(refusal) == 1 and "this terminal (TERM=dumb) cannot show" in refusal[0]
        assert "Queues" not in written and "\x1b[38;2" not in written
    finally:
        term.close()
