"""The scheduler's bulk path: more clocks due than one statement's chunk raise one task each, with
the key linked to its task, the clock pointing at it and both audit events (task.create,
clock.raise); a second run raises nothing; a clock whose key another run already claimed is left
alone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert
from sqlmodel import col, func, select

from caseterm.core.models import AuditEvent, CaseClock, RaisedKey, Task
from caseterm.core.services import clock_raise_bulk, clock_scheduler
from tests.clock_rows import running_clock
from tests.factories import World

DAY = date(2026, 11, 23)
MANY = clock_raise_bulk.CHUNK + 37  # crosses a chunk boundary


def _clocks(world: World, n: int) -> list[int]:
    rows = [
        running_clock(
            world.case.id,
            f"bulk{i}",
            started=DAY - timedelta(days=30),
            due=DAY - timedelta(days=1) if i % 2 else DAY + timedelta(days=3),
            warn=DAY - timedelta(days=2),
        )
        for i in range(n)
    ]
    with world.db.write() as s:
        s.execute(insert(CaseClock), rows)
        return [c for c in s.exec(select(CaseClock.id).order_by(col(CaseClock.id))).all() if c]


def test_many_clocks_raise_one_task_each_once(world: World) -> None:
    ids = _clocks(world, MANY)
    with world.db.write() as s:  # a key another process already claimed: not raised again
        s.add(RaisedKey(key=f"clock:{ids[1]}:due"))
    with world.db.write() as s:
        run = clock_scheduler.run_scheduler(s, world.clerk, today=DAY)
    clock_rows = [r for r in run.raised if r.key.startswith("clock:")]
    assert len(clock_rows) == MANY - 1
    assert f"clock:{ids[1]}:due" not in {r.key for r in clock_rows}
    assert {r.key for r in clock_rows} >= {f"clock:{ids[0]}:warn", f"clock:{ids[3]}:due"}
    with world.db.read() as s:
        tasks = {
            t.source: t for t in s.exec(select(Task).where(col(Task.source).startswith("clock:")))
        }
        keys = {k.key: k.task_id for k in s.exec(select(RaisedKey))}
        clocks = {c.id: c for c in s.exec(select(CaseClock))}
        created = s.exec(
            select(func.count()).where(
                AuditEvent.action == "task.create",
                col(AuditEvent.entity_id).in_([t.id for t in tasks.values()]),
            )
        ).one()
        raised = s.exec(select(func.count()).where(AuditEvent.action == "clock.raise")).one()
    assert len(tasks) == MANY - 1 and created == MANY - 1 and raised == MANY - 1
    for row in clock_rows:
        task = tasks[row.key]
        assert keys[row.key] == task.id == row.task_id
        assert task.case_id == world.case.id and task.kind == "deadline"
        assert task.assignee_id == world.worker.id and task.team_id == world.case.team_id
        assert task.office_id == world.case.office_id and task.person_id == world.case.subject_id
    due_clock, warn_clock = clocks[ids[3]], clocks[ids[0]]
    assert due_clock.due_task_id == tasks[f"clock:{ids[3]}:due"].id == due_clock.warn_task_id
    assert warn_clock.warn_task_id == tasks[f"clock:{ids[0]}:warn"].id
    assert warn_clock.due_task_id is None
    assert tasks[f"clock:{ids[0]}:warn"].title.endswith("working days left")
    with world.db.write() as s:
        again = clock_scheduler.run_scheduler(s, world.clerk, today=DAY)
    assert not [r for r in again.raised if r.key.startswith("clock:")]
