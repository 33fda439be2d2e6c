"""An Enforcement task opened from a queue (or a case's Tasks section): when it is a step the
money run proposed, its case on the Account section with the step said, so the officer confirms
it (`c`) or rejects it (`v`) there (tui/account/enforcement.py); any other Enforcement task (a
breach to consider) opens its case as usual."""

from __future__ import annotations

from typing import Any

from caseterm.core.services import enforcement_steps
from caseterm.core.services.enforcement_state import StepState
from caseterm.tui.dbwork import run_db


def open_step_task(screen: Any, task_id: int, case_id: int) -> None:
    """An Enforcement task: its case opened on the Account section, the proposed step said."""
    app, actor = screen.app, screen.app.ctx.actor

    def show(step: StepState | None) -> None:
        opener = getattr(app, "open_case_section", None)
        if step is None or opener is None:
            # Not a money step (a breach to consider is an Enforcement task too), or a
            # stand-alone mode that opens cases its own way: the case as usual.
            app.open_case(case_id)
            return
        opener(case_id, "account")
        how = "c confirms, v rejects" if step.status == "proposed" else "already decided"
        app.notify(f"{step.words()}: {how}.", markup=False)

    run_db(
        screen,
        lambda s: enforcement_steps.step_of_task(s, actor, task_id=task_id),
        done=show,
        what="reading the enforcement step",
    )
