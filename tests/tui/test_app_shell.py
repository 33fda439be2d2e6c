"""The app shell: help, the command palette, a user keymap from the config file, back and the
screens written alongside (search, diary)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from caseterm.core.services import drafts
from caseterm.tui.app import CasetermApp
from caseterm.tui.commands import _go_to_reference
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.help import HelpScreen
from caseterm.tui.screens.queues import QueuesScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, use_config, wait_for
from tests.tui.seen import notes_of


async def test_help_lists_every_key_of_the_screen_with_its_id(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for keys, what, binding_id in (
            ("t", "Take", "take_task"),
            ("c", "Complete", "complete_task"),
            ("space", "Mark", "mark"),
            ("j", "Down", "cursor_down"),
            ("/", "Search", "search"),
            ("^q", "Quit", "quit"),
        ):
            pattern = rf"{re.escape(keys)}\s+{what}\s+{binding_id}\b"
            assert re.search(pattern, text), (keys, what)
        await press(pilot, "escape")
        assert isinstance(app.screen, QueuesScreen)


def top_option(app: CasetermApp) -> str:
    """The first choice the command palette offers (what enter would run), or ""."""
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


async def test_palette_goes_to_a_case_and_runs_actions(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"complete")
        await wait_for(pilot, lambda: top_option(app).startswith("Complete"), 10)
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, "enter")  # no outcome
        await settle(pilot)
        assert tui_world.task("mine_overdue").status == "done"
        await press(pilot, "ctrl+p")
        await settle(pilot)
        await press(pilot, *"om/2026/1")
        await wait_for(pilot, lambda: "Go to case OM/2026/000001" in screen_text(app), 10)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == tui_world.world.case.id


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("OM/2026/000001", "OM/2026/000001"),
        ("go to case upw/2025/42", "UPW/2025/000042"),
        ("case OM/2026/7", "OM/2026/000007"),
        ("complete", None),
        ("", None),
    ],
)
def test_palette_recognises_references(typed: str, reference: str | None) -> None:
    assert _go_to_reference(typed) == reference


async def test_keymap_in_the_config_file_remaps_keys(
    tui_world: TuiWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_config(tmp_path / "c.toml", monkeypatch, '[keymap]\ntake_task = "T"\nno_such_binding = "x"')
    app = tui_world.app()
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        assert any("no_such_binding" in n for n in notes_of(app))
        await press(pilot, "right_square_bracket")  # team unallocated
        await settle(pilot)
        await press(pilot, "t")  # no longer bound
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id is None
        await press(pilot, "T")
        await settle(pilot)
        assert tui_world.task("team_free").assignee_id == tui_world.world.worker.id
        assert "T Take" in screen_text(app)


async def test_escape_goes_back_and_does_nothing_at_home(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "esc Back" not in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, QueuesScreen)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert "esc Back" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, QueuesScreen)


@pytest.mark.parametrize(
    ("key", "module", "screen_class"),
    [
        ("slash", "caseterm.tui.screens.search", "SearchScreen"),
        ("d", "caseterm.tui.screens.diary", "DiaryScreen"),
    ],
)
async def test_search_and_diary_keys_open_their_screens(
    tui_world: TuiWorld, key: str, module: str, screen_class: str
) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, key)
        await settle(pilot)
        if importlib.util.find_spec(module) is None:
            # Not written yet: the key says so rather than failing.
            assert isinstance(app.screen, QueuesScreen)
            assert any("not available" in n for n in notes_of(app))
        else:
            assert type(app.screen).__name__ == screen_class


async def test_keys_of_screens_loaded_later_are_known_to_the_keymap(
    tui_world: TuiWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_config(
        tmp_path / "c.toml",
        monkeypatch,
        # ids of later screens, and of the triage and desk modes (one config serves them all)
        '[keymap]\nsave = "f2"\nnext_queue = "tab"\ntriage_skip = "n"\nwalk_in = "f3"',
    )
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not any("Unknown binding" in n for n in notes_of(app))


async def test_unsaved_contact_entries_are_announced_at_start(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        drafts.save_draft(
            s, w.worker, kind="contact_entry", key=str(w.case.id), data={"notes": "half a sen"}
        )
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        # the look for drafts waits for the first rows, then the start-up grace
        await wait_for(
            pilot,
            lambda: any(
                w.case.reference in n and "Unsaved contact entry" in n for n in notes_of(app)
            ),
            10,
        )


async def test_when_started_is_called_once_the_first_screen_is_up(tui_world: TuiWorld) -> None:
    calls: list[bool] = []
    app: CasetermApp = tui_world.app(
        when_started=lambda: calls.append(isinstance(app.screen, QueuesScreen))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: calls, 10)
        assert calls == [True]
        await press(pilot, "slash")
        await settle(pilot)
        # the start-up timer has fired (calls is not empty): another screen cannot call it again
        assert calls == [True]  # once, not per screen
