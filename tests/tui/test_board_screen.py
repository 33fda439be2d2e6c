"""The team board in the workstation: `B` opens it on the user's team with the figures the
database gives, `enter` opens what a task figure counts as a queue, `t` switches to another team
or office, and stored text stays plain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from caseterm.core.services import tasks
from caseterm.tui.board.figure_queue import FigureQueueScreen
from caseterm.tui.board.reports_screen import ReportsScreen
from caseterm.tui.board.screen import BoardScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle


async def until(pilot: Pilot[Any], done: Callable[[], bool]) -> None:
    """Settle until `done()` holds: a dialog's answer starts its read only after it closes."""
    for _ in range(200):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never reached the state the test waits for")


async def test_b_shows_the_board_of_ones_team_from_the_database(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:  # one of today's four done now, by Owen
        tasks.complete_task(s, w.other, task_id=tui_world.task_ids["team_free"])
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.shown is not None
        assert screen.shown.scope.code == "PRE-OM"
        text = screen_text(app)
        assert "Team PRE-OM Preston offender management · Mon 23/11/2026" in text
        received = next(line for line in text.splitlines() if "Work received" in line)
        assert received.split()[2:4] == ["4", "+4"]  # four made today, none a week ago
        assert "Owen Other" in text  # completed by, today
        assert "Received a week" in text and "now 4 (range 0 to 4)" in text


async def test_enter_queues_a_figure_and_stored_text_is_plain(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        table = app.screen.query_one("#board-figures", PagedTable)
        table.focus()
        await press(pilot, "enter")  # "Work received"
        await settle(pilot)
        assert isinstance(app.screen, FigureQueueScreen)
        text = screen_text(app)
        assert "4 tasks. enter opens the case." in text
        assert tui_world.world.case.reference in text
        assert HOSTILE[:20] in text.replace("\n", "")  # shown as typed, never as markup
        await press(pilot, "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"


async def test_t_switches_to_an_office_and_a_bad_code_says_so(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        await press(pilot, "t")
        await press(pilot, *"pre", "enter")
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await until(pilot, lambda: screen.shown is not None and screen.shown.scope.kind == "office")
        assert screen.shown is not None and screen.shown.scope.title == "office PRE Preston"
        await press(pilot, "t")
        await press(pilot, *"zz", "enter")
        await until(pilot, lambda: "no office 'ZZ'" in screen_text(app))
        assert "no office 'ZZ' (offices: LAN, PRE)" in screen_text(app)
        assert screen.shown.scope.code == "PRE"  # what was on screen stays
        await press(pilot, "left_square_bracket")
        await settle(pilot)
        assert str(screen.shown.day) == "2026-11-22"


async def test_reports_run_from_the_board_and_save_a_spreadsheet(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    import openpyxl

    w = tui_world.world
    with w.db.write() as s:
        tasks.complete_task(s, w.worker, task_id=tui_world.task_ids["mine_today"])
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        await press(pilot, "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await press(pilot, "enter")  # the first: caseload per officer
        await until(pilot, lambda: screen.shown is not None)
        text = screen_text(app)
        assert "Caseload per officer: team PRE-OM" in text
        wendy = next(ln for ln in text.splitlines() if "Wendy Worker" in ln and "·" not in ln)
        assert wendy.split()[-4:] == ["1", "1", "1", "1"]  # her case; one open, overdue, done
        target = tmp_path / "caseload.xlsx"
        await press(pilot, "x")
        await press(pilot, "ctrl+u", *str(target), "end", "enter")
        await until(pilot, lambda: "Saved Caseload per officer" in screen_text(app))
        ws = openpyxl.load_workbook(target).active
        assert ws is not None and ws["A1"].value == "Caseload per officer"
        await press(pilot, "f")
        await press(pilot, *"31/12/2026", "enter")
        await until(pilot, lambda: "31/12/2026 is after today" in screen_text(app))
        await press(pilot, "f")  # before anything was recorded: refused, naming the first day
        await press(pilot, *"01/01/2026", "enter")
        await until(pilot, lambda: "before the first record" in screen_text(app))
        assert screen.start is None and "start on or after" in screen_text(app)
