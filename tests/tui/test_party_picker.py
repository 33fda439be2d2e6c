"""`W` on the case screen adds a party by picking the person from a search (name and/or date of
birth) instead of typing their number (issue 12); Pilot asserts the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from caseterm.core.models import CaseParty
from caseterm.core.services import people
from caseterm.tui.case_edit.form import LifecycleForm
from caseterm.tui.case_edit.person_picker import PersonPickerScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


async def pick_person(pilot: Pilot[Any], app: Any, key: str, text: str, index: int = 0) -> None:
    """Press `key`, search for `text` in the person picker, pick the `index`th match: the party
    form is then on screen."""
    await press(pilot, key)
    await wait_for(pilot, lambda: isinstance(app.screen, PersonPickerScreen), 5)
    await settle(pilot)
    picker = app.screen
    picker.query_one("#pp-query", Input).value = text
    await press(pilot, "enter")
    await wait_for(pilot, lambda: bool(picker.found), 5)
    await settle(pilot)
    for _ in range(index):
        await press(pilot, "down")
    assert picker.query_one("#pp-list", OptionList).has_focus
    await press(pilot, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LifecycleForm), 5)
    await settle(pilot)


async def _open(tw: TuiWorld, pilot: Pilot[Any], app: Any) -> None:
    await settle(pilot)
    app.open_case(tw.world.case.id or 0)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)


async def test_W_picks_the_person_by_name_and_date_of_birth(tui_world: TuiWorld) -> None:
    tw = tui_world
    w = tw.world
    with tw.db.write() as s:
        older = people.create_person(
            s, w.clerk, people.PersonInput("Maria", "Kowalska", date_of_birth=date(1961, 2, 3))
        )
        younger = people.create_person(
            s, w.clerk, people.PersonInput("Maria", "Kowalska", date_of_birth=date(1990, 7, 8))
        )
    app = tw.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(tw, pilot, app)
        await pick_person(pilot, app, "W", "Maria Kowalsky 08/07/1990")  # a typo, and the dob
        assert f"person {younger.id}" in screen_text(app)
        app.screen.query_one("#lf-role", Select).value = "nearest_relative"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tw.db.read() as s:
        party = s.exec(select(CaseParty)).one()
    assert (party.person_id, party.role, party.case_id) == (
        younger.id,
        "nearest_relative",
        w.case.id,
    )
    assert older.id != younger.id


async def test_W_with_nobody_found_says_so_and_escape_adds_nothing(tui_world: TuiWorld) -> None:
    tw = tui_world
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        await press(pilot, "W")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonPickerScreen), 5)
        await settle(pilot)
        app.screen.query_one("#pp-query", Input).value = "Zebedee Quixotic"
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "Nobody found" in screen_text(app), 5)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tw.db.read() as s:
        assert s.exec(select(CaseParty)).all() == []
