"""A database error never closes an app (SQLite): the write lock held by another connection past
a short busy timeout gives a real "database is locked" in a desk check-in, a triage decision and
a queue action. Each says so, keeps what was typed, leaves the database untouched, and the same
action goes through once the lock is free. (PostgreSQL: test_db_errors_pg.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select
from textual.widgets import Input

from caseterm.core.models import Appointment, ContactEntry, Task
from caseterm.core.services import diary, tasks
from caseterm.core.services.diary_views import AppointmentView
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.triage.dialogs import AskDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle
from tests.tui.db_trouble import impatient, sqlite_write_lock, wait_until
from tests.tui.seen import NotedCasetermApp, NotedCheckinApp, NotedTriageApp, notes_of

pytestmark = pytest.mark.sqlite_only

LOCKED = "The database stayed locked by another user; nothing was saved. Try again."


def book(world: World, at: datetime) -> AppointmentView:
    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=at,
            ends_at=at + timedelta(minutes=30),
            kind="supervision",
            case_id=world.case.id,
            room_id=world.room.id,
        )
    return appt


def incoming(world: World, title: str) -> int:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="new_referral", title=title, status="untriaged", priority=3
        )
    return task.id or 0


def stored_task(world: World, ident: int) -> Task:
    with world.db.read() as s:
        found = s.get(Task, ident)
    assert found is not None
    return found


def appointment_status(world: World, ident: int | None) -> str:
    with world.db.read() as s:
        found = s.get(Appointment, ident)
    assert found is not None
    return found.status


async def test_a_locked_database_does_not_close_the_desk(
    frozen_clock: datetime, world: World
) -> None:
    appt = book(world, frozen_clock.replace(hour=11))
    ctx = TuiContext(impatient(world.db), world.desk)
    app = NotedCheckinApp(ctx, world.office.id or 0, world.office.name, live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, *"siobhan")
        await settle(pilot)
        with sqlite_write_lock(world.db):
            await press(pilot, "enter")
            await wait_until(pilot, lambda: LOCKED in notes_of(app), 10.0)
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, DeskScreen)
            assert app.screen.query_one(Input).value == "siobhan"  # what was typed
            assert "not checked in: The database stayed locked" in screen_text(app)
            assert appointment_status(world, appt.id) == "booked"
        await press(pilot, "enter")  # the same key, the lock gone
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
    assert appointment_status(world, appt.id) == "arrived"
    with world.db.read() as s:
        entries = s.exec(select(ContactEntry).where(ContactEntry.appointment_id == appt.id)).all()
    assert len(entries) == 1


async def test_a_locked_database_keeps_a_triage_reason_typed(world: World) -> None:
    item = incoming(world, "Referral: Tomasz Nowak")
    app = NotedTriageApp(TuiContext(impatient(world.db), world.clerk), live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.item is not None
        with sqlite_write_lock(world.db):
            await press(pilot, "x")
            await wait_until(pilot, lambda: isinstance(app.screen, AskDialog), 5.0)
            await press(pilot, *"duplicate referral", "enter")
            await wait_until(pilot, lambda: LOCKED in notes_of(app), 10.0)
            await settle(pilot)
            # Asked again, with the reason as typed and why it was not saved.
            assert isinstance(app.screen, AskDialog)
            assert app.screen.query_one(Input).value == "duplicate referral"
            assert "stayed locked" in screen_text(app)
            assert stored_task(world, item).status == "untriaged"
            assert app.is_running and screen.item is not None and screen.item.task.id == item
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
    closed = stored_task(world, item)
    assert closed.status == "done" and closed.outcome == "duplicate referral"


async def test_a_locked_database_refuses_a_queue_action_and_says_which(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    app = NotedCasetermApp(TuiContext(impatient(w.db), w.worker), live=False)
    review = tui_world.task_ids["team_free"]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket")  # team unallocated: the review comes first
        await settle(pilot)
        with sqlite_write_lock(w.db):
            await press(pilot, "t")
            await wait_until(pilot, lambda: any(LOCKED in n for n in notes_of(app)), 10.0)
            await settle(pilot)
            said = next(n for n in notes_of(app) if LOCKED in n)
            assert f"Task {review} 'Quarterly review' on {w.case.reference}: {LOCKED}" == said
            assert tui_world.task("team_free").assignee_id is None
            assert app.is_running and isinstance(app.screen, QueuesScreen)
        await press(pilot, "t")
        await settle(pilot)
    assert tui_world.task("team_free").assignee_id == w.worker.id
    assert f"Took task {review} 'Quarterly review' on {w.case.reference}." in notes_of(app)
