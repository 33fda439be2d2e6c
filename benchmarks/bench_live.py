"""Live updates: from a commit made elsewhere to the workstation's queue showing it.

The workstation watches for commits it did not make (`PRAGMA data_version`, or PostgreSQL's
notifications) every `live.POLL_SECONDS` and reads the page again when there was one. Here a
second engine on the same database (as another person's caseterm would be) adds a task to the
benchmark user's own queue; the time is from that commit to the queue's count changing on the
workstation's screen (a headless app; the poll interval dominates, so Pilot's own overhead of a
few milliseconds does not matter). Each task is completed again afterwards, so the user's queue
is as it was.

This is where the promise "another person's work appears within about a second" is measured;
the Pilot tests only check that it appears.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness import Ctx, Samples, Unavailable, bench

if TYPE_CHECKING:
    from caseterm.tui.widgets.paged_table import PagedTable

UPDATES = 20
GIVE_UP_SECONDS = 30.0
TITLE = "bench: live update"


@bench(
    "live_update",
    "another process's commit to the workstation's queue showing it",
    target_ms=1500,
    runs=1,
)
def live_update(ctx: Ctx) -> Samples:
    from caseterm.core.services import tasks
    from caseterm.core.storage.database import Database
    from caseterm.tui import live
    from caseterm.tui.app import CasetermApp
    from caseterm.tui.context import TuiContext
    from caseterm.tui.widgets.paged_table import PagedTable

    actor = ctx.actor()
    elsewhere = Database(ctx.db.url)  # an engine of its own: commits the app did not make
    wall: list[float] = []
    added: list[int] = []

    async def waited(condition: Callable[[], bool], what: str) -> None:
        started = time.perf_counter()
        while not condition():
            if time.perf_counter() - started > GIVE_UP_SECONDS:
                raise Unavailable(f"{what} not within {GIVE_UP_SECONDS:.0f} s")
            await asyncio.sleep(0.005)

    async def run() -> None:
        app = CasetermApp(TuiContext(ctx.db, actor), live=True, schedule=False)
        async with app.run_test(size=(120, 40)):
            await waited(lambda: bool(app.screen.query("#tasks")), "the queue")
            table = app.screen.query_one("#tasks", PagedTable)
            await waited(lambda: app.live is not None and app.live.polls > 0, "live updates")
            for n in range(UPDATES):
                # Commits come at any moment of the workstation's poll cycle, not just after one.
                await asyncio.sleep(ctx.rng.uniform(0, live.POLL_SECONDS))
                before = table.count
                with elsewhere.write() as s:
                    task = tasks.create_task(
                        s,
                        actor,
                        kind="general",
                        title=f"{TITLE} {n + 1}",
                        assignee_id=actor.id,
                        due_date=None,
                    )
                committed = time.perf_counter()
                added.append(task.id or 0)
                await waited(_changed(table, before), "the new task")
                wall.append((time.perf_counter() - committed) * 1000)

    try:
        asyncio.run(run())
    finally:
        with elsewhere.write() as s:
            for task_id in added:
                tasks.complete_task(s, actor, task_id=task_id, outcome="benchmark")
        elsewhere.dispose()
    return Samples(
        wall,
        note=f"{len(wall)} commits, polled every {live.POLL_SECONDS:g} s; Pilot, 120x40",
    )


def _changed(table: PagedTable[Any], before: int | None) -> Callable[[], bool]:
    return lambda: table.count != before
