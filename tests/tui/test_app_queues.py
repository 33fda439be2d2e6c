"""Queues home with Pilot: acting on tasks without leaving the list, asserting the database."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.models import AccessLog, Task
from caseterm.core.services import cases, tasks
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle
from tests.tui.seen import notes_of


async def test_home_shows_queues_with_counts_and_my_tasks_overdue_first(
    tui_world: TuiWorld,
) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        text = screen_text(app)
        assert re.search(r"My work +2 \(1!\)", text)
        # At 80 columns the queue list is narrow (the Task column has the room): names cut "…".
        assert re.search(r"Team unal\S*… +2 +▕", text)
        assert "My work · 2 items · 1 overdue" in text
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if "Chase the c" in line)
        second = next(i for i, line in enumerate(lines) if "Send appoin" in line)
        assert first < second
        assert "20/11!" in lines[first]  # overdue is marked in text too (16 colours, NO_COLOR)


async def test_enter_opens_the_case_of_the_task(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == tui_world.world.case.id
        text = screen_text(app)
        assert tui_world.world.case.reference in text
        assert "Siobhán O'Neill-Brady" in text
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)


async def test_restricted_case_is_refused_and_the_refusal_logged(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.manager.id])
    app = tui_world.app(w.other)  # same team, not on the allow list
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket")  # team unallocated
        await settle(pilot)
        assert "Restricted — ask" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert any("restricted" in n for n in notes_of(app))
    with w.db.read() as s:
        log = s.exec(select(AccessLog).where(AccessLog.staff_id == w.other.id)).all()
    assert [(row.action, row.where) for row in log] == [("refused", "case")]


async def test_marks_and_bulk_complete(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "space")  # marks both of my tasks
        await settle(pilot)
        assert "2 marked" in screen_text(app)
        await press(pilot, "c", "enter")  # no outcome
        await settle(pilot)
        assert "My work · 0 items\n" in screen_text(app)  # and nothing left marked
    for name in ("mine_overdue", "mine_today"):
        done = tui_world.task(name)
        assert done.status == "done"
        assert done.completed_by_id == tui_world.world.worker.id
    assert tui_world.task("team_free").status == "open"


async def test_take_from_team_queue_and_assign_and_bring_forward(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket")
        await settle(pilot)
        await press(pilot, "t")  # take "Quarterly review" (due first)
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id == w.worker.id
        await press(pilot, "a", *"owen", "enter")  # a caseworker may not allocate team work
        await settle(pilot)
        assert tui_world.task("hostile").assignee_id is None
        assert any("may not assign tasks" in n for n in notes_of(app))
        await press(pilot, "left_square_bracket")  # my work: the review I took is third
        await settle(pilot)
        await press(pilot, "j", "j", "a", *"owen", "enter")  # handing on my own task is allowed
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id == w.other.id
        await press(pilot, "home", "b", "plus", "7", "enter")
        await settle(pilot)
    moved = tui_world.task("mine_overdue")
    assert moved.due_date == clock.today() + timedelta(days=7)


async def test_stale_edit_says_who_and_when_and_never_overwrites(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Owen moves the task after Wendy's screen showed it.
        with w.db.write() as s:
            tasks.bring_forward(
                s,
                w.other,
                task_id=tui_world.task_ids["mine_overdue"],
                due_date=clock.today() + timedelta(days=1),
            )
        await press(pilot, "c", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StaleScreen)
        text = screen_text(app)
        assert "changed by Owen Other at 23/11/2026 10:30" in text
        assert tui_world.task("mine_overdue").status == "open"
        await press(pilot, "c")  # compare what I saw with what is stored now
        await settle(pilot)
        text = screen_text(app)
        assert "≠Due" in text and "20/11/2026" in text and "24/11/2026" in text
        await press(pilot, "r")  # reload: the table shows Owen's version
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        table = app.screen.query_one("#tasks", PagedTable)
        rows = [table.row_at(i) for i in range(2)]
        assert [(r.task_id, r.due_date) for r in rows if r] == [
            (tui_world.task_ids["mine_today"], clock.today()),
            (tui_world.task_ids["mine_overdue"], clock.today() + timedelta(days=1)),
        ]
        await press(pilot, "j", "c", "enter")  # now complete it, knowing what changed
        await settle(pilot)
    assert tui_world.task("mine_overdue").status == "done"
    assert tui_world.task("mine_today").status == "open"


async def test_stored_markup_escapes_and_scripts_are_shown_as_plain_text(
    tui_world: TuiWorld,
) -> None:
    # Services strip control characters on input; a row written by something else (an older
    # version, a restore) may still hold them, so the screen strips them again.
    raw = HOSTILE + " \u202eevil\u202c محمد 🙂 Zoe\u0308"
    with tui_world.db.write() as s:
        s.execute(
            update(Task).where(col(Task.id) == tui_world.task_ids["hostile"]).values(title=raw)
        )
    app = tui_world.app()
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket")
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]x [bold]y [/ [2J z evil محمد 🙂 Zoe\u0308" in text
        assert "\x1b" not in text and "\u202e" not in text
        # Clicking the hostile title does not run the action it names.
        table = app.screen.query_one("#tasks", PagedTable)
        await pilot.click(table, offset=(60, 2))
        await settle(pilot)
        assert app.is_running
