"""The queue at 80×24 (issue 17): the Task column, what a row is acted on, gets about 20 cells
(it had 12) — the queue list is narrower below 100 columns and the subject's name is cut with
"…" at 12; at 120×40 the list keeps its width and the subject gets 20."""

from __future__ import annotations

import pytest

from caseterm.tui.screens.queues import TASK_COLUMNS, QueuesScreen
from caseterm.tui.widgets.paged_table import PagedTable, choose_columns
from tests.tui.conftest import TuiWorld, settle

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize(
    ("size", "narrow", "task_at_least", "subject"),
    [((80, 24), True, 20, 12), ((120, 40), False, 40, 20)],
)
async def test_the_task_column_has_the_room(
    tui_world: TuiWorld, size: tuple[int, int], narrow: bool, task_at_least: int, subject: int
) -> None:
    app = tui_world.app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueuesScreen)
        assert screen.has_class("-narrow") is narrow
        table = screen.query_one("#tasks", PagedTable)
        widths = {c.label: n for c, n in choose_columns(TASK_COLUMNS, table.size.width, 2)}
        assert widths["Task"] >= task_at_least and widths["Subject"] == subject, widths
        # Wider and back: the list follows the terminal.
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not screen.has_class("-narrow")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.has_class("-narrow")
