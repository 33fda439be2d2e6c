"""A backlog raised a batch per transaction (`clock_scheduler.raise_due`): a workstation opened
after a long gap, or a large import, raises tens of thousands of tasks `BATCH` at a time, each
batch committed on its own. Every clock, review, warning and transfer due is raised exactly once,
a clock whose key was raised elsewhere is passed over without stopping the run, and
`due_count` (what the workstation asks first) counts what a run would raise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, RaisedKey, ReviewSchedule, Task
from caseterm.core.services import clock_scheduler
from tests.clock_rows import running_clock
from tests.factories import World
from tests.test_case_lifecycle import _out
from tests.test_person_record import _warning

BATCH = 7
CLOCKS = 20
REVIEWS = 10


def _backlog(world: World, day: date) -> list[int]:
    clocks = [  # several share an end date
        running_clock(
            world.case.id, f"gap{i}", started=day - timedelta(days=60), due=day - timedelta(i % 4)
        )
        for i in range(CLOCKS)
    ]
    reviews = [
        {
            "case_id": world.case.id,
            "kind": "review",
            "description": f"Gap review {i}",
            "due_date": day - timedelta(days=i),
            "working_days": None,
            "status": "pending",
            "raised_task_id": None,
            "created_at": clock.now(),
            "version": 1,
        }
        for i in range(REVIEWS)
    ]
    with world.db.write() as s:
        s.execute(insert(CaseClock), clocks)
        s.execute(insert(ReviewSchedule), reviews)
        return [c for c in s.exec(select(CaseClock.id).order_by(col(CaseClock.id))).all() if c]


def _transactions(world: World, log: list[int]) -> Callable[[Callable[[Session], Any]], Any]:
    """`write` for raise_due: each batch in a transaction of its own, its count logged once it
    has committed."""

    def write(work: Callable[[Session], Any]) -> Any:
        with world.db.write() as s:
            run = work(s)
        log.append(run.count)
        return run

    return write


def test_a_backlog_is_raised_a_batch_per_transaction_each_task_once(
    world: World, frozen_clock: object
) -> None:
    day = clock.today()
    ids = _backlog(world, day)
    _warning(world, day + timedelta(days=3))
    _out(world)  # a transfer out, acknowledged by nobody
    clock.freeze(clock.now() + timedelta(days=10))  # past the transfer's acknowledge-by date
    day = clock.today()
    with world.db.write() as s:  # one clock's end was raised elsewhere and never linked
        s.add(RaisedKey(key=f"clock:{ids[0]}:due"))
    with world.db.read() as s:
        counted = clock_scheduler.due_count(s, world.worker)
    log: list[int] = []
    seen: list[clock_scheduler.SchedulerRun] = []
    total = clock_scheduler.raise_due(
        _transactions(world, log), world.worker, batch=BATCH, each=seen.append
    )
    assert total == sum(log) == CLOCKS - 1 + REVIEWS + 2
    assert counted == CLOCKS + REVIEWS + 2  # the clock raised elsewhere still looks due
    # Clocks first, BATCH a transaction, by end date; then the rest of the clocks (passing over
    # the one raised elsewhere) with the reviews and the other reminders, BATCH of each.
    assert log[:2] == [BATCH, BATCH] and max(log) <= 3 * BATCH and len(log) >= 4
    assert [r.more for r in seen] == [True] * (len(seen) - 1) + [False]
    keys = [r.key for run in seen for r in run.raised]
    assert len(keys) == len(set(keys)) == total
    assert f"clock:{ids[0]}:due" not in keys
    with world.db.read() as s:
        tasks = s.exec(select(func.count()).select_from(Task)).one()
        by_kind = dict(
            s.execute(select(col(Task.kind), func.count()).group_by(col(Task.kind))).all()
        )
        pending = s.exec(select(func.count()).where(ReviewSchedule.status == "pending")).one()
        left = clock_scheduler.due_count(s, world.worker)
    assert by_kind.get("deadline") == CLOCKS - 1 and by_kind.get("review_due") == REVIEWS
    assert by_kind.get("warning_review") == 1 and by_kind.get("transfer_chase") == 1
    assert tasks >= total and pending == 0
    assert left == 1  # only the clock whose key another run holds
    again: list[int] = []
    assert clock_scheduler.raise_due(_transactions(world, again), world.worker, batch=BATCH) == 0
    assert again == [0]


def test_a_failed_batch_keeps_the_batches_before_it(world: World, frozen_clock: object) -> None:
    day = clock.today()
    _backlog(world, day)
    calls = [0]

    def write(work: Callable[[Session], Any]) -> Any:
        calls[0] += 1
        if calls[0] == 3:
            raise RuntimeError("the server went away")
        with world.db.write() as s:
            return work(s)

    with pytest.raises(RuntimeError, match="went away"):
        clock_scheduler.raise_due(write, world.worker, batch=BATCH)
    with world.db.read() as s:
        kept = s.exec(select(func.count()).where(Task.kind == "deadline")).one()
    assert kept == 2 * BATCH
    rest = clock_scheduler.raise_due(_transactions(world, []), world.worker, batch=BATCH)
    assert rest == CLOCKS - 2 * BATCH + REVIEWS
    with world.db.read() as s:
        assert clock_scheduler.due_count(s, world.worker) == 0
