"""Changing who attends a booking already made: staff by login and guests by name, added or
removed, on one occurrence or on it and the rest of its series; clashes, disabled staff, people
who do not attend: refused whole, nothing written (Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import (
    ConflictError,
    PermissionDeniedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import AppointmentAttendee, AuditEvent, Notification
from caseterm.core.services import diary, diary_attendance, staff
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _at(hour: int, days: int = 1) -> datetime:
    return datetime.combine(clock.today() + timedelta(days=days), time(hour))


def _weekly(world: World, **kw: object) -> list[int]:
    with world.db.write() as s:
        booked = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            starts_at=_at(10),
            ends_at=_at(11),
            kind="meeting",
            recurrence="weekly",
            occurrences=3,
            **kw,  # type: ignore[arg-type]
        )
    return [a.id or 0 for a in booked]


def _attending(world: World, appointment_id: int) -> set[tuple[int | None, str]]:
    with world.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == appointment_id)
        ).all()
    return {(r.staff_id, r.guest_name) for r in rows}


def test_add_a_colleague_and_a_guest_to_this_one_only(world: World) -> None:
    first, second, _third = _weekly(world)
    with world.db.write() as s:
        done = diary_attendance.change_attendees(
            s, world.worker, appointment_id=second, add=["other"], guests=["Dr Patel"]
        )
    assert done.changed_ids == (second,)
    assert done.added == ("Owen Other", "Dr Patel (guest)")
    assert done.now == ("Owen Other", "Dr Patel (guest)")
    assert _attending(world, second) == {(world.other.id, ""), (None, "Dr Patel")}
    assert _attending(world, first) == set()
    with world.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "diary.attendees")).one()
        told = s.exec(select(Notification).where(Notification.recipient_id == world.other.id)).all()
    assert event.entity_id == second and "Owen Other, Dr Patel (guest)" in event.summary
    assert any("added you to a meeting" in n.text for n in told)


def test_remove_from_this_and_the_rest_of_the_series(world: World) -> None:
    first, second, third = _weekly(world, attendee_ids=[world.other.id or 0], guests=["Dr Patel"])
    with world.db.write() as s:
        done = diary_attendance.change_attendees(
            s, world.worker, appointment_id=second, remove=["OTHER", "dr patel"], rest=True
        )
    assert done.changed_ids == (second, third)
    assert sorted(done.removed) == ["Dr Patel (guest)", "Owen Other"]
    assert _attending(world, second) == _attending(world, third) == set()
    assert _attending(world, first) == {(world.other.id, ""), (None, "Dr Patel")}


def test_a_colleague_who_is_busy_is_refused_unless_anyway(world: World) -> None:
    (meeting,) = _weekly(world)[:1]
    with world.db.write() as s:
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.other.id or 0,
            starts_at=_at(10, 8),
            ends_at=_at(11, 8),
            kind="meeting",
        )
    with world.db.write() as s, pytest.raises(ConflictError, match="Owen Other already has"):
        diary_attendance.change_attendees(
            s, world.worker, appointment_id=meeting, add=["other"], rest=True
        )
    assert _attending(world, meeting) == set()  # nothing half-written
    with world.db.write() as s:
        done = diary_attendance.change_attendees(
            s,
            world.worker,
            appointment_id=meeting,
            add=["other"],
            rest=True,
            allow_conflicts=True,
        )
    assert len(done.changed_ids) == 3


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"add": ["nobody"]}, "no member of staff with login 'nobody'"),
        ({"remove": ["other"]}, "'other' does not attend this appointment"),
        ({"add": ["worker"]}, "the appointment is booked with Wendy Worker"),
        ({}, "name someone to add or remove"),
        ({"guests": ["  "]}, "guest"),
    ],
)
def test_bad_changes_are_refused_and_nothing_written(
    world: World, kw: dict[str, Any], message: str
) -> None:
    (meeting,) = _weekly(world)[:1]
    with world.db.write() as s, pytest.raises(ValidationError, match=message):
        diary_attendance.change_attendees(s, world.worker, appointment_id=meeting, **kw)
    assert _attending(world, meeting) == set()


def test_a_disabled_colleague_cannot_be_added(world: World) -> None:
    (meeting,) = _weekly(world)[:1]
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="other", active=False)
    with world.db.write() as s, pytest.raises(ValidationError, match=r"\(other\) is disabled"):
        diary_attendance.change_attendees(s, world.worker, appointment_id=meeting, add=["other"])


def test_a_stale_version_and_the_reception_desk_are_refused(world: World) -> None:
    (meeting,) = _weekly(world)[:1]
    with world.db.write() as s:
        diary_attendance.change_attendees(s, world.worker, appointment_id=meeting, guests=["A"])
    with world.db.write() as s, pytest.raises(StaleEditError):
        diary_attendance.change_attendees(
            s, world.worker, appointment_id=meeting, guests=["B"], expected_version=1
        )
    with (
        world.db.write() as s,
        pytest.raises(PermissionDeniedError, match="may not book or change appointments"),
    ):
        diary_attendance.change_attendees(s, world.desk, appointment_id=meeting, guests=["B"])
    assert _attending(world, meeting) == {(None, "A")}
    with world.db.read() as s:
        n = len(s.exec(select(AuditEvent).where(col(AuditEvent.action) == "diary.attendees")).all())
    assert n == 1
