"""The work log keys with Pilot, asserting the database: `e` corrects a contact entry, `A` adds a
task to a case, the case's Tasks section acts as the queue (with "on behalf of"), `P` sets a
priority, `u` undoes queue actions, and the cursor follows a task an action re-sorted."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.models import ContactEntry, Task
from caseterm.core.services import contacts, tasks
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.work_log.add_task import AddTaskScreen
from caseterm.tui.work_log.correct import CorrectEntryScreen
from caseterm.tui.work_log.questions import OnBehalfScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of


async def test_e_corrects_a_contact_entry_and_the_original_stays(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        first = contacts.log_contact(
            s, w.worker, case_id=w.case.id or 0, contact_type="phone_in", notes="rang about rent"
        )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await press(pilot, "e")
        await settle(pilot)
        assert isinstance(app.screen, CorrectEntryScreen)
        await press(pilot, "ctrl+s")  # no reason: refused, nothing written
        await settle(pilot)
        assert isinstance(app.screen, CorrectEntryScreen)
        await press(pilot, *"wrong person")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert any(f"Entry {first.id} corrected by entry" in n for n in notes_of(app))
        table = app.screen.query_one("#contacts-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 2, 5)
    with w.db.read() as s:
        entries = s.exec(select(ContactEntry).order_by(col(ContactEntry.id))).all()
    assert len(entries) == 2
    assert entries[1].supersedes_id == first.id
    assert entries[1].correction_reason == "wrong person"
    assert entries[1].notes == "rang about rent"


async def test_a_adds_a_task_to_the_case(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "3")
        await settle(pilot)
        await press(pilot, "A")
        await settle(pilot)
        assert isinstance(app.screen, AddTaskScreen)
        await press(pilot, *"Phone the employer", "tab", "tab")  # title; past the kind
        await press(pilot, *"+3", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert any("Phone the employer" in n for n in notes_of(app))
    with w.db.read() as s:
        task = s.exec(select(Task).where(Task.title == "Phone the employer")).one()
    assert task.case_id == w.case.id and task.kind == "general"
    assert task.due_date == clock.today() + timedelta(days=3)
    assert task.team_id == w.team.id and task.assignee_id is None


async def test_case_tasks_section_completes_a_colleagues_task_on_behalf(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    with w.db.write() as s:
        theirs = tasks.create_task(
            s,
            w.clerk,
            kind="general",
            title="Owen's call",
            case_id=w.case.id,
            assignee_id=w.other.id,
            due_date=clock.today() - timedelta(days=9),  # first in the section
        )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "3")
        await settle(pilot)
        await press(pilot, "c")
        await settle(pilot)
        await press(pilot, *"rang him", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OnBehalfScreen)
        await press(pilot, "y")
        await settle(pilot)
    with w.db.read() as s:
        done = s.get(Task, theirs.id)
    assert done is not None and done.status == "done" and done.completed_on_behalf
    assert done.outcome == "rang him" and done.completed_by_id == w.worker.id


async def test_priority_then_undo_back_through_the_session(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "P", "1")  # my overdue task (priority 2) becomes urgent
        await settle(pilot)
        assert tui_world.task("mine_overdue").priority == 1
        await press(pilot, "right_square_bracket")  # the team's unallocated work
        await settle(pilot)
        await press(pilot, "t")
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id == tui_world.world.worker.id
        await press(pilot, "u")  # undoes the take
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id is None
        assert any(n.startswith("Undone: Took task") for n in notes_of(app))
        await press(pilot, "u")  # then the priority
        await settle(pilot)
        assert tui_world.task("mine_overdue").priority == 2
        await press(pilot, "u")
        await settle(pilot)
        assert any("Nothing to undo" in n for n in notes_of(app))


async def test_undo_a_completion_reopens_the_task(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "c", *"done", "enter")
        await settle(pilot)
        done = tui_world.task("mine_overdue")
        assert done.status == "done" and done.outcome == "done"
        await press(pilot, "u")
        await settle(pilot)
    back = tui_world.task("mine_overdue")
    assert (back.status, back.outcome, back.completed_by_id) == ("open", "", None)


async def test_cursor_stays_on_the_task_after_bring_forward(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        table = app.screen.query_one("#tasks", PagedTable)
        first = table.current_row
        assert first is not None and first.task_id == tui_world.task_ids["mine_overdue"]
        await press(pilot, "b", *"+2w", "enter")
        await settle(pilot)
        moved = tui_world.task("mine_overdue")
        assert moved.due_date == clock.today() + timedelta(weeks=2)
        await wait_for(
            pilot,
            lambda: (
                table.current_row is not None
                and table.current_row.task_id == tui_world.task_ids["mine_overdue"]
            ),
            5,
        )
        assert table.cursor == 1  # it is now second, after the task due today
        await press(pilot, "c", "enter")  # so `c` completes the task acted on
        await settle(pilot)
    assert tui_world.task("mine_overdue").status == "done"
    assert tui_world.task("mine_today").status == "open"
