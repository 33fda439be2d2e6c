"""Reception check-in mode through Pilot, asserting what lands in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from caseterm.core.models import Appointment, ContactEntry, Notification, Task
from caseterm.core.services import diary, people
from caseterm.core.services.diary_views import AppointmentView
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.desk.screen import DeskScreen
from tests.factories import World
from tests.keys import idle, press
from tests.tui.conftest import settle

pytestmark = pytest.mark.sqlite_only


def _book(world: World, at: datetime) -> AppointmentView:
    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=at,
            ends_at=at + timedelta(minutes=30),
            kind="supervision",
            case_id=world.case.id,
            room_id=world.room.id,
        )
    return appt


def _app(world: World) -> CheckinApp:
    return CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)


async def test_type_ahead_and_enter_checks_in(frozen_clock: datetime, world: World) -> None:
    with world.db.write() as s:
        people.add_warning(
            s,
            world.clerk,
            person_id=world.person.id or 0,
            kind="risk_to_staff",
            text="Threats 2024",
            desk_text="Do not see alone",
        )
    appt = _book(world, frozen_clock.replace(hour=11, minute=0))
    app = _app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen)
        assert [r.appointment_id for r in screen.rows] == [appt.id]
        await press(pilot, *"siobhan")
        await settle(pilot)
        assert screen.matches and screen.matches[0].appointment_id == appt.id
        assert screen.matches[0].warnings == ["Do not see alone"]
        await press(pilot, "enter")
        await settle(pilot)
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
        entry = s.exec(select(ContactEntry).where(ContactEntry.appointment_id == appt.id)).one()
        note = s.exec(
            select(Notification).where(
                Notification.recipient_id == world.worker.id, Notification.kind == "arrival"
            )
        ).one()
    assert stored is not None and stored.status == "arrived"
    assert entry.contact_type == "reception" and entry.notes == "Reported at reception"
    assert "has arrived" in note.text


async def test_walk_in_goes_to_duty_queue(frozen_clock: datetime, world: World) -> None:
    app = _app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, *"Mr Patel")
        await settle(pilot)
        await press(pilot, "f2")  # works while typing in the search box
        await idle(pilot)
        await press(pilot, "enter", *"fines enquiry", "enter")
        await settle(pilot)
    with world.db.read() as s:
        task = s.exec(select(Task).where(Task.kind == "walk_in")).one()
    assert task.title == "Walk-in: Mr Patel" and task.details == "fines enquiry"
    assert task.office_id == world.office.id and task.assignee_id is None


async def test_close_session_marks_not_arrived(frozen_clock: datetime, world: World) -> None:
    missed = _book(world, frozen_clock.replace(hour=9, minute=0))
    app = _app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f8")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await settle(pilot)
    with world.db.read() as s:
        stored = s.get(Appointment, missed.id)
        follow_up = s.exec(select(Task).where(Task.kind == "fta_follow_up")).one()
    assert stored is not None and stored.status == "failed_to_attend"
    assert follow_up.assignee_id == world.worker.id


async def test_desk_is_locked_down(frozen_clock: datetime, world: World) -> None:
    app = _app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await idle(pilot)
        assert len(app.screen_stack) == 2 and isinstance(app.screen, DeskScreen)
        actions = {ab.binding.action for ab in app.active_bindings.values()}
        desk_actions = {
            "check_in",
            "focus_search",
            "clear_search",
            "walk_in",
            "close_session",
            "refresh",
        }
        # Only desk actions (plus widget-level editing/navigation of the search box and table).
        assert desk_actions <= actions
        assert not {
            a for a in actions if "case" in a or "contact" in a or "diary" in a or "palette" in a
        }
        assert "command_palette" not in actions
        assert not hasattr(app, "open_case")


async def test_hostile_names_render_as_text(frozen_clock: datetime, world: World) -> None:
    with world.db.write() as s:
        person = people.create_person(
            s,
            world.clerk,
            people.PersonInput(given_name="[@click=app.quit]x", family_name="[bold]Evil\x1b[2J"),
        )
        from caseterm.core.services import cases

        case = cases.open_case(
            s, world.clerk, case_type="OM", subject_id=person.id or 0, owner_id=world.worker.id
        )
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=frozen_clock.replace(hour=12, minute=0),
            ends_at=frozen_clock.replace(hour=12, minute=30),
            kind="supervision",
            case_id=case.id,
            room_id=world.room.id,
        )
    app = _app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("DataTable")
        row = table.get_row_at(0)  # type: ignore[attr-defined]
        assert row[1].plain == "[@click=app.quit]x [bold]Evil[2J"
        await pilot.click("DataTable", offset=(20, 1))
        await idle(pilot)
        assert app.is_running
