"""`enter` on one of the board's ageing buckets opens the open work of that age as a queue, and
on a person's row the tasks they completed yesterday and today: the rows shown are the ones the
database holds."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from textual.pilot import Pilot

from caseterm.core.models import Task
from caseterm.core.services import tasks
from caseterm.tui.board.figure_queue import FigureQueueScreen
from caseterm.tui.board.screen import BoardScreen
from caseterm.tui.messages import DataChanged
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle


async def _open_from(pilot: Pilot[Any], table_id: str) -> FigureQueueScreen:
    await settle(pilot)
    await press(pilot, "B")
    await settle(pilot)
    board = pilot.app.screen
    assert isinstance(board, BoardScreen) and board.shown is not None
    board.query_one(f"#{table_id}", PagedTable).focus()
    await press(pilot, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FigureQueueScreen)
    return screen


def _shown_ids(screen: FigureQueueScreen) -> set[int]:
    table = screen.task_table()
    rows = [table.row_at(i) for i in range(table.count or 0)]
    return {r.task_id for r in rows if r is not None}


async def test_enter_on_a_bucket_queues_the_open_work_of_that_age(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.read() as s:  # every task in the world was made today: all 0–5 days old
        want = set(
            s.exec(
                select(Task.id).where(col(Task.team_id) == w.team.id, col(Task.status) == "open")
            ).all()
        )
    assert want
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_from(pilot, "board-ageing")
        assert screen.figure == "age_0_5"
        assert _shown_ids(screen) == want
        text = screen_text(app)
        assert "Open 0–5 working days · PRE-OM · 23/11/2026" in text
        assert f"{len(want)} tasks. enter opens the case." in text


async def test_enter_on_a_person_queues_what_they_completed(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        tasks.complete_task(s, w.other, task_id=tui_world.task_ids["team_free"])
    with w.db.read() as s:
        want = set(
            s.exec(
                select(Task.id).where(
                    col(Task.completed_by_id) == w.other.id, col(Task.status) == "done"
                )
            ).all()
        )
    assert tui_world.task_ids["team_free"] in want
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_from(pilot, "board-people")
        assert screen.figure == f"completed_by_{w.other.id}"
        assert _shown_ids(screen) == want
        assert "Completed yesterday and today by Owen Other" in screen_text(app)


async def test_the_board_reads_again_when_work_arrived_while_a_list_was_over_it(
    tui_world: TuiWorld,
) -> None:
    """A commit seen while the bucket's list is on top (the clock scheduler raising tasks, a
    colleague's referral) is news to the list on view; back on the board its counts are read
    again, so the bucket and the list it opened agree."""
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_from(pilot, "board-ageing")
        board = app.screen_stack[-2]
        assert isinstance(board, BoardScreen) and board.shown is not None
        before = board.shown.ageing[0][1]
        with w.db.write() as s:
            tasks.create_task(
                s, w.clerk, kind="general", title="Arrived meanwhile", team_id=w.team.id
            )
        app.post_message(DataChanged(app.data_generation + 1))  # as tui/live.py tells the app
        await settle(pilot)
        await press(pilot, "escape")
        await settle(pilot)
        assert app.screen is board
        after = app.screen.shown
        assert after is not None and after.ageing[0][1] == before + 1
