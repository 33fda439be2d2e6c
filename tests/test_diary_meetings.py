"""Meetings in the diary: several attendees (staff and guests) with clashes checked for each,
rooms named with their office, daily recurrence ending on a date or a count (no end refused),
cancelling or moving one occurrence and the rest of its series, the kind filter and the court
list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import ConflictError, PermissionDeniedError, ValidationError
from caseterm.core.models import Appointment, AppointmentAttendee, AuditEvent
from caseterm.core.services import diary, diary_court, diary_series, diary_views, org, staff
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor
from tests.factories import World

TOMORROW = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield
    clock.freeze(None)


def at(day: date, hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m))


def book(world: World, actor: Actor | None = None, **kwargs: Any) -> list[AppointmentView]:
    args: dict[str, Any] = {
        "staff_id": world.worker.id,
        "starts_at": at(TOMORROW, "10:00"),
        "ends_at": at(TOMORROW, "11:00"),
        "kind": "meeting",
        "room_id": world.room.id,
    } | kwargs
    with world.db.write() as s:
        return diary.book_appointment(s, actor or world.clerk, **args)


# ---------------------------------------------------------------- attendees


def test_a_meeting_has_staff_and_guests_and_shows_in_each_diary(world: World) -> None:
    (appt,) = book(world, attendee_ids=[world.other.id, world.worker.id], guests=["Dr Patel"])
    with world.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == appt.id)
        ).all()
        assert sorted((r.staff_id, r.guest_name) for r in rows if r.staff_id) == [
            (world.other.id, "")
        ]  # the one it is booked with is not repeated as an attendee
        assert [r.guest_name for r in rows if r.staff_id is None] == ["Dr Patel"]
        mine = diary_views._diary_day(s, world.other, day=TOMORROW, staff_id=world.other.id)
        assert [r.appointment.id for r in mine] == [appt.id]
        assert mine[0].attendee_names == "Owen Other, Dr Patel (guest)"
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "diary.book")).all()[-1]
        assert "and 2 attendee(s)" in event.summary


def test_an_attendee_who_is_busy_is_named_in_the_clash(world: World) -> None:
    book(world, staff_id=world.other.id, room_id=None, kind="supervision")
    with pytest.raises(ConflictError) as err:
        book(world, attendee_ids=[world.other.id])
    assert err.value.conflicts == ["Owen Other already has 10:00–11:00 supervision"]
    # …and someone attending a meeting is busy for the next booking with them.
    book(
        world,
        starts_at=at(TOMORROW, "14:00"),
        ends_at=at(TOMORROW, "15:00"),
        attendee_ids=[world.other.id],
    )
    with pytest.raises(ConflictError) as err:
        book(
            world,
            staff_id=world.other.id,
            room_id=None,
            starts_at=at(TOMORROW, "14:30"),
            ends_at=at(TOMORROW, "15:30"),
        )
    assert err.value.conflicts == ["Owen Other already has 14:00–15:00 meeting (attending)"]
    with world.db.read() as s:
        count = len(s.exec(select(Appointment)).all())
    assert count == 2  # nothing half-written


def test_a_disabled_attendee_is_refused_by_name(world: World) -> None:
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="other", active=False)
    with pytest.raises(ValidationError) as err:
        book(world, attendee_ids=[world.other.id])
    assert err.value.field == "attendee" and "Owen Other (other) is disabled" in str(err.value)
    with pytest.raises(ValidationError) as err:
        book(world, guests=["  "])
    assert err.value.field == "guest"
    with world.db.read() as s:
        assert s.exec(select(Appointment)).all() == []


def test_moving_a_meeting_keeps_its_attendees(world: World) -> None:
    (appt,) = book(world, attendee_ids=[world.other.id], guests=["Dr Patel"])
    with world.db.write() as s:
        new = diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=appt.id or 0,
            starts_at=at(TOMORROW, "15:00"),
            ends_at=at(TOMORROW, "16:00"),
        )
        new_id = new.id
    with world.db.read() as s:
        (row,) = diary_views._diary_day(
            s, world.other, day=TOMORROW, staff_id=world.other.id, active_only=True
        )
        assert row.appointment.id == new_id
        assert row.attendee_names == "Owen Other, Dr Patel (guest)"


# ---------------------------------------------------------------- rooms with their office


def test_rooms_are_named_with_their_office(world: World) -> None:
    with world.db.write() as s:
        org.create_room(s, world.admin, office_id=world.other_office.id, name="Interview 1")
        rooms = org.list_rooms(s)
    assert [r.label for r in rooms] == ["LAN · Interview 1", "PRE · Interview 1"]
    book(world)
    with world.db.read() as s:
        (row,) = diary_views._diary_day(s, world.clerk, day=TOMORROW, staff_id=world.worker.id)
    assert row.room_name == "PRE · Interview 1"


# ---------------------------------------------------------------- recurrence


def test_daily_until_a_date_and_a_count(world: World) -> None:
    daily = book(world, recurrence="daily", until=TOMORROW + timedelta(days=3))
    assert [a.starts_at.date() for a in daily] == [TOMORROW + timedelta(days=i) for i in range(4)]
    assert len({a.series_id for a in daily}) == 1
    weekly = book(world, room_id=None, staff_id=world.other.id, recurrence="weekly", occurrences=3)
    assert [a.starts_at.date() for a in weekly] == [TOMORROW + timedelta(weeks=i) for i in range(3)]


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"recurrence": "daily"}, "recurrence", "needs an end"),
        ({"recurrence": "daily", "until": TOMORROW - timedelta(days=1)}, "until", "before"),
        ({"recurrence": "daily", "until": date(2027, 6, 1)}, "until", "more than 52"),
        (
            {"recurrence": "weekly", "until": date(2027, 1, 1), "occurrences": 3},
            "until",
            "not both",
        ),
        ({"until": date(2027, 1, 1)}, "recurrence", "how often"),
    ],
)
def test_a_recurrence_with_no_end_or_a_bad_end_is_refused(
    world: World, kwargs: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        book(world, **kwargs)
    assert err.value.field == field and words in str(err.value)
    with world.db.read() as s:
        assert s.exec(select(Appointment)).all() == []


def test_monthly_on_the_31st_falls_on_shorter_months_last_day(world: World) -> None:
    start = datetime(2026, 12, 31, 10, 0)
    monthly = book(
        world,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        recurrence="monthly",
        occurrences=3,
    )
    assert [a.starts_at.date() for a in monthly] == [
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]


# ---------------------------------------------------------------- the rest of a series


def test_cancel_this_and_the_rest_of_a_series(world: World) -> None:
    weekly = book(world, recurrence="weekly", occurrences=4)
    with world.db.write() as s:
        done = diary_series.cancel_rest_of_series(
            s, world.clerk, appointment_id=weekly[1].id or 0, reason="group ends early"
        )
    assert done.changed_ids == tuple(a.id for a in weekly[1:])
    with world.db.read() as s:
        statuses = [s.get(Appointment, a.id).status for a in weekly]  # type: ignore[union-attr]
        cancels = s.exec(select(AuditEvent).where(AuditEvent.action == "diary.cancel")).all()
    assert statuses == ["booked", "cancelled", "cancelled", "cancelled"]
    assert len(cancels) == 3 and all("group ends early" in e.summary for e in cancels)


def test_move_this_and_the_rest_keeps_the_series_and_refuses_a_clash(world: World) -> None:
    weekly = book(world, recurrence="weekly", occurrences=3, attendee_ids=[world.other.id])
    # Owen is busy on the third Tuesday at 14:00: moving the rest to 14:00 clashes there.
    third = weekly[2].starts_at.date()
    book(
        world,
        staff_id=world.other.id,
        room_id=None,
        kind="supervision",
        starts_at=at(third, "14:00"),
        ends_at=at(third, "14:30"),
    )
    with world.db.write() as s, pytest.raises(ConflictError) as err:
        diary_series.move_rest_of_series(
            s,
            world.clerk,
            appointment_id=weekly[1].id or 0,
            starts_at=at(weekly[1].starts_at.date(), "14:00"),
            ends_at=at(weekly[1].starts_at.date(), "15:00"),
        )
    assert err.value.conflicts == [
        f"{third:%d/%m/%Y}: Owen Other already has 14:00–14:30 supervision"
    ]
    with world.db.write() as s:
        moved = diary_series.move_rest_of_series(
            s,
            world.clerk,
            appointment_id=weekly[1].id or 0,
            starts_at=at(weekly[1].starts_at.date(), "15:00"),
            ends_at=at(weekly[1].starts_at.date(), "16:00"),
        )
    with world.db.read() as s:
        new = [s.get(Appointment, i) for i in moved.new_ids]
        old = [s.get(Appointment, a.id) for a in weekly]
        assert [a.status for a in old if a] == ["booked", "rescheduled", "rescheduled"]
        assert [(a.starts_at.hour, a.series_id) for a in new if a] == [
            (15, weekly[0].series_id),
            (15, weekly[0].series_id),
        ]
        rows = diary_views._diary_day(
            s, world.other, day=third, staff_id=world.other.id, active_only=True, kinds=["meeting"]
        )
        assert [r.appointment.starts_at.hour for r in rows] == [15]


def test_the_rest_of_a_series_needs_the_diary_capability(world: World) -> None:
    weekly = book(world, recurrence="weekly", occurrences=2)
    with world.db.write() as s, pytest.raises(PermissionDeniedError) as err:
        diary_series.cancel_rest_of_series(
            s, world.desk, appointment_id=weekly[0].id or 0, reason="x"
        )
    assert "may not book or change appointments" in str(err.value)


# ---------------------------------------------------------------- kind filter and court list


def test_kind_filter_and_the_court_list(world: World) -> None:
    book(world, kind="supervision", case_id=world.case.id)
    book(
        world,
        kind="court_hearing",
        room_id=None,
        location="Preston Crown Court",
        case_id=world.case.id,
        starts_at=at(TOMORROW, "14:00"),
        ends_at=at(TOMORROW, "15:00"),
    )
    book(
        world,
        kind="tribunal",
        room_id=None,
        location="Preston Crown Court",
        staff_id=world.other.id,
        starts_at=at(TOMORROW, "09:30"),
        ends_at=at(TOMORROW, "10:30"),
    )
    book(
        world,
        kind="court_hearing",
        staff_id=world.other.id,
        starts_at=at(TOMORROW, "11:00"),
        ends_at=at(TOMORROW, "12:00"),
    )
    with world.db.read() as s:
        hearings = diary_views._diary_day(
            s, world.clerk, day=TOMORROW, team_id=world.team.id, kinds=["court_hearing"]
        )
        sittings = diary_court.court_list(s, world.clerk, day=TOMORROW)
    assert [r.appointment.starts_at.hour for r in hearings] == [11, 14]
    assert [(c.court, c.session, [h.appointment.kind for h in c.hearings]) for c in sittings] == [
        ("PRE · Interview 1", "am", ["court_hearing"]),
        ("Preston Crown Court", "am", ["tribunal"]),
        ("Preston Crown Court", "pm", ["court_hearing"]),
    ]
