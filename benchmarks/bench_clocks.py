"""Statutory clocks on the large demo: the scheduler with nothing due (every workstation start
and every 5 minutes), the scheduler raising 5,000 tasks (in a transaction rolled back, so the
cache is left as it was), and a case's Timeline (events and clocks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from itertools import cycle

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import func, insert, select
from sqlmodel import col

from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseEvent, CaseFile

RAISING = 5000


def _scheduler_ready(ctx: Ctx) -> None:
    """Raise once whatever the demo has due, so what is timed is a run with nothing due."""
    from caseterm.core.services import clock_scheduler

    with ctx.db.write() as s:
        clock_scheduler.run_scheduler(s, ctx.actor())


@bench("scheduler_idle", "scheduler run, nothing due (whole demo)", target_ms=2000, runs=10)
def scheduler_idle(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import clock_scheduler

    _scheduler_ready(ctx)
    actor = ctx.actor()

    def run() -> object:
        with ctx.db.read() as s:
            found = clock_scheduler.run_scheduler(s, actor, dry_run=True)
        if found.count:
            with ctx.db.write() as s:
                clock_scheduler.run_scheduler(s, actor)
        return found

    return run


@bench("scheduler_raise", f"scheduler raising {RAISING:,} tasks", target_ms=10000, runs=1)
def scheduler_raise(ctx: Ctx) -> Samples:
    from caseterm.core.services import clock_scheduler

    actor, today = ctx.actor(), clock.today()
    with ctx.db.read() as s:
        case_ids = list(s.execute(select(col(CaseFile.id)).limit(RAISING)).scalars())
    if len(case_ids) < RAISING:
        raise Unavailable("fewer cases than tasks to raise")
    rows = [
        {
            "case_id": cid,
            "clock": "bench",
            "label": "Benchmark clock",
            "started_on": today - timedelta(days=30),
            "due_date": today - timedelta(days=1),
            "warn_date": None,
            "task_kind": "deadline",
            "team_code": "",
            "priority": 2,
            "stopped_by": "",
            "status": "running",
            "reason": "",
            "version": 1,
        }
        for cid in case_ids
    ]
    session_cm = ctx.db.write()
    s = session_cm.__enter__()
    try:
        s.execute(insert(CaseClock), rows)
        started, cpu = time.perf_counter(), time.process_time()
        run = clock_scheduler.run_scheduler(s, actor)
        wall, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        assert run.count >= RAISING
    finally:
        s.rollback()  # leave the cached demo as it was
        session_cm.__exit__(None, None, None)
    return Samples([wall], [cpu_ms], note=f"{run.count} tasks, rolled back")


@bench("case_timeline", "case timeline (events and clocks)", target_ms=30)
def case_timeline(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import case_events, deadlines

    with ctx.db.read() as s:
        busiest = list(  # of the cases the bench user may open (no restricted ones)
            s.execute(
                select(col(CaseEvent.case_id))
                .join(CaseFile, col(CaseFile.id) == col(CaseEvent.case_id))
                .where(col(CaseFile.restricted).is_(False))
                .group_by(col(CaseEvent.case_id))
                .order_by(func.count().desc())
                .limit(50)
            ).scalars()
        )
    if not busiest:
        raise Unavailable("no casework events in this demo")
    actor, cases = ctx.actor(), cycle(busiest)

    def run() -> object:
        case_id = next(cases)
        with ctx.db.read() as s:
            return (
                case_events.list_events(s, actor, case_id=case_id),
                deadlines.case_clocks(s, actor, case_id=case_id),
            )

    return run
