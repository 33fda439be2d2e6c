"""Sampled checks on the board in the workstation: `B` shows checks passed and failed from the
database, `enter` on "Checks passed" lists the checks behind it, and the board's reports (`p`)
run the throughput and accuracy report with the database's numbers."""

from __future__ import annotations

from sqlmodel import func, select

from caseterm.core.models import WorkCheck
from caseterm.core.services import reports
from caseterm.tui.board.list_screen import BoardListScreen
from caseterm.tui.board.reports_screen import ReportsScreen
from caseterm.tui.board.screen import BoardScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.test_board_checks import MONDAY, built
from tests.tui.conftest import TuiWorld, screen_text, settle
from tests.tui.test_board_screen import until


def _line(text: str, name: str) -> list[str]:
    return next(ln for ln in text.splitlines() if name in ln).split()


async def test_checks_on_the_board_the_list_behind_and_the_accuracy_report(
    tui_world: TuiWorld,
) -> None:
    w = built(tui_world.world)
    with w.db.read() as s:  # what the database says PRE-OM's checks passed today are
        passed_today = s.exec(
            select(func.count())
            .select_from(WorkCheck)
            .where(
                WorkCheck.team_id == w.team.id,
                WorkCheck.status == "passed",
                func.date(WorkCheck.checked_at) == MONDAY.isoformat(),
            )
        ).one()
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.shown is not None
        assert screen.shown.figure("checks_passed").today == passed_today == 3
        text = screen_text(app)
        assert _line(text, "Checks passed")[2:4] == ["3", "+2"]
        assert _line(text, "Checks failed")[2:5] == ["1", "+1", "1"]
        assert "Passed checks/week" in text
        screen.query_one("#board-figures", PagedTable).focus()
        keys = [f.key for f in screen.shown.figures]
        for _ in range(keys.index("checks_passed")):
            await press(pilot, "down")
        await press(pilot, "enter")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, BoardListScreen)
        listed = screen_text(app)
        assert "3 listed." in listed and "Contact entry #1" in listed
        assert (w.case.reference or "") in listed
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "p")
        await settle(pilot)
        reports_screen = app.screen
        assert isinstance(reports_screen, ReportsScreen)
        names = [r.name for r in reports.list_reports()]
        for _ in range(names.index("accuracy")):
            await press(pilot, "down")
        await press(pilot, "enter")
        await until(pilot, lambda: reports_screen.shown is not None)
        text = screen_text(app)
        assert "Throughput and accuracy per person: team PRE-OM" in text
        wendy = next(ln for ln in text.splitlines() if "Wendy Worker" in ln and "·" not in ln)
        assert wendy.split()[-4:] == ["4", "3", "1", "75.0%"]  # decided, passed, failed
        assert "All: 4 of 6 checks passed (66.7%)." in text
