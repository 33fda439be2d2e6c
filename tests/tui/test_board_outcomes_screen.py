"""The board's deadlines and letters in the workstation: `B` shows them from the database, and
`enter` on "Deadlines missed" lists the late clock's case (restricted cases counted, not listed)."""

from __future__ import annotations

from caseterm.core.services import cases
from caseterm.tui.board.list_screen import BoardListScreen
from caseterm.tui.board.screen import BoardScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.test_board_outcomes import _built
from tests.tui.conftest import TuiWorld, screen_text, settle


def _line(text: str, name: str) -> list[str]:
    return next(ln for ln in text.splitlines() if name in ln).split()


async def test_deadlines_and_letters_on_the_board_and_the_cases_behind_them(
    tui_world: TuiWorld,
) -> None:
    w = _built(tui_world.world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.shown is not None
        assert screen.shown.figure("deadlines_missed").today == 1
        text = screen_text(app)
        assert _line(text, "Deadlines met")[2:4] == ["2", "+1"]
        assert _line(text, "Deadlines missed")[2:4] == ["1", "+1"]
        assert _line(text, "Letters checked")[2:4] == ["2", "+1"]
        table = screen.query_one("#board-figures", PagedTable)
        table.focus()
        keys = [f.key for f in screen.shown.figures]
        for _ in range(keys.index("deadlines_missed")):
            await press(pilot, "down")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardListScreen)
        listed = screen_text(app)
        assert "1 listed." in listed and (w.case.reference or "") in listed
        assert "Pre-sentence report (due 20/11/" in listed


async def test_a_restricted_case_is_counted_not_listed(tui_world: TuiWorld) -> None:
    w = _built(tui_world.world)
    with w.db.write() as s:  # only Wendy may see the case; the user is Owen
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    app = tui_world.app(w.other)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.shown is not None
        assert screen.shown.figure("deadlines_met").today == 2
        screen.query_one("#board-figures", PagedTable).focus()
        keys = [f.key for f in screen.shown.figures]
        for _ in range(keys.index("deadlines_met")):
            await press(pilot, "down")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardListScreen)
        assert (w.case.reference or "") not in screen_text(app)
        assert "2 on restricted cases counted but not listed" in screen_text(app)
