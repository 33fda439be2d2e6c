"""Triage and reception check-in opened from the workstation: by key and by the command
palette, deciding for real, escape back to the queues, and the live refresh reaching them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from textual.command import CommandPalette
from textual.widgets import Input

from caseterm.core.models import Appointment, Task
from caseterm.core.services import diary, tasks
from caseterm.tui.desk.modals import WalkInDialog
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.messages import DataChanged
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.triage.screen import TriageScreen
from tests.conftest import FROZEN
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle

pytestmark = pytest.mark.sqlite_only


def _incoming(tw: TuiWorld, title: str) -> int:
    w = tw.world
    with w.db.write() as s:
        task = tasks.create_task(
            s, w.clerk, kind="new_referral", title=title, status="untriaged", priority=3
        )
    return task.id or 0


def _status(tw: TuiWorld, task_id: int) -> tuple[str, int]:
    with tw.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None
    return task.status, task.priority


async def test_triage_from_the_palette_decides_and_escapes_back(tui_world: TuiWorld) -> None:
    first = _incoming(tui_world, "Referral: Tomasz Nowak")
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"triage incoming")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.item is not None and screen.item.task.id == first
        await press(pilot, "1")
        await settle(pilot)
        assert _status(tui_world, first) == ("untriaged", 1)
        # Someone else adds an item: the live refresh reaches the triage screen.
        second = _incoming(tui_world, "Referral: Ann Other")
        app.post_message(DataChanged(app.data_generation + 1))
        await settle(pilot)
        assert screen.waiting == 2, screen.waiting
        await press(pilot, "escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueuesScreen)
        assert _status(tui_world, second) == ("untriaged", 3)
        await press(pilot, "T")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueuesScreen)


async def test_reception_desk_from_the_key_for_my_office(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "R")
        await settle(pilot)
        desk = app.screen
        assert isinstance(desk, DeskScreen)
        assert (desk.office_id, desk.office_name) == (w.office.id, w.office.name)
        assert desk.rows == []
        # A booking committed elsewhere shows up when the live refresh says the data changed.
        with w.db.write() as s:
            diary.book_appointment(
                s,
                w.clerk,
                staff_id=w.worker.id,
                starts_at=FROZEN + timedelta(hours=1),
                ends_at=FROZEN + timedelta(hours=2),
                kind="supervision",
                case_id=w.case.id,
            )
        app.post_message(DataChanged(app.data_generation + 1))
        await settle(pilot)
        assert len(desk.rows) == 1
        await press(pilot, "escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueuesScreen)


async def test_modes_are_refused_to_roles_without_them(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.worker)  # a caseworker: triage yes, reception no
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "R")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        await press(pilot, "T")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)


async def test_the_desk_stays_open_after_a_check_in_and_a_walk_in(tui_world: TuiWorld) -> None:
    # Issue 17 #5: with an empty search box, a check-in or a walk-in closed the desk.
    w = tui_world.world
    with w.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            w.clerk,
            staff_id=w.worker.id,
            starts_at=FROZEN + timedelta(hours=1),
            ends_at=FROZEN + timedelta(hours=2),
            kind="supervision",
            case_id=w.case.id,
            room_id=w.room.id,
        )
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "R")
        await settle(pilot)
        desk = app.screen
        assert isinstance(desk, DeskScreen) and desk.query_one(Input).value == ""
        await press(pilot, "enter")  # today's list, the first arrival
        await settle(pilot)
        assert app.screen is desk
        await press(pilot, "f2")
        await settle(pilot)
        assert isinstance(app.screen, WalkInDialog)
        await press(pilot, *"Mr Patel", "enter", *"fines enquiry", "enter")
        await settle(pilot)
        assert app.screen is desk and app.is_running
        await press(pilot, "escape")  # the empty box still leaves the desk
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    with w.db.read() as s:
        arrived = s.get(Appointment, appt.id)
        walk_in = s.exec(select(Task).where(Task.kind == "walk_in")).one()
    assert arrived is not None and arrived.status == "arrived"
    assert walk_in.title == "Walk-in: Mr Patel"
