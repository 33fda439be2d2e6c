"""The statutory-clock scheduler inside the workstation: run once when it starts and every few
minutes while it runs (`services.clock_scheduler`, idempotent across processes, so sixteen
workstations starting at 09:00 raise each task once). A count first: nothing due (the usual case)
costs no write transaction. A backlog (a workstation opened after a long gap) is raised a batch
per transaction, its progress in the status line."""

from __future__ import annotations

from typing import Any

from caseterm.core.services import clock_scheduler
from caseterm.tui.dbwork import progress_line, run_db, run_db_writes

SCHEDULER_EVERY = 300.0  # seconds between runs while the workstation is open


def start(app: Any, every: float = SCHEDULER_EVERY) -> None:
    """Run the scheduler now and then every `every` seconds (for users who work tasks)."""
    if not app.ctx.actor.has("task.work"):
        return
    run_once(app)
    app.set_interval(every, lambda: run_once(app), name="clock-scheduler")


def run_once(app: Any) -> None:
    actor = app.ctx.actor

    def due(count: int) -> None:
        if not count:
            return
        say = progress_line(app)
        so_far = [0]

        def each(run: clock_scheduler.SchedulerRun) -> None:
            so_far[0] += run.count
            if run.more:
                say(f"Raising due tasks… {so_far[0]:,} of ~{count:,}")

        run_db_writes(
            app,
            lambda write: clock_scheduler.raise_due(write, actor, each=each),
            done=raised,
            failed=lambda _err: None,  # the next run (or another workstation) raises the rest
            what="raising the tasks that fell due",
            group="clock-scheduler",
            exclusive=True,
        )

    def raised(count: int) -> None:
        if count:
            app.notify(f"{count:,} deadline or review task(s) fell due and were raised.")

    run_db(
        app,
        lambda s: clock_scheduler.due_count(s, actor),
        done=due,
        failed=lambda _err: None,
        what="checking the statutory clocks",
        group="clock-scheduler-check",
        exclusive=True,
    )
