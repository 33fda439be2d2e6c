"""Working days where a date is typed (Pilot): bringing a task forward to a bank holiday warns
and offers the next working day (ctrl+n takes it), `+10wd` counts working days, and a past date
is said to be past in the preview (enter does nothing) instead of failing after enter."""

from __future__ import annotations

from datetime import date

from caseterm.tui.screens.pickers import BringForwardScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle


async def test_bring_forward_to_christmas_takes_the_next_working_day(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "home", "b", *"25/12/2026")
        await settle(pilot)
        assert isinstance(app.screen, BringForwardScreen)
        text = screen_text(app)
        # The warning wraps in the picker.
        assert "Christmas Day (bank holiday): next working day Tuesday" in text
        assert "29/12/2026 (ctrl+n takes it)" in text
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "→ Tuesday 29 December 2026" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
    assert tui_world.task("mine_overdue").due_date == date(2026, 12, 29)


async def test_ten_working_days_and_a_past_date(tui_world: TuiWorld) -> None:
    before = tui_world.task("mine_overdue").due_date
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "home", "b", *"01/01/2020")
        await settle(pilot)
        assert "01/01/2020 is in the past" in screen_text(app)
        await press(pilot, "enter")  # nothing to confirm: the picker stays
        await settle(pilot)
        assert isinstance(app.screen, BringForwardScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert tui_world.task("mine_overdue").due_date == before
        await press(pilot, "home", "b", *"+10wd")
        await settle(pilot)
        # Monday 23/11/2026 + 10 working days.
        assert "→ Monday 07 December 2026" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
    assert tui_world.task("mine_overdue").due_date == date(2026, 12, 7)
