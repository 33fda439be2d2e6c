"""Review schedules on the large demo: `caseterm reviews run` raising 5,000 "review due" tasks
(bring-forward dates and statutory reviews that fell due over a holiday weekend), in a
transaction rolled back so the cache is left as it was. The run with nothing due is
`scheduler_idle` (bench_clocks): the same run reads the reviews too."""

from __future__ import annotations

import time
from datetime import timedelta
from itertools import cycle, islice

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import insert, select
from sqlmodel import col

from caseterm.core import clock
from caseterm.core.models import CaseFile, ReviewSchedule

REVIEWS = 5000


def due_reviews(case_ids: list[int], n: int) -> list[dict[str, object]]:
    """`n` pending reviews due yesterday, one per case (cases reused if there are fewer)."""
    due = clock.today() - timedelta(days=1)
    kinds = cycle(("review", "statutory", "bring_forward"))
    return [
        {
            "case_id": cid,
            "kind": next(kinds),
            "description": f"Benchmark review {i}",
            "due_date": due,
            "working_days": None,
            "status": "pending",
            "raised_task_id": None,
            "created_at": clock.now(),
            "version": 1,
        }
        for i, cid in enumerate(islice(cycle(case_ids), n))
    ]


@bench("reviews_raise", f"reviews run raising {REVIEWS:,} review tasks", target_ms=10000, runs=1)
def reviews_raise(ctx: Ctx) -> Samples:
    from caseterm.core.services import clock_scheduler

    actor = ctx.actor()
    with ctx.db.write() as s:  # what the demo has due already, so only the benchmark's are timed
        clock_scheduler.run_scheduler(s, actor)
    with ctx.db.read() as s:
        case_ids = list(s.execute(select(col(CaseFile.id)).limit(REVIEWS)).scalars())
    if not case_ids:
        raise Unavailable("no cases")
    session_cm = ctx.db.write()
    s = session_cm.__enter__()
    try:
        s.execute(insert(ReviewSchedule), due_reviews(case_ids, REVIEWS))
        started, cpu = time.perf_counter(), time.process_time()
        run = clock_scheduler.run_scheduler(s, actor)
        wall, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        assert run.count >= REVIEWS, run.count
    finally:
        s.rollback()  # leave the cached demo as it was
        session_cm.__exit__(None, None, None)
    return Samples(
        [wall], [cpu_ms], note=f"{run.count} tasks, {len(case_ids):,} cases, rolled back"
    )
