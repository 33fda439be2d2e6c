"""The stand-alone modes (`caseterm triage`, `caseterm checkin`) have what the workstation has:
help on the keys of their screen, and the config file's keymap."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList

from caseterm.core.services import tasks
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.screens.help import HelpScreen
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, use_config
from tests.tui.seen import NotedTriageApp, notes_of

pytestmark = pytest.mark.sqlite_only


def _incoming(world: World, title: str) -> int:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="new_referral", title=title, status="untriaged"
        )
    return task.id or 0


async def test_triage_help_and_keymap(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_config(
        tmp_path / "c.toml",
        monkeypatch,
        # take_task belongs to the workstation: known, so not reported; the typo is.
        '[keymap]\ntriage_skip = "n"\ntake_task = "T"\nno_such_binding = "x"',
    )
    first = _incoming(world, "Referral: Tomasz Nowak")
    second = _incoming(world, "Referral: Ada Lovelace")
    app = NotedTriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        warnings = [n for n in notes_of(app) if "Unknown binding" in n]
        assert warnings == ["Unknown binding ids in [keymap]: no_such_binding"]
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.item is not None
        assert screen.item.task.id == first
        await press(pilot, "s")  # no longer skip
        await settle(pilot)
        assert screen.item.task.id == first
        await press(pilot, "n")
        await settle(pilot)
        assert screen.item.task.id == second
        assert "? Help" in screen_text(app)
        await press(pilot, "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys: Triage" in text
        assert "n       Skip" in text and "triage_skip" in text
        assert "Ctrl+P" not in text  # this mode has no command palette
        await press(pilot, "escape")
        assert app.screen is screen


async def test_desk_help_is_on_f1_and_lists_the_desks_keys_first(world: World) -> None:
    app = CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "f1 Help" in screen_text(app)
        await press(pilot, "question_mark")  # the search box has focus: `?` is typed there
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(Input).value == "?"
        await press(pilot, "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        where = {
            label: next(i for i, line in enumerate(lines) if label in line)
            for label in ("Keys: Reception desk", "Walk-in", "Close session", "Moving and editing:")
        }
        assert where["Keys: Reception desk"] < where["Walk-in"] < where["Moving and editing:"]
        assert where["Close session"] < where["Moving and editing:"]
        assert "Delete character left" in "\n".join(lines[where["Moving and editing:"] :])


@pytest.mark.parametrize("no_color", [True, False])
async def test_the_row_a_key_acts_on_stands_out_without_colour(
    world: World, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    # NO_COLOR turns the cursor's colours into two nearly equal greys: it is underlined too.
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    _incoming(world, "Referral: Siobhan O'Neill")
    desk = CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)
    async with desk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cursor = desk.screen.query_one(DataTable).get_component_rich_style("datatable--cursor")
        assert bool(cursor.underline) is no_color and bool(cursor.bold) is no_color
    triage = TriageApp(TuiContext(world.db, world.clerk))
    async with triage.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        matches = triage.screen.query_one(OptionList)
        style = matches.get_component_rich_style("option-list--option-highlighted")
        assert bool(style.underline) is no_color


async def test_the_selected_queue_stands_out_without_colour(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        queues = app.screen.query_one("#queue-list", OptionList)
        style = queues.get_component_rich_style("option-list--option-highlighted")
        assert style.underline and style.bold
