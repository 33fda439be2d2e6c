"""Sampled checks in Checks awaiting me: `p` passes the check under the cursor and `f` fails it
with a category and notes, raising a rework task for the officer."""

from __future__ import annotations

from sqlmodel import select

from caseterm.core.models import Task, WorkCheck
from caseterm.core.models.vocab import TaskKind
from caseterm.core.services import check_outcomes, checks
from caseterm.tui.letters.checks_screen import ChecksScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.check_helpers import WORK_DAY, add_checker, day_of_work, rate
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


async def test_pass_and_fail_a_sampled_check_from_checks_awaiting_me(tui_world: TuiWorld) -> None:
    w = tui_world.world
    add_checker(w)
    day_of_work(w, tasks_each=3, contacts_each=0)
    rate(w, "task", 100)
    with w.db.write() as s:
        checks.draw_checks(s, w.manager, day=WORK_DAY)
    chk = w.manager
    with w.db.read() as s:
        mine = [r.id for r in check_outcomes.checks_awaiting(s, chk)]
    assert len(mine) == 5  # of the 6 drawn, one went to the other checker
    app = tui_world.app(chk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await settle(pilot)
        assert isinstance(app.screen, ChecksScreen)
        table = app.screen.query_one("#sampled-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 5, 5)
        assert "Completed task" in screen_text(app)
        await press(pilot, "p")
        await settle(pilot)
        await wait_for(pilot, lambda: table.count == 4, 5)
        await press(pilot, "f")
        await settle(pilot)
        await press(pilot, "enter")  # the first category, as offered
        await settle(pilot)
        await press(pilot, *"wrong person phoned")
        await press(pilot, "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: table.count == 3, 5)
        assert "rework task" in screen_text(app)
    with w.db.read() as s:
        first, second = (s.get(WorkCheck, i) for i in mine[:2])
        assert first is not None and first.status == "passed" and first.checked_by_id == chk.id
        assert second is not None and second.status == "failed"
        assert (second.category, second.notes) == ("wrong_outcome", "wrong person phoned")
        rework = s.exec(select(Task).where(Task.kind == TaskKind.REWORK)).one()
        assert rework.id == second.rework_task_id and rework.assignee_id == second.officer_id
