"""The home queue's first rows read while the workstation starts (`caseterm.tui.first_rows`):
the first frame shows them, the table goes on reading for itself, and a late, failed or
mismatched early read changes nothing."""

from __future__ import annotations

from pathlib import Path

from caseterm.core.services import queues, tasks
from caseterm.core.storage.database import Database
from caseterm.tui.context import TuiContext
from caseterm.tui.first_rows import EarlyPage, read_early
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import idle, press
from tests.tui.conftest import TuiWorld, screen_text, settle


def early_read(tui_world: TuiWorld, key: str = "my_work") -> EarlyPage:
    early = read_early(TuiContext(tui_world.db, tui_world.world.worker), key)
    assert early.wait(10) is not None
    return early


def complete(tui_world: TuiWorld, name: str) -> None:
    task = tui_world.task(name)
    with tui_world.db.write() as s:
        tasks.complete_task(
            s, tui_world.world.worker, task_id=task.id or 0, expected_version=task.version
        )


def test_early_read_is_the_queue_page_and_count(tui_world: TuiWorld) -> None:
    early = early_read(tui_world)
    got = early.ready()
    assert got is not None
    rows, count = got
    with tui_world.db.read() as s:
        expected = queues.queue_page(s, tui_world.world.worker, key="my_work", limit=100)
    assert [r.title for r in rows] == [r.title for r in expected]
    assert count == 2


async def test_first_frame_shows_the_rows_read_early_and_refresh_reads_again(
    tui_world: TuiWorld,
) -> None:
    early = early_read(tui_world)
    # Changed after the early read: the table must show what was read early (it did not read
    # page 0 again) until it is refreshed.
    complete(tui_world, "mine_today")
    app = tui_world.app(early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        table = app.query_one("#tasks", PagedTable)
        assert table.count == 2
        assert "Send appointment letter" in screen_text(app)
        await settle(pilot)
        assert "Send appointment letter" in screen_text(app)
        assert "My work · 2 items" in screen_text(app)
        await press(pilot, "r")
        await settle(pilot)
        assert "Send appointment letter" not in screen_text(app)
        assert "Chase the c" in screen_text(app)
        assert table.count == 1


async def test_an_early_read_that_is_not_ready_in_time_is_not_waited_for(
    tui_world: TuiWorld,
) -> None:
    never = EarlyPage("my_work")  # its thread never finishes
    app = tui_world.app(early=never)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert "Chase the c" in screen_text(app)
        assert app.query_one("#tasks", PagedTable).count == 2


async def test_an_early_read_of_another_queue_is_ignored(tui_world: TuiWorld) -> None:
    early = early_read(tui_world, "team_unallocated")
    app = tui_world.app(early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Chase the c" in text
        assert "Quarterly review" not in text  # a team task, not in My work


def test_a_failed_early_read_leaves_nothing_to_show(tui_world: TuiWorld, tmp_path: Path) -> None:
    # A file that is not a database: the read fails on its thread, quietly; the table's own
    # read meets the same failure and reports it.
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 100)
    gone = Database(f"sqlite:///{junk}")
    early = read_early(TuiContext(gone, tui_world.world.worker))
    try:
        assert early.wait(10) is None
        assert early._done.is_set()
    finally:
        gone.dispose()
