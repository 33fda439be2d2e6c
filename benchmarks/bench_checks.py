"""Sampled cross-checking on the large demo (issue 18): drawing a day's sample (`checks draw`,
`checks.draw_checks`) over the whole database, ≤ 2 s. The demo sets no sampling rates, so the
benchmark sets the rates a co-ordinator would (every team: 10 % of completed tasks, 20 % of
contact entries, every write-off), draws the sample of the demo's yesterday (its busiest day of
the week) in a transaction, and rolls it back so the cached database is left as it was."""

from __future__ import annotations

import time

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import insert, select
from sqlmodel import col

from caseterm.core import clock
from caseterm.core.models import CheckRate, Team

RATES = (("task", 10), ("contact", 20), ("write_off", 100))
RUNS = 3


@bench("checks_draw", "drawing the day's checking sample over the demo", target_ms=2000, runs=RUNS)
def checks_draw(ctx: Ctx) -> Samples:
    from caseterm.core.services import checks

    actor = ctx.actor()
    with ctx.db.read() as s:
        teams = [t for t in s.execute(select(col(Team.id))).scalars() if t is not None]
    if not teams:
        raise Unavailable("no teams")
    rows = [
        {"team_id": t, "work_kind": kind, "staff_id": None, "staff_key": 0, "percent": pct,
         "set_by_id": None, "set_at": clock.now()}
        for t in teams for kind, pct in RATES
    ]  # fmt: skip
    wall: list[float] = []
    cpu: list[float] = []
    drawn = 0
    for _ in range(RUNS):
        session_cm = ctx.db.write()
        s = session_cm.__enter__()
        try:
            s.execute(insert(CheckRate), rows)
            started, cpu_started = time.perf_counter(), time.process_time()
            result = checks.draw_checks(s, actor)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            drawn = len(result.drawn)
        finally:
            s.rollback()  # leave the cached demo as it was
            session_cm.__exit__(None, None, None)
    return Samples(
        wall, cpu, note=f"{drawn:,} checks drawn for the demo's yesterday, {len(rows)} rates"
    )
