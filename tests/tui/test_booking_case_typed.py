"""A case reference typed in the booking form and booked at once (`ctrl+s` before the form has
looked the case up, as a fast typist or a pasted line does) books for that case: the lookup is
made as it books, never a refusal to press again. A reference with no case is refused, and the
form and what was typed stay."""

from __future__ import annotations

from sqlmodel import col, select

from caseterm.core.models import Appointment
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _appointments(tui_world: TuiWorld) -> list[Appointment]:
    with tui_world.db.read() as s:
        return list(s.exec(select(Appointment).order_by(col(Appointment.id))).all())


async def test_ctrl_s_straight_after_typing_the_case_books_for_it(tui_world: TuiWorld) -> None:
    w = tui_world.world
    before = len(_appointments(tui_world))
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiaryBookingScreen())
        await settle(pilot)
        booking = app.screen
        assert isinstance(booking, DiaryBookingScreen)
        await press(pilot, "ctrl+t", "s")  # to the kind; supervision
        booking.query_one("#bk-starts", WhenInput).text = "30/11/2026 14:00"
        booking.query_one("#bk-case", PlainInput).value = "OM/2099/999999"
        await press(pilot, "ctrl+s")  # before the form's own lookup (0.4 s after typing)
        await wait_for(pilot, lambda: "no case OM/2099/999999" in screen_text(app), 5)
        assert "Not booked" in screen_text(app)
        assert isinstance(app.screen, DiaryBookingScreen)
        assert booking.query_one("#bk-case", PlainInput).value == "OM/2099/999999"
        booking.query_one("#bk-case", PlainInput).value = w.case.reference
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, DiaryBookingScreen), 5)
    booked = _appointments(tui_world)
    assert len(booked) == before + 1
    assert booked[-1].case_id == w.case.id
