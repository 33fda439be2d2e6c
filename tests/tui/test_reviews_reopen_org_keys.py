"""Keys for what only the CLI did before, with Pilot, asserting the database: `z` on the case's
Tasks section reopens a done task, `V` schedules a review and `Z` cancels it (the Diary
section), and `N` opens the offices, teams and rooms, where a system administrator adds each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from textual.widgets import TabbedContent

from caseterm.core import clock
from caseterm.core.models import AuditEvent, Office, ReviewSchedule, Room, Task, Team
from caseterm.core.models.vocab import ReviewStatus, TaskStatus
from caseterm.core.services import tasks
from caseterm.tui.org.screen import OrgScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.case_reviews import ReviewScreen
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of, screen_text

pytestmark = pytest.mark.sqlite_only


def _rows(table: PagedTable[Any]) -> list[Any]:
    return [table.row_at(i) for i in range(table.count or 0)]


def _actions(tui_world: TuiWorld, action: str) -> list[AuditEvent]:
    with tui_world.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


async def test_z_reopens_a_done_task_and_refuses_an_open_one(tui_world: TuiWorld) -> None:
    w = tui_world.world
    done_id = tui_world.task_ids["mine_today"]
    with w.db.write() as s:
        tasks.complete_task(s, w.worker, task_id=done_id, outcome="sent")
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await press(pilot, "3")
        table = app.screen.query_one("#tasks-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 4, 5)
        await press(pilot, "z")  # the first row: an open task
        await wait_for(
            pilot, lambda: any("only a done or cancelled" in n for n in notes_of(app)), 5
        )
        assert not isinstance(app.screen, PromptScreen)
        await press(pilot, "end")  # the done task is listed last
        await wait_for(pilot, lambda: getattr(table.current_row, "task_id", 0) == done_id, 5)
        await press(pilot, "z")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
        await press(pilot, *"closed by mistake", "enter")
        await wait_for(pilot, lambda: any("Reopened task" in n for n in notes_of(app)), 5)
    with w.db.read() as s:
        task = s.get(Task, done_id)
        assert task is not None
        assert task.status == TaskStatus.OPEN and task.outcome == ""
        assert task.assignee_id == w.worker.id  # it keeps its holder
    reopened = _actions(tui_world, "task.reopen")
    assert [e.entity_id for e in reopened] == [done_id]
    assert "closed by mistake" in reopened[0].summary


async def test_v_schedules_a_review_and_z_cancels_it(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await press(pilot, "V")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), 5)
        await press(pilot, *"Sentence plan review", "enter")
        await press(pilot, *"+7", "enter")
        await wait_for(pilot, lambda: any("Scheduled review" in n for n in notes_of(app)), 5)
        assert isinstance(app.screen, CaseDetailScreen)
        with w.db.read() as s:
            review = s.exec(
                select(ReviewSchedule).where(ReviewSchedule.description == "Sentence plan review")
            ).one()
        assert review.case_id == w.case.id and review.kind == "review"
        assert review.due_date == clock.today() + timedelta(days=7)
        assert review.status == ReviewStatus.PENDING
        reviews = app.screen.query_one("#reviews-table", PagedTable)
        await wait_for(pilot, lambda: any(r.id == review.id for r in _rows(reviews)), 5)
        assert app.screen.query_one(TabbedContent).active == "diary"
        index = next(i for i, r in enumerate(_rows(reviews)) if r.id == review.id)
        reviews.move_cursor(index)
        await press(pilot, "Z")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
        await press(pilot, *"no longer needed", "enter")
        await wait_for(pilot, lambda: any("Cancelled review" in n for n in notes_of(app)), 5)
    with w.db.read() as s:
        cancelled = s.get(ReviewSchedule, review.id)
        assert cancelled is not None and cancelled.status == ReviewStatus.CANCELLED
    assert [e.entity_id for e in _actions(tui_world, "review.cancel")] == [review.id]


async def test_n_lists_the_organisation_and_adds_an_office_a_team_and_a_room(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    app = tui_world.app(w.admin)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "N")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgScreen), 5)
        table = app.screen.query_one("#org-table", PagedTable)
        await wait_for(pilot, lambda: (table.count or 0) >= 4, 5)  # 2 offices, a team, a room
        assert "Preston offender management" in screen_text(app)
        await press(pilot, "enter")  # the row in full
        await wait_for(pilot, lambda: isinstance(app.screen, RecordScreen), 5)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgScreen), 5)

        async def answer(*answers: str) -> None:
            for text in answers:
                await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
                await press(pilot, *text, "enter") if text else await press(pilot, "enter")

        await press(pilot, "o")
        await answer("kdl", "Kendal", "1 Market Place")
        await wait_for(pilot, lambda: "Added office KDL: Kendal" in screen_text(app), 5)
        await press(pilot, "t")
        await answer("kdl-om", "Kendal offender management", "KDL")
        await wait_for(pilot, lambda: "Added team KDL-OM" in screen_text(app), 5)
        await press(pilot, "m")
        await answer("XYZ", "Room 9")  # no such office: said on the screen, nothing added
        await wait_for(pilot, lambda: "no office 'XYZ'" in screen_text(app), 5)
        await press(pilot, "m")
        await answer("KDL", "Interview 1")
        await wait_for(pilot, lambda: "Added room KDL · Interview 1" in screen_text(app), 5)
        await wait_for(pilot, lambda: (table.count or 0) >= 7, 5)
    with tui_world.db.read() as s:
        office = s.exec(select(Office).where(Office.code == "KDL")).one()
        assert office.name == "Kendal" and office.address == "1 Market Place"
        team = s.exec(select(Team).where(Team.code == "KDL-OM")).one()
        assert team.office_id == office.id
        rooms = s.exec(select(Room).where(Room.office_id == office.id).order_by(col(Room.id))).all()
        assert [r.name for r in rooms] == ["Interview 1"]
        assert not s.exec(select(Room).where(Room.name == "Room 9")).all()
    assert len(_actions(tui_world, "office.create")) == 3  # Preston, Lancaster, Kendal
    assert len(_actions(tui_world, "room.create")) == 2


async def test_a_caseworker_is_not_offered_n(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "N")
        await settle(pilot)
        assert not isinstance(app.screen, OrgScreen)
