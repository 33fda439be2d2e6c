"""`E` saves what a screen lists as a file: the queue on screen as a spreadsheet (CSV when the
path ends .csv), the diary on screen as an iCalendar file; private files, the user told what was
written (the status line saying how far it has got)."""

from __future__ import annotations

import stat
from pathlib import Path

from caseterm.tui.screens.diary import DiaryScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of, waited_of


async def test_e_saves_the_queue_on_screen(tui_world: TuiWorld, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "mine.xlsx"
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "E")
        await press(pilot, "ctrl+u", *str(target), "enter")
        await wait_for(pilot, lambda: any("Saved My work" in n for n in notes_of(app)), 30)
    assert f"Saved My work to {target} (2 items)." in notes_of(app)
    assert "Writing… 2 of 2 rows" in waited_of(app)  # the status line, while it was written
    ws = openpyxl.load_workbook(target).active
    assert ws is not None and ws["A1"].value == "My work"
    titles = {ws.cell(row=r, column=6).value for r in (5, 6)}
    assert titles == {"Chase the court papers", "Send appointment letter"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_e_saves_the_diary_on_screen_for_a_calendar(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    from icalendar import Calendar

    from tests.factories import book

    w = tui_world.world
    book(w, w.case.created_at.replace(hour=14, minute=0, second=0))
    target = tmp_path / "day.csv.ics"
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
        await press(pilot, "E")
        await press(pilot, "ctrl+u", *str(target), "enter")
        await wait_for(pilot, lambda: any("Saved the diary" in n for n in notes_of(app)), 30)
    (event,) = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["summary"]).startswith(f"Supervision: {w.case.reference}")
