"""The case header's lifecycle line: a closure under way, a transfer pending, where the paper
file is. Read after the case is (re)loaded; nothing is shown when there is nothing to say."""

from __future__ import annotations

from typing import Any

from caseterm.core.services import case_state
from caseterm.tui.dbwork import run_db


def show_state(screen: Any) -> None:
    """Put the case's lifecycle state in its header (`screen`: the case screen)."""
    from caseterm.tui.widgets.case_header import CaseHeader

    actor, case_id = screen.ctx.actor, screen.case_id
    if case_id is None:
        return
    run_db(
        screen,
        lambda s: case_state.lifecycle_state(s, actor, case_id=case_id),
        done=lambda state: screen.query_one(CaseHeader).show_lifecycle(state),
        what="reading where the case is in its lifecycle",
        group="case-lifecycle-state",
        exclusive=True,
    )
