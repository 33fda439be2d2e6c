"""A team's day longer than a page: the diary reads its first page and counts the rest, and
the table fetches the rest as the cursor reaches it (issue 16: a large team's day costs a
page, not the team's size)."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Static

from caseterm.core.services import diary
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for

LONG_DAY = PagedTable.PAGE_SIZE + 5


async def test_a_team_day_longer_than_a_page(tui_world: TuiWorld, frozen_clock: datetime) -> None:
    world = tui_world.world
    seven = frozen_clock.replace(hour=7, minute=0)
    with world.db.write() as s:
        for i in range(LONG_DAY):
            diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id,
                starts_at=seven + timedelta(minutes=5 * i),
                ends_at=seven + timedelta(minutes=5 * i + 5),
                kind="supervision",
                case_id=world.case.id,
            )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = DiaryScreen(team_id=world.team.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.page is not None, 10)
        table = screen.query_one("#diary-table", PagedTable)
        assert screen.page is not None and screen.page.total == LONG_DAY
        assert len(screen.rows) == PagedTable.PAGE_SIZE  # read: a page, not the day
        await wait_for(pilot, lambda: table.count == LONG_DAY, 10)
        summary = str(screen.query_one("#diary-summary", Static).render())
        assert summary == f"{LONG_DAY} appointments ({LONG_DAY} booked)"
        await press(pilot, "end")
        await wait_for(pilot, lambda: screen.current() is not None, 10)
        last = screen.current()
        assert last is not None and last.appointment.starts_at == seven + timedelta(  # type: ignore[union-attr]
            minutes=5 * (LONG_DAY - 1)
        )
        # The week: a page too, each day counted in the database.
        await press(pilot, "v")
        await wait_for(pilot, lambda: screen.view == "week" and table.count == LONG_DAY, 10)
        assert len(screen.rows) == PagedTable.PAGE_SIZE
        summary = str(screen.query_one("#diary-summary", Static).render())
        assert f"{frozen_clock:%a %d}: {LONG_DAY}" in summary
