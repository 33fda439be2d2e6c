"""Drilling down from the board: `enter` on a task figure opens the tasks it counts as a queue
whose task keys act on them (asserted in the database), restricted cases are counted and never
listed, and the failed-to-attend list opens the case on `enter`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from caseterm.core import clock
from caseterm.core.models import Appointment, Task
from caseterm.core.services import cases, tasks
from caseterm.tui.board.figure_queue import FigureQueueScreen
from caseterm.tui.board.list_screen import BoardListScreen
from caseterm.tui.board.screen import BoardScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle
from tests.tui.seen import notes_of

# The board's figures, top to bottom.
FIGURES = ["received", "completed", "in_progress", "unallocated", "overdue", "failed_to_attend"]


async def _open_figure(pilot: Pilot[Any], figure: str) -> None:
    await settle(pilot)
    await press(pilot, "B")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen) and screen.shown is not None
    screen.query_one("#board-figures", PagedTable).focus()
    await press(pilot, *["down"] * FIGURES.index(figure), "enter")
    await settle(pilot)


def _unallocated_overdue(tui_world: TuiWorld) -> int:
    """A team task nobody holds, due yesterday (the world's other overdue task is Wendy's)."""
    w = tui_world.world
    with w.db.write() as s:
        task = tasks.create_task(
            s,
            w.clerk,
            kind="general",
            title="Unanswered letter from the court",
            case_id=w.case.id,
            team_id=w.team.id,
            due_date=clock.today() - timedelta(days=1),
        )
    assert task.id is not None
    return task.id


async def test_overdue_opens_as_a_queue_and_t_takes_a_task(tui_world: TuiWorld) -> None:
    w = tui_world.world
    free = _unallocated_overdue(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_figure(pilot, "overdue")
        screen = app.screen
        assert isinstance(screen, FigureQueueScreen) and screen.figure == "overdue"
        table = screen.task_table()
        rows = [table.row_at(i) for i in range(table.count or 0)]
        assert [r.task_id for r in rows if r] == [tui_world.task_ids["mine_overdue"], free]
        text = screen_text(app)
        assert "Overdue · PRE-OM · 23/11/2026" in text
        assert "2 tasks. enter opens the case." in text
        assert "Unanswered letter from the court" in text and w.case.reference in text
        await press(pilot, "down", "t")
        await settle(pilot)
        with w.db.read() as s:
            taken = s.get(Task, free)
            assert taken is not None and taken.assignee_id == w.worker.id
        said = f"Took task {free} 'Unanswered letter from the court' on {w.case.reference}."
        assert said in notes_of(app)
        assert "Wendy Worker" in next(
            line for line in screen_text(app).splitlines() if "Unanswered letter" in line
        )


async def test_restricted_tasks_are_counted_not_listed(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    app = tui_world.app(actor=w.other)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_figure(pilot, "unallocated")
        screen = app.screen
        assert isinstance(screen, FigureQueueScreen)
        assert screen.task_table().count == 0
        text = screen_text(app)
        assert "0 tasks · 2 on restricted cases counted but not listed" in text
        assert w.case.reference not in text


async def test_failed_to_attend_stays_a_list_whose_enter_opens_the_case(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    start = clock.now().replace(hour=9, minute=0)
    with w.db.write() as s:
        s.add(
            Appointment(
                case_id=w.case.id,
                person_id=w.person.id,
                staff_id=w.worker.id,
                office_id=w.office.id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                kind="supervision",
                status="failed_to_attend",
            )
        )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_figure(pilot, "failed_to_attend")
        assert isinstance(app.screen, BoardListScreen)
        assert "1 listed. enter opens the case." in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
