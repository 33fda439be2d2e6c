"""Meetings in the diary screen with Pilot: booking with staff attending and a guest, daily
until a date; cancelling and moving the rest of a series (X, M); showing one kind (f) and the
court list (C), asserting what reached the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from caseterm.core.models import Appointment, AppointmentAttendee
from caseterm.core.services import diary
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.screens import diary_booking, diary_changes
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.diary_meetings import CourtListScreen, DiaryKindModal
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for


@pytest.fixture(autouse=True)
def _quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diary_booking, "CHECK_AFTER", 0.01)
    monkeypatch.setattr(diary_changes, "CHECK_AFTER", 0.01)


def appointment_rows(screen: DiaryScreen) -> list[DiaryRow]:
    """The appointments the diary shows (an agenda also lists deadlines)."""
    return [r for r in screen.rows if isinstance(r, DiaryRow)]


def shown_ids(screen: DiaryScreen) -> list[int | None]:
    return [r.appointment.id for r in appointment_rows(screen)]


async def open_diary(pilot: Pilot[Any]) -> DiaryScreen:
    await settle(pilot)
    pilot.app.action_diary()  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DiaryScreen)
    return screen


async def test_book_a_daily_meeting_with_attendees_and_a_guest(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_diary(pilot)
        await press(pilot, "b")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DiaryBookingScreen)
        await wait_for(pilot, lambda: bool(form._logins), 10)
        form.query_one("#bk-kind").focus()
        await press(pilot, "e")  # kind: meeting
        form.query_one("#bk-starts", WhenInput).text = "tomorrow 09:00"
        form.query_one("#bk-also", Input).value = "other, clerk"
        form.query_one("#bk-guests", Input).value = "Dr Patel; Ms Jones"
        form.query_one("#bk-repeat").value = "daily"  # type: ignore[attr-defined]
        form.query_one("#bk-until", Input).value = "thu"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryScreen), 10)
    with world.db.read() as s:
        booked = s.exec(
            select(Appointment)
            .where(Appointment.kind == "meeting")
            .order_by(col(Appointment.starts_at))
        ).all()
        assert [a.starts_at for a in booked] == [
            frozen_clock.replace(hour=9, minute=0) + timedelta(days=d) for d in (1, 2, 3)
        ]
        attending = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == booked[0].id)
        ).all()
    assert {a.staff_id for a in attending} == {world.other.id, world.clerk.id, None}
    assert sorted(a.guest_name for a in attending if a.staff_id is None) == [
        "Dr Patel",
        "Ms Jones",
    ]


def _series(tui_world: TuiWorld, frozen_clock: datetime) -> list[int]:
    world = tui_world.world
    start = frozen_clock.replace(hour=15, minute=0)
    with world.db.write() as s:
        booked = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
            recurrence="weekly",
            occurrences=3,
            attendee_ids=[world.other.id],
        )
        return [a.id or 0 for a in booked]


async def test_cancel_the_rest_of_a_series_then_move_the_rest(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    ids = _series(tui_world, frozen_clock)
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_diary(pilot)
        await wait_for(
            pilot, lambda: any(r.appointment.id == ids[0] for r in appointment_rows(screen)), 10
        )
        await press(pilot, "v")  # the week: Monday's meeting
        await press(pilot, "right_square_bracket")  # next week: the second occurrence
        await wait_for(
            pilot, lambda: any(r.appointment.id == ids[1] for r in appointment_rows(screen)), 10
        )
        await press(pilot, "home")
        while screen.current() is None or screen.current().appointment.id != ids[1]:  # type: ignore[union-attr]
            await press(pilot, "down")
        await press(pilot, "X")
        await settle(pilot)
        assert "rest of the series" in str(app.screen.query_one(".modal-title").render())
        app.screen.query_one("#cx-reason", Input).value = "Group ends early"
        await press(pilot, "enter")
        await wait_for(pilot, lambda: app.screen is screen, 10)
        await settle(pilot)
    with tui_world.db.read() as s:
        status = [s.get(Appointment, i).status for i in ids]  # type: ignore[union-attr]
    assert status == ["booked", "cancelled", "cancelled"]


async def test_move_the_rest_of_a_series(tui_world: TuiWorld, frozen_clock: datetime) -> None:
    ids = _series(tui_world, frozen_clock)
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_diary(pilot)
        await wait_for(
            pilot, lambda: any(r.appointment.id == ids[0] for r in appointment_rows(screen)), 10
        )
        await press(pilot, "home")
        while screen.current() is None or screen.current().appointment.id != ids[0]:  # type: ignore[union-attr]
            await press(pilot, "down")
        await press(pilot, "M")
        await settle(pilot)
        app.screen.query_one("#mv-starts", WhenInput).text = "today 16:00"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, 10)
    with tui_world.db.read() as s:
        old = [s.get(Appointment, i) for i in ids]
        new = [s.get(Appointment, a.rescheduled_to_id) for a in old if a and a.rescheduled_to_id]
    assert [a.status for a in old if a] == ["rescheduled"] * 3
    assert [a.starts_at.hour for a in new if a] == [16, 16, 16]


async def test_show_court_hearings_only_and_the_court_list(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    with world.db.write() as s:
        for hour, kind in ((14, "court_hearing"), (16, "supervision")):
            start = frozen_clock.replace(hour=hour, minute=0)
            diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                kind=kind,
                case_id=world.case.id,
                location="Preston Crown Court",
            )
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_diary(pilot)
        await wait_for(pilot, lambda: len(screen.rows) == 2, 10)
        await press(pilot, "f")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, DiaryKindModal)
        options = modal.query_one(OptionList)
        options.highlighted = 1 + list(modal._kinds[1:]).index("court_hearing")
        await press(pilot, "enter")
        await wait_for(pilot, lambda: len(screen.rows) == 1, 10)
        assert appointment_rows(screen)[0].appointment.kind == "court_hearing"
        assert "court hearing only" in str(screen.query_one("#diary-title", Static).render())
        await press(pilot, "C")
        await settle(pilot)
        court = app.screen
        assert isinstance(court, CourtListScreen)
        await wait_for(
            pilot,
            lambda: (
                "Preston Crown Court · Afternoon"
                in str(court.query_one("#court-list", Static).render())
            ),
            10,
        )
        text = str(court.query_one("#court-list", Static).render())
        assert world.case.reference in text and "14:00" in text and "16:00" not in text
