"""The key bar (bottom line): `? Help` is always on it, keys that do not fit give way to `…`,
a click presses the key; and on a form the keys that leave it are neither shown nor working."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.help import HelpScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.widgets.key_bar import KeyBar
from tests.keys import idle, press
from tests.tui.conftest import TuiWorld, screen_text, settle


def bottom_line(app: object) -> str:
    return screen_text(app).splitlines()[-1]


async def test_help_is_on_the_bar_at_80_columns_and_what_does_not_fit_gives_way(
    tui_world: TuiWorld,
) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = bottom_line(app)
        assert line.rstrip().endswith("? Help")
        assert line.startswith(" ⏎ Open  space Mark")
        assert "…" in line  # some keys were left out: help lists them all
        assert len(line) <= 80


async def test_at_120_columns_more_keys_fit(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = bottom_line(app)
        assert "n New contact" in line and "r Refresh" in line
        assert line.rstrip().endswith("? Help")


async def test_clicking_a_key_presses_it(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bottom_line(app)
        await pilot.click(KeyBar, offset=(line.index("? Help") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        await pilot.click(KeyBar, offset=(line.index("⏎ Open"), 0))
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert bar is not app.screen.query_one(KeyBar)  # each screen has its own bar


async def test_the_contact_form_offers_no_key_that_leaves_it(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        assert "d Diary" in bottom_line(app)
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)
        line = bottom_line(app)
        assert "^s Save" in line and "? Help" in line
        assert "Diary" not in line and "Search" not in line
        await press(pilot, "ctrl+t")  # the type picker: its letters are types, `d` is no exit
        await press(pilot, "d", "slash")
        await settle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)
        await press(pilot, "escape")  # nothing typed: back to the case at once
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await press(pilot, "d")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiaryScreen"


async def test_f1_is_help_where_typing_takes_the_question_mark(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        assert bottom_line(app).rstrip().endswith("f1 Help")  # `?` would be typed here
        await press(pilot, "question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        await press(pilot, "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


class Bar(App[None]):
    """Seven keys needing 79 columns two spaces apart, 73 one space apart; no help key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"noted('{key}')", label)
        for key, label in [
            ("a", "Alpha"),
            ("b", "Bravo key"),
            ("c", "Charlie"),
            ("d", "Delta x"),
            ("e", "Echo key"),
            ("f", "Foxtrot"),
            ("g", "Golf key"),
        ]
    ]

    def __init__(self) -> None:
        super().__init__()
        self.noted: list[str] = []

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def action_noted(self, key: str) -> None:
        self.noted.append(key)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (80, " a Alpha  b Bravo key  c Charlie  d Delta x  e Echo key  f Foxtrot  g Golf key"),
        (75, " a Alpha b Bravo key c Charlie d Delta x e Echo key f Foxtrot g Golf key"),
        (40, " a Alpha  b Bravo key  c Charlie  …"),
    ],
)
async def test_keys_close_up_before_any_is_left_out(width: int, expected: str) -> None:
    app = Bar()
    async with app.run_test(size=(width, 3)) as pilot:
        await idle(pilot)
        assert bottom_line(app) == expected
        await pilot.click(KeyBar, offset=(expected.index("c Charlie"), 0))
        assert app.noted == ["c"]
