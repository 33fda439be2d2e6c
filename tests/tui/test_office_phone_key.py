"""`H` in the workstation: an office administrator sets the phone number their office's letters
print; a caseworker is not offered the key."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseterm.core.models import Office
from caseterm.tui.screens.prompt import PromptScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of

pytestmark = pytest.mark.sqlite_only


def _phone(tui_world: TuiWorld) -> str:
    with tui_world.db.read() as s:
        return s.exec(select(Office.phone).where(Office.code == "PRE")).one()


async def test_h_sets_the_office_phone(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "H")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
        await press(pilot, *"ring us", "enter")  # not a number: refused, nothing saved
        await wait_for(pilot, lambda: any("not a telephone number" in n for n in notes_of(app)), 5)
        assert _phone(tui_world) == ""
        await press(pilot, "H")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 5)
        await press(pilot, *"01772 555 0100", "enter")
        await wait_for(pilot, lambda: any("now print: 01772" in n for n in notes_of(app)), 5)
    assert _phone(tui_world) == "01772 555 0100"


async def test_a_caseworker_is_not_offered_h(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "H")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
    assert _phone(tui_world) == ""
