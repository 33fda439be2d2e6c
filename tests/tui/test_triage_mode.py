"""Triage mode through Pilot: single-key decisions, the next item at once, undo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import OptionList

from caseterm.core.models import CaseFile, Person, Task
from caseterm.core.services import incoming, tasks
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import idle, press
from tests.tui.conftest import screen_text, settle

pytestmark = pytest.mark.sqlite_only


def _incoming(world: World, title: str, priority: int = 3) -> int:
    with world.db.write() as s:
        task = tasks.create_task(
            s,
            world.clerk,
            kind="new_referral",
            title=title,
            status="untriaged",
            priority=priority,
            source="Preston Magistrates' Court",
        )
    return task.id or 0


def _task(world: World, task_id: int) -> Task:
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None
    return task


async def test_decisions_undo_and_counter(world: World) -> None:
    first = _incoming(world, "Referral: Siobhan O'Neill", priority=1)
    second = _incoming(world, "Referral: Tomasz Nowak")
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.item is not None
        assert screen.item.task.id == first
        assert world.person.id in [m.person_id for m in screen.item.suggestions]
        await press(pilot, "2")  # priority: stays on this item
        await settle(pilot)
        assert _task(world, first).priority == 2 and screen.item.task.id == first
        await press(pilot, "l")  # link the highlighted match (the existing person)
        await settle(pilot)
        assert _task(world, first).person_id == world.person.id
        await press(pilot, "x")
        await idle(pilot)
        await press(pilot, *"duplicate of existing referral", "enter")
        await settle(pilot)
        assert _task(world, first).status == "done"
        assert screen.item is not None and screen.item.task.id == second
        assert screen.done == 1
        await press(pilot, "u")  # undo the close: the first item comes back
        await settle(pilot)
        assert _task(world, first).status == "untriaged"
        assert screen.item is not None and screen.item.task.id == first and screen.done == 0
        await press(pilot, "u", "u")  # and the link, and the priority
        await settle(pilot)
        await settle(pilot)
    restored = _task(world, first)
    assert (restored.status, restored.priority, restored.person_id) == ("untriaged", 1, None)


async def test_open_case_for_a_new_person(world: World) -> None:
    item = _incoming(world, "Referral: Zoë Dvořák")
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        screen.query_one("OptionList", OptionList).highlighted = None
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, *"unpaid", "enter")  # filter the case types, pick Unpaid work
        await settle(pilot)
        await press(pilot, "enter")  # the default team
        await settle(pilot)
        await press(pilot, "enter")  # no owner yet
        await settle(pilot)
        await press(pilot, "ctrl+s")  # the new person's name is prefilled from the item
        await settle(pilot)
    task = _task(world, item)
    assert task.status == "open" and task.case_id is not None
    with world.db.read() as s:
        case = s.exec(select(CaseFile).where(CaseFile.id == task.case_id)).one()
    assert case.reference.startswith("UPW/")
    assert (case.team_id, case.owner_id) == (world.team.id, None)  # no UPW team yet: theirs


async def test_an_item_logged_with_a_name_shows_it_and_prefills_the_new_person(
    world: World,
) -> None:
    with world.db.write() as s:
        item = incoming.record_incoming(
            s,
            world.clerk,
            kind="phone_message",
            summary="Wants to change an appointment",
            about_name="Zoë Dvořák",
            about_dob=date(1990, 3, 2),
        ).id
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert "About: Zoë Dvořák (b. 02/03/1990)" in screen_text(app)
        screen.query_one("OptionList", OptionList).highlighted = None
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, *"unpaid", "enter")
        await settle(pilot)
        await press(pilot, "enter")  # the default team
        await settle(pilot)
        await press(pilot, "enter")  # no owner yet
        await settle(pilot)
        await press(pilot, "ctrl+s")  # name and date of birth came from the item
        await settle(pilot)
    task = _task(world, item or 0)
    with world.db.read() as s:
        person = s.get(Person, task.person_id)
    assert person is not None
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Zoë",
        "Dvořák",
        date(1990, 3, 2),
    )


async def test_skip_and_empty_queue(world: World) -> None:
    only = _incoming(world, "Post: letter from solicitor")
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await press(pilot, "s")
        await settle(pilot)
        assert screen.item is None and only in screen.skipped
    assert _task(world, only).status == "untriaged"
