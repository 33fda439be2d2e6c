"""The "Waiting for the database…" indicator clears once every call has ended, including the
exclusive reads a newer one replaced before their thread ran (they never report back): before,
five quick refreshes of the reception desk left the indicator on until the app quit."""

from __future__ import annotations

import threading

from sqlmodel import Session

from caseterm.tui.dbwork import run_db
from tests.tui.conftest import TuiWorld, settle, wait_for


async def test_replaced_exclusive_reads_do_not_leave_the_indicator_on(tui_world: TuiWorld) -> None:
    gate = threading.Event()
    shown: list[int] = []

    def slow_read(_session: Session) -> int:
        gate.wait(30)  # held until the test lets it go: long enough for the indicator to show
        return 1

    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(5):
            run_db(app.screen, slow_read, done=shown.append, what="reading", exclusive=True)
        await wait_for(pilot, lambda: app.db_waiting.startswith("Waiting for the database"), 5)
        gate.set()
        await wait_for(pilot, lambda: shown == [1], 5)  # the last read's result, once
        await wait_for(pilot, lambda: app.db_waiting == "", 5)
