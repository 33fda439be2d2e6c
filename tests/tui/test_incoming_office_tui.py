"""The incoming item form's Office: filled with the user's own office, changed by typing another
office's code; an unknown one is refused on its line with nothing logged, a known one is where
the item arrives (`task.office_id`)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from textual.widgets import Input, Static

from caseterm.core.models import Task
from caseterm.tui.incoming.screen import IncomingEntryScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _logged(tw: TuiWorld, summary: str) -> list[Task]:
    with tw.db.read() as s:
        return list(s.exec(select(Task).where(col(Task.title) == summary)).all())


async def test_the_office_is_filled_in_and_another_one_is_where_it_arrives(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "I")
        await wait_for(pilot, lambda: isinstance(app.screen, IncomingEntryScreen), 5)
        screen = app.screen
        office = screen.query_one("#ie-office", Input)
        await wait_for(pilot, lambda: office.value == "PRE", 5)  # the clerk's own
        await press(pilot, "p", *"Bundle from Lancaster court", "ctrl+n", *"Three files", "tab")
        assert app.focused is office
        await press(pilot, *"XYZ")
        assert office.value == "XYZ"
        await press(pilot, "ctrl+s")
        error = screen.query_one("#ie-office-error", Static)
        await wait_for(pilot, lambda: not error.has_class("-empty"), 5)
        assert "Office: no office 'XYZ' (offices: LAN, PRE)" in str(error.render())
        assert _logged(tui_world, "Bundle from Lancaster court") == []
        assert app.focused is office  # straight to what needs fixing
        office.value = ""
        await press(pilot, *"lan", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, IncomingEntryScreen), 5)
    [task] = _logged(tui_world, "Bundle from Lancaster court")
    assert task.office_id == w.other_office.id and task.status == "untriaged"
