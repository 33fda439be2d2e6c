"""The diary's Move form reads its new start as the booking form does (issue 13, "working days
wherever a date is typed"): a moment in the past is refused before anything is written, and a
bank holiday is warned about with the next working day offered, which ctrl+n takes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Static

from caseterm.core.models import Appointment
from caseterm.core.services import diary
from caseterm.tui.screens import diary_changes
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.screens.diary_changes import DiaryMoveScreen
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diary_changes, "CHECK_AFTER", 0.01)


async def test_a_move_into_the_past_is_refused_and_a_bank_holiday_offers_the_next_day(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    start = frozen_clock.replace(hour=15, minute=0)
    with world.db.write() as s:
        (booked,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
        )
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_diary()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        await wait_for(pilot, lambda: screen.current() is not None, 10)
        await press(pilot, "m")
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryMoveScreen), 10)
        form = app.screen
        when = form.query_one("#mv-starts", WhenInput)
        when.text = "last fri 10:00"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        status = form.query_one(".ch-status", Static)
        await wait_for(pilot, lambda: "is in the past" in str(status.render()), 10)
        assert "Fri 20 Nov 2026 10:00 is in the past" in str(status.render())
        when.text = "25/12/2026 10:00"
        await settle(pilot)
        assert "Christmas Day" in str(when.query_one(".when-parsed", Static).render())
        await press(pilot, "ctrl+n")  # the next working day offered, the time kept
        await wait_for(pilot, lambda: when.text == "29/12/2026 10:00", 10)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, 10)
    with world.db.read() as s:
        old = s.get(Appointment, booked.id)
        assert old is not None and old.status == "rescheduled"
        new = s.get(Appointment, old.rescheduled_to_id)
    assert new is not None and new.starts_at == datetime(2026, 12, 29, 10, 0)
