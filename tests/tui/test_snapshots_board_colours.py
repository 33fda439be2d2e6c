"""The team board readable in 16 colours and with NO_COLOR: every figure's label, its numbers
and its change in words ("+4", "same") are on the screen, the ageing buckets and who completed
what carry their numbers, and each trend's sparkline has its numbers beside it, so nothing is
said by colour alone. Snapshots of both at 120×40 (update with `pytest --snapshot-update` on this
file only, after looking at them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from caseterm.core.services import tasks
from caseterm.tui.board.screen import BoardScreen, change_text, value_text
from caseterm.tui.terminal_caps import configure
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settled_still

pytestmark = pytest.mark.sqlite_only

Snap = Callable[..., bool]
TERMINALS = [
    pytest.param({"TERM": "xterm-16color", "LANG": "C.UTF-8"}, id="16-colours"),
    pytest.param({"TERM": "xterm-256color", "LANG": "C.UTF-8", "NO_COLOR": "1"}, id="no-color"),
]


def _readable_without_colour(app: Any) -> None:
    screen = app.screen
    assert isinstance(screen, BoardScreen) and screen.shown is not None
    shown = screen.shown
    lines = screen_text(app).splitlines()

    def line_of(label: str) -> str:
        found = [line for line in lines if label in line]
        assert found, f"{label!r} not on the screen"
        return found[0]

    # Every column says what it holds: the row position in the header covers no label.
    assert line_of("Figure").split("Figure")[1].split().count("wk") == 2
    for label in ("Today", "Yesterday"):
        assert label in line_of("Figure")
    for label in ("Now", "Wk ago", "Completed by", "Today", "Yday"):
        assert label in line_of("Open work, working days"), label

    def after(label: str, n: int) -> list[str]:
        """The first `n` words after `label` on its line, table rules left out."""
        words = line_of(label).split(label, 1)[1].replace("│", " ").replace("▏", " ").split()
        return words[:n]

    for f in shown.figures:
        assert after(f.label, 3) == [
            value_text(f.today, f.unit),
            change_text(f.today - f.today_week_ago, f.unit),
            value_text(f.yesterday, f.unit),
        ], f.label
    for bucket, now, week_ago in shown.ageing:
        assert after(bucket, 2) == [str(now), str(week_ago)], bucket
    assert shown.people, "the world has someone who completed work today"
    for p in shown.people:
        assert after(p.name, 2) == [str(p.completed_today), str(p.completed_yesterday)]
    for t in shown.trends:
        values = list(t.values) or [0.0]
        assert f"now {value_text(values[-1], t.unit)} (range" in line_of(t.label), t.label


@pytest.mark.parametrize("terminal", TERMINALS)
def test_board_reads_without_colour(
    snap_compare: Snap, tui_world: TuiWorld, terminal: dict[str, str]
) -> None:
    w = tui_world.world
    with w.db.write() as s:  # one done today by Owen: a row in "Completed by"
        tasks.complete_task(s, w.other, task_id=tui_world.task_ids["team_free"])
    app = tui_world.app()
    configure(app, terminal)
    assert app.no_color == ("NO_COLOR" in terminal)

    async def run(pilot: Pilot[Any]) -> None:
        await settled_still(pilot)
        await press(pilot, "B")
        await settled_still(pilot)
        _readable_without_colour(pilot.app)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run)
