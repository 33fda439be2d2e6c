"""Adding and removing attendees of a booking from the diary (`a`) with Pilot: a colleague added
to this and the rest of a weekly meeting and a guest removed from this one only; a colleague
who is busy named as a clash, then added anyway with ctrl+b. Asserts what reached the
database (Monday 23/11/2026)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Select

from caseterm.core.models import AppointmentAttendee
from caseterm.core.services import diary
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.screens.diary_attendees import DiaryAttendeesScreen
from caseterm.tui.widgets.diary_clashes import ClashList
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of


def _attending(tui: TuiWorld, appointment_id: int) -> set[tuple[int | None, str]]:
    with tui.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == appointment_id)
        ).all()
    return {(r.staff_id, r.guest_name) for r in rows}


async def _open_attendees(pilot: Pilot[Any]) -> DiaryAttendeesScreen:
    app = pilot.app
    await settle(pilot)
    app.action_diary()  # type: ignore[attr-defined]
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, DiaryScreen)
    await wait_for(pilot, lambda: bool(screen.rows), 10)
    await press(pilot, "a")
    await wait_for(pilot, lambda: isinstance(app.screen, DiaryAttendeesScreen), 10)
    form = app.screen
    assert isinstance(form, DiaryAttendeesScreen)
    return form


async def test_add_a_colleague_to_the_rest_and_remove_a_guest_from_this_one(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    start = frozen_clock.replace(hour=15, minute=0)
    with world.db.write() as s:
        booked = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
            recurrence="weekly",
            occurrences=3,
            guests=["Dr Patel"],
        )
    first, second, third = (a.id or 0 for a in booked)
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _open_attendees(pilot)
        form.query_one("#at-add", Input).value = "other"
        form.query_one("#at-scope", Select).value = "rest"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryScreen), 10)
        assert "Attendees changed on 3 appointments: Owen Other, Dr Patel (guest) attending." in (
            notes_of(app)
        )
        await settle(pilot)
        await press(pilot, "a")
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryAttendeesScreen), 10)
        again = app.screen
        assert isinstance(again, DiaryAttendeesScreen)
        again.query_one("#at-remove", Input).value = "Dr Patel"
        await press(pilot, "ctrl+s")  # this one only: the scope starts at "this one"
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryScreen), 10)
    other = world.other.id
    assert _attending(tui_world, first) == {(other, "")}
    assert (
        _attending(tui_world, second)
        == _attending(tui_world, third)
        == {
            (other, ""),
            (None, "Dr Patel"),
        }
    )


async def test_a_busy_colleague_is_a_clash_then_added_anyway(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    start = frozen_clock.replace(hour=15, minute=0)
    with world.db.write() as s:
        (meeting,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
        )
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.other.id or 0,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            kind="supervision",
        )
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _open_attendees(pilot)
        assert not form.series and not form.query("#at-scope")
        form.query_one("#at-add", Input).value = "other"
        await press(pilot, "ctrl+s")
        clashes = form.query_one(ClashList)
        await wait_for(pilot, lambda: bool(clashes.clashes), 10)
        assert "Owen Other already has 15:00–15:30 supervision" in clashes.clashes[0]
        assert _attending(tui_world, meeting.id or 0) == set()
        await press(pilot, "ctrl+b")
        await wait_for(pilot, lambda: isinstance(app.screen, DiaryScreen), 10)
    assert _attending(tui_world, meeting.id or 0) == {(world.other.id, "")}
