"""A workstation opened after a long gap: more tasks fell due than one batch, so the scheduler
raises them a batch per transaction in the background, says how far it has got in the status line
and, at the end, how many it raised; each is raised once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, RaisedKey, Task
from caseterm.core.services import clock_scheduler
from tests.clock_rows import running_clock
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of, waited_of

DUE = 23


async def test_a_backlog_is_raised_in_batches_with_progress(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = tui_world.world
    monkeypatch.setattr(clock_scheduler, "BATCH", 5)
    today = clock.today()
    with w.db.write() as s:
        s.execute(
            insert(CaseClock),
            [
                running_clock(
                    w.case.id,
                    f"gap{i}",
                    started=today - timedelta(days=90),
                    due=today - timedelta(days=i),
                )
                for i in range(DUE)
            ],
        )
    app = tui_world.app(schedule=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = f"{DUE:,} deadline or review task(s) fell due and were raised."
        await wait_for(pilot, lambda: said in notes_of(app), 20)
        progress = [t for t in waited_of(app) if t.startswith("Raising due tasks…")]
        assert progress and progress[-1].endswith(f"of ~{DUE}")
    with tui_world.db.read() as s:
        raised = s.exec(select(func.count()).where(Task.kind == "deadline")).one()
        keys = s.exec(select(func.count()).select_from(RaisedKey)).one()
        linked = s.exec(
            select(func.count()).where(CaseClock.due_task_id != None)  # noqa: E711
        ).one()
    assert raised == keys == linked == DUE
