"""Diary journeys with Pilot: views, one-key outcomes, booking with a clash, moving,
cancelling, stale edits and restricted cases, asserting what reached the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, AuditEvent, ContactEntry, Task
from caseterm.core.services import cases, diary, people
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.screens import diary_booking, diary_changes
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.diary_clashes import ClashList, parse_length
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.seen import notes_of


@dataclass
class Diary:
    tui: TuiWorld
    ids: dict[str, int]
    secret_case_id: int


@pytest.fixture(autouse=True)
def _quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diary_booking, "CHECK_AFTER", 0.01)
    monkeypatch.setattr(diary_changes, "CHECK_AFTER", 0.01)


@pytest.fixture
def booked(tui_world: TuiWorld, frozen_clock: datetime) -> Diary:
    """Wendy's Monday (09:00 in Interview 1, 11:00, 14:00), a Wednesday meeting, and a 16:00
    on a case restricted to the manager, with a person whose name is hostile markup."""
    world = tui_world.world
    monday = frozen_clock.replace(hour=0, minute=0)
    ids: dict[str, int] = {}
    with world.db.write() as s:
        for name, hour, kind, room in (
            ("nine", 9, "supervision", world.room.id),
            ("eleven", 11, "induction", None),
            ("two", 14, "review", None),
        ):
            (appt,) = diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id,
                starts_at=monday + timedelta(hours=hour),
                ends_at=monday + timedelta(hours=hour, minutes=45),
                kind=kind,
                case_id=world.case.id,
                room_id=room,
            )
            ids[name] = appt.id or 0
        (meeting,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=monday + timedelta(days=2, hours=9),
            ends_at=monday + timedelta(days=2, hours=10),
            kind="meeting",
            location="[bold]Town hall[/",
        )
        ids["wednesday"] = meeting.id or 0
        person = people.create_person(
            s,
            world.clerk,
            people.PersonInput(given_name="[@click=app.quit]Eve", family_name="[b]Hidden"),
        )
        secret = cases.open_case(
            s, world.clerk, case_type="OM", subject_id=person.id or 0, owner_id=world.manager.id
        )
        cases.restrict_case(s, world.manager, case_id=secret.id or 0, allow=[world.manager.id])
    with world.db.write() as s:
        (hidden,) = diary.book_appointment(
            s,
            world.manager,
            staff_id=world.worker.id,
            starts_at=monday + timedelta(hours=16),
            ends_at=monday + timedelta(hours=16, minutes=30),
            kind="supervision",
            case_id=secret.id,
        )
        ids["secret"] = hidden.id or 0
    return Diary(tui_world, ids, secret.id or 0)


def appointment_rows(screen: DiaryScreen) -> list[DiaryRow]:
    """The appointments the diary shows (an agenda also lists deadlines)."""
    return [r for r in screen.rows if isinstance(r, DiaryRow)]


async def open_diary(pilot: Pilot[None]) -> DiaryScreen:
    await settle(pilot)
    pilot.app.action_diary()  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DiaryScreen)
    return screen


def appointment(d: Diary, name: str) -> Appointment:
    with d.tui.db.read() as s:
        found = s.get(Appointment, d.ids[name])
        assert found is not None
        return found


async def cursor_to(pilot: Pilot[None], screen: DiaryScreen, appointment_id: int) -> None:
    await press(pilot, "home")
    for _ in range(len(screen.rows)):
        row = screen.current()
        if isinstance(row, DiaryRow) and row.appointment.id == appointment_id:
            return
        await press(pilot, "down")
    raise AssertionError(f"appointment {appointment_id} is not in the diary shown")


async def test_day_week_and_agenda_views(booked: Diary) -> None:
    app = booked.tui.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_diary(pilot)
        day_ids = [r.appointment.id for r in appointment_rows(screen)]
        assert day_ids == [booked.ids[k] for k in ("nine", "eleven", "two", "secret")]
        shown = screen_text(app)
        assert "My diary · Monday 23 November 2026" in shown
        assert "Restricted" in shown and "Hidden" not in shown
        await press(pilot, "v")
        await settle(pilot)
        assert screen.view == "week" and len(screen.rows) == 5
        summary = str(screen.query_one("#diary-summary", Static).render())
        assert summary.startswith("Mon 23: 4  Tue 24: 0  Wed 25: 1")
        await press(pilot, "v")
        await settle(pilot)
        assert screen.view == "agenda" and len(screen.rows) == 5
        await press(pilot, "v", "right_square_bracket")
        await settle(pilot)
        assert (screen.view, screen.day, screen.rows) == ("day", date(2026, 11, 24), [])
        await press(pilot, "t")
        await settle(pilot)
        assert screen.day == date(2026, 11, 23) and len(screen.rows) == 4


async def test_record_an_outcome_with_one_key(booked: Diary) -> None:
    world = booked.tui.world
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diary(pilot)
        await cursor_to(pilot, screen, booked.ids["nine"])
        await press(pilot, "2")  # failed to attend
        await settle(pilot)
        await cursor_to(pilot, screen, booked.ids["eleven"])
        await press(pilot, "1")  # at 10:30 the 11:00 has not started: refused
        await settle(pilot)
        assert appointment(booked, "eleven").status == "booked"
        assert any("once it has started" in n for n in notes_of(app))
        clock.freeze(datetime.combine(clock.today(), time(11, 20)))
        await press(pilot, "1")  # attended – complied, now that it has
        await settle(pilot)
        statuses = {r.appointment.id: r.appointment.status for r in appointment_rows(screen)}
    assert statuses[booked.ids["nine"]] == "failed_to_attend"
    assert appointment(booked, "nine").status == "failed_to_attend"
    assert appointment(booked, "eleven").status == "seen"
    with world.db.read() as s:
        logged = s.exec(select(ContactEntry).order_by(col(ContactEntry.id))).all()
        follow_ups = s.exec(select(Task).where(Task.kind == "fta_follow_up")).all()
    assert [(e.appointment_id, e.outcome, e.contact_type, e.staff_id) for e in logged] == [
        (booked.ids["nine"], "failed_to_attend", "face_to_face", world.worker.id),
        (booked.ids["eleven"], "attended_complied", "face_to_face", world.worker.id),
    ]
    # Each entry is dated at its appointment, not when the key was pressed.
    assert [e.occurred_at.time() for e in logged] == [time(9, 0), time(11, 0)]
    assert len(follow_ups) == 1


async def test_book_with_a_clash_then_anyway(booked: Diary, frozen_clock: datetime) -> None:
    world = booked.tui.world
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_diary(pilot)
        await press(pilot, "b")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DiaryBookingScreen)
        await press(pilot, *world.case.reference.lower())
        await wait_for(pilot, lambda: form.case is not None, 10)
        await settle(pilot)
        assert form.case is not None and form.case.case_id == world.case.id
        await press(pilot, "tab", "s")  # kind: supervision; focus moves to the start
        starts = form.query_one("#bk-starts", WhenInput)
        starts.text = "today 11:15"
        await wait_for(pilot, lambda: len(form.query_one(ClashList).clashes) == 2, 10)
        await settle(pilot)
        clashes = form.query_one(ClashList).clashes
        assert clashes == [
            "Wendy Worker already has 11:00–11:45 induction (OM/2026/000001)",
            "Siobhán O'Neill-Brady has 11:00 induction",
        ]
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "clashes" in str(form.query_one("#bk-status", Static).render())
        with world.db.read() as s:
            assert len(s.exec(select(Appointment)).all()) == 5
        await press(pilot, "ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
    with world.db.read() as s:
        new = s.exec(select(Appointment).order_by(col(Appointment.id).desc())).first()
        assert new is not None
        audit = s.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "appointment", AuditEvent.entity_id == new.id
            )
        ).first()
    assert new.starts_at == frozen_clock.replace(hour=11, minute=15)
    assert new.ends_at - new.starts_at == timedelta(hours=1)
    assert (new.kind, new.case_id, new.staff_id) == ("supervision", world.case.id, world.worker.id)
    assert audit is not None and "booked over 2 clash" in audit.summary


async def test_move_and_cancel(booked: Diary) -> None:
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diary(pilot)
        await cursor_to(pilot, screen, booked.ids["two"])
        await press(pilot, "m")
        await settle(pilot)
        app.screen.query_one("#mv-starts", WhenInput).text = "tue 15:00"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await cursor_to(pilot, screen, booked.ids["eleven"])
        await press(pilot, "x")
        await settle(pilot)
        app.screen.query_one("#cx-reason", Input).value = "Client in hospital"
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen
        # The summary counts every appointment listed, and its parts add up (issue 17).
        summary = str(screen.query_one("#diary-summary", Static).render())
        total, _, rest = summary.partition(" appointment")
        parts = rest.split("(", 1)[1].rstrip(")").split(", ")
        assert int(total) == len(screen.rows) == sum(int(p.split()[0]) for p in parts)
        assert "1 cancelled" in parts and "1 moved" in parts
    moved = appointment(booked, "two")
    assert moved.status == "rescheduled" and moved.rescheduled_to_id is not None
    with booked.tui.db.read() as s:
        new = s.get(Appointment, moved.rescheduled_to_id)
    assert new is not None and new.starts_at == datetime(2026, 11, 24, 15, 0)
    assert new.ends_at == datetime(2026, 11, 24, 15, 45) and new.status == "booked"
    cancelled = appointment(booked, "eleven")
    assert cancelled.status == "cancelled" and "Client in hospital" in cancelled.notes


async def test_outcome_on_a_changed_appointment_is_not_overwritten(booked: Diary) -> None:
    world = booked.tui.world
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diary(pilot)
        await cursor_to(pilot, screen, booked.ids["nine"])
        with world.db.write() as s:  # the desk checks the visitor in meanwhile
            diary.mark_arrived(s, world.desk, appointment_id=booked.ids["nine"])
        await press(pilot, "4")
        await settle(pilot)
        assert isinstance(app.screen, StaleScreen)
        assert "Desmond Desk" in screen_text(app)
        await press(pilot, "r")
        await settle(pilot)
        assert app.screen is screen
        assert screen.current() is not None
        assert screen.current().appointment.status == "arrived"  # type: ignore[union-attr]
    with world.db.read() as s:
        assert s.exec(select(ContactEntry)).all() == []
    assert appointment(booked, "nine").status == "arrived"


async def test_restricted_appointments_cannot_be_acted_on(booked: Diary) -> None:
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diary(pilot)
        await cursor_to(pilot, screen, booked.ids["secret"])
        await press(pilot, "1", "m", "x", "n")
        await settle(pilot)
        assert app.screen is screen
    assert appointment(booked, "secret").status == "booked"
    with booked.tui.db.read() as s:
        assert s.exec(select(ContactEntry)).all() == []


async def test_whose_diary_a_room_then_a_colleague(booked: Diary) -> None:
    app = booked.tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diary(pilot)
        await press(pilot, "w")
        await settle(pilot)
        await press(pilot, *"interview", "enter")
        await settle(pilot)
        assert screen.subject is not None and screen.subject.kind == "room"
        assert [r.appointment.id for r in appointment_rows(screen)] == [booked.ids["nine"]]
        await press(pilot, "w")
        await settle(pilot)
        await press(pilot, *"owen", "enter")
        await settle(pilot)
        assert screen.subject is not None and screen.subject.label == "Owen Other (other)"
        assert screen.rows == []


async def test_hostile_text_in_the_diary_is_shown_as_typed(booked: Diary) -> None:
    world = booked.tui.world
    with world.db.write() as s:
        person = people.create_person(
            s,
            world.clerk,
            people.PersonInput(given_name="[@click=app.quit]Ann", family_name="[bold]Bold [/"),
        )
        case = cases.open_case(s, world.clerk, case_type="OM", subject_id=person.id or 0)
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=datetime(2026, 11, 23, 17, 0),
            ends_at=datetime(2026, 11, 23, 17, 30),
            kind="review",
            case_id=case.id,
        )
    app = booked.tui.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_diary(pilot)
        assert "[@click=app.quit]" in screen_text(app)  # as typed; the column is narrow
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        assert [r.person_name for r in appointment_rows(screen)][
            -1
        ] == "[@click=app.quit]Ann [bold]Bold [/"
        assert app.is_running


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45", 45),
        ("45m", 45),
        ("90 min", 90),
        ("1h", 60),
        ("1h30", 90),
        ("1:30", 90),
        ("2 hours", 120),
    ],
)
def test_lengths_are_read_as_people_type_them(text: str, minutes: int) -> None:
    assert parse_length(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "0", "25h", "abc", "1h75x"])
def test_unreadable_lengths_say_why(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_length(text)
    assert refused.value.field == "length"
