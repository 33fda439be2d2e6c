"""On a closed case, `A` on the Tasks section is refused with the one clear message and adds
nothing (issue 12: a closed or archived case refuses new tasks and appointments)."""

from __future__ import annotations

from typing import Any

from sqlmodel import func, select

from caseterm.core.models import Task
from caseterm.core.services import case_closure
from caseterm.tui.work_log.add_task import AddTaskScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.seen import notes_of


def _shown(app: Any) -> str:
    """The screen and the notifications, with lines joined (a long message wraps)."""
    return " ".join((screen_text(app) + " " + " ".join(notes_of(app))).split())


async def test_A_on_a_closed_case_is_refused_and_writes_nothing(tui_world: TuiWorld) -> None:
    w = tui_world.world
    cid = w.case.id or 0
    with w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=cid, reason="no_further_action")
        for step in ("appointments_cancelled", "tasks_closed"):
            case_closure.tick_step(s, w.clerk, case_id=cid, step=step)
        case_closure.close_case(s, w.clerk, case_id=cid)
    with w.db.read() as s:
        before = s.exec(select(func.count()).select_from(Task)).one()
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(cid)
        await settle(pilot)
        await press(pilot, "3")
        await settle(pilot)
        await press(pilot, "A")
        await wait_for(pilot, lambda: isinstance(app.screen, AddTaskScreen), 5)
        await settle(pilot)
        await press(pilot, *"Phone the employer", "tab", "tab")
        await press(pilot, *"+3", "ctrl+s")
        await wait_for(pilot, lambda: "a closed case is read-only" in _shown(app), 5)
        assert "before you add a task (caseterm case reopen" in _shown(app)
        assert isinstance(app.screen, AddTaskScreen)
    with w.db.read() as s:
        assert s.exec(select(func.count()).select_from(Task)).one() == before
