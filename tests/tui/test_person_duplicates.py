"""Creating a person in triage (`o` for someone with no record linked) first shows likely
existing records: picking one opens the case for them; "create anyway" makes a new record."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, func, select
from textual.pilot import Pilot
from textual.widgets import OptionList

from caseterm.core.models import CaseFile, Person, Task
from caseterm.core.services import people, tasks
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.dialogs import PickDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _incoming(world: World, title: str) -> int:
    with world.db.write() as s:
        return (
            tasks.create_task(
                s, world.clerk, kind="new_referral", title=title, status="untriaged"
            ).id
            or 0
        )


def _people(world: World) -> int:
    with world.db.read() as s:
        return int(s.exec(select(func.count()).select_from(Person)).one())


@contextlib.asynccontextmanager
async def _triage(
    world: World,
) -> AsyncIterator[tuple[Pilot[Any], TriageApp, TriageScreen, OptionList]]:
    """The triage mode as the clerk, loaded: the pilot, the app, its screen and the matches."""
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        yield pilot, app, screen, screen.query_one("OptionList", OptionList)


async def _showing(pilot: Pilot[Any], app: TriageApp, text: str) -> None:
    """Wait for the question a key answers to be on screen, and everything to have loaded: under
    load a key pressed while the question is still being read goes to the screen before it."""
    await wait_for(pilot, lambda: text in screen_text(app), 5)
    await settle(pilot)


async def _answer_the_questions(pilot: Pilot[Any], app: TriageApp) -> None:
    """Case type (unpaid work), the default team, no owner."""
    await press(pilot, *"unpaid", "enter")
    await _showing(pilot, app, "Which team works the new case?")
    await press(pilot, "enter")
    await _showing(pilot, app, "Who owns the new case?")
    await press(pilot, "enter")


@pytest.mark.parametrize("choice", ["existing", "new"])
async def test_a_likely_duplicate_is_offered_before_a_new_record(world: World, choice: str) -> None:
    item = _incoming(world, "Referral: Siobhan O'Neill-Brady")
    before = _people(world)
    async with _triage(world) as (pilot, app, _screen, matches):
        matches.highlighted = None
        await press(pilot, "o")
        await _showing(pilot, app, "Open a new case of type")
        await _answer_the_questions(pilot, app)
        await _showing(pilot, app, "New person (the subject of the new case)")
        await press(pilot, "ctrl+s")  # the new person's name, prefilled from the item
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 5)
        assert "This person may already have a record" in screen_text(app)
        assert f"Use person {world.person.id}: Siobhán O'Neill-Brady" in screen_text(app)
        if choice == "existing":
            await press(pilot, "down")
        await press(pilot, "enter")
        await settle(pilot)
    with world.db.read() as s:
        task = s.get(Task, item)
        assert task is not None and task.case_id is not None
        case = s.exec(select(CaseFile).where(col(CaseFile.id) == task.case_id)).one()
    if choice == "existing":
        assert case.subject_id == world.person.id and _people(world) == before
    else:
        assert case.subject_id != world.person.id and _people(world) == before + 1


async def test_the_person_is_the_one_chosen_when_o_was_pressed(world: World) -> None:
    """Whatever happens to the list of matches while the questions are asked (read again when
    another process commits, its cursor moved), the case is opened as chosen when `o` was
    pressed: no match highlighted then, so a new person, never the match highlighted later."""
    _incoming(world, "Referral: Siobhan O'Neill-Brady")
    async with _triage(world) as (pilot, app, screen, matches):
        matches.highlighted = None
        await press(pilot, "o")
        await _showing(pilot, app, "Open a new case of type")
        screen.data_changed()  # as a live update does
        await settle(pilot)
        matches.highlighted = 0  # the list's cursor now on the person on file
        await _answer_the_questions(pilot, app)
        await _showing(pilot, app, "New person (the subject of the new case)")


async def test_reading_the_item_again_keeps_the_highlighted_match(world: World) -> None:
    with world.db.write() as s:
        other = people.create_person(
            s,
            world.clerk,
            people.PersonInput(
                given_name="Siobhan", family_name="O'Neill-Brady", date_of_birth=date(1990, 1, 2)
            ),
        )
    _incoming(world, "Referral: Siobhan O'Neill-Brady")
    async with _triage(world) as (pilot, _app, screen, matches):
        ids = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
        assert {f"p:{world.person.id}", f"p:{other.id}"} <= set(ids)
        assert ids.index(f"p:{other.id}") != 0  # (the first is highlighted anyway)
        matches.highlighted = ids.index(f"p:{other.id}")
        screen.data_changed()  # as a live update does
        await settle(pilot)
        assert matches.highlighted == ids.index(f"p:{other.id}")
        matches.highlighted = None
        screen.data_changed()
        await settle(pilot)
        assert matches.highlighted is None
