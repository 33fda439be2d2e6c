"""Deadlines and letters on the team board end to end in a real terminal (tmux) on the demo
database: `B`, the deadline and letter figures, the list behind "Deadlines missed", and the
deadline compliance report from the board's reports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_deadlines_and_letters_on_the_board_and_the_report(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime, size: tuple[int, int]
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    db.dispose()
    width, height = size
    term = Terminal(
        ["--db", str(path)], caseterm_env(LOGIN, frozen_clock, tmp_path), width=width, height=height
    )
    try:
        term.wait_for("My work ·")
        term.keys("B")
        term.wait_for("Team board", "Work received", "Missed a week", "Letters out a week")
        for _ in range(8):  # down to "Deadlines missed"
            term.keys("Down")
        screen = term.wait_for("Deadlines met", "Deadlines missed")
        assert "Deadlines missed" in screen
        term.keys("Enter")
        term.wait_for("Deadlines missed ·", "listed")
        term.keys("Escape")
        term.wait_for("Open work")
        term.keys("p")
        term.wait_for("Caseload per officer")
        for _ in range(8):  # down to "Deadline compliance"
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Deadline compliance: team")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
