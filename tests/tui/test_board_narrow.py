"""The team board at 80×24: every heading of the ageing and completed-by tables is read whole
(the ageing heading was cut to "Open work, working d…")."""

from __future__ import annotations

import pytest

from caseterm.tui.board.screen import BoardScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle

pytestmark = pytest.mark.sqlite_only


async def test_the_lower_tables_headings_are_whole_at_80_columns(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen) and app.screen.shown is not None
        text = screen_text(app)
        heading = next(line for line in text.splitlines() if "Open work" in line)
        assert "…" not in heading, heading
        for label in ("Open work, working days", "Now", "Wk ago", "Completed by", "Today"):
            assert label in heading, (label, heading)
        assert "Yday" in heading or "Yesterday" in heading, heading
