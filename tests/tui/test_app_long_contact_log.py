"""A case with 10,000 contact entries scrolls end to end with a bounded number of rows held."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from caseterm.core import clock
from caseterm.core.models import ContactEntry
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle

ENTRIES = 10_000


def fill_log(tw: TuiWorld) -> None:
    """Ten thousand entries an hour apart going back from now: entry 0 is the newest."""
    w = tw.world
    now = clock.now().replace(microsecond=0)
    rows = [
        {
            "case_id": w.case.id,
            "person_id": w.person.id,
            "occurred_at": now - timedelta(hours=i),
            "logged_at": now,
            "staff_id": w.worker.id,
            "contact_type": "phone_out",
            "outcome": "",
            "notes": f"Entry number {i}",
            "sensitive": False,
        }
        for i in range(ENTRIES)
    ]
    with tw.db.write() as s:
        s.execute(insert(ContactEntry), rows)


async def test_ten_thousand_entries_scroll_end_to_end_with_bounded_memory(
    tui_world: TuiWorld,
) -> None:
    fill_log(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        table = app.screen.query_one("#contacts-table", PagedTable)
        assert table.count == ENTRIES
        assert "Entry number 0" in screen_text(app)
        most_held = 0
        for _ in range(40):
            await press(pilot, "pagedown")
            await settle(pilot)
            most_held = max(most_held, table.held_rows)
        await press(pilot, "end")
        await settle(pilot)
        assert table.cursor == ENTRIES - 1
        assert table.current_row is not None
        assert table.current_row.entry.notes == f"Entry number {ENTRIES - 1}"
        assert f"Entry number {ENTRIES - 1}" in screen_text(app)
        await press(pilot, "home")
        await settle(pilot)
        assert table.current_row is not None
        assert table.current_row.entry.notes == "Entry number 0"
        most_held = max(most_held, table.held_rows)
        assert most_held <= PagedTable.MAX_PAGES * PagedTable.PAGE_SIZE
