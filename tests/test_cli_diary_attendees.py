"""`caseterm diary attendees`: add and remove attendees of a booking, one occurrence or the rest
of its series, as text and JSON; refusals in one line (in process; Monday 23/11/2026)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.models import AppointmentAttendee
from caseterm.core.services import diary
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _series(world: World) -> list[int]:
    start = datetime.combine(clock.today() + timedelta(days=1), time(10))
    with world.db.write() as s:
        booked = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
            recurrence="weekly",
            occurrences=2,
            guests=["Dr Patel"],
        )
    return [a.id or 0 for a in booked]


def _attending(world: World, appointment_id: int) -> set[tuple[int | None, str]]:
    with world.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == appointment_id)
        ).all()
    return {(r.staff_id, r.guest_name) for r in rows}


def test_add_to_the_rest_and_remove_a_guest_from_one(world: World, tmp_path: Path) -> None:
    first, second = _series(world)
    added = run_cli(
        tmp_path,
        "diary",
        "attendees",
        str(first),
        "--add",
        "other,clerk",
        "--rest",
        "--json",
        db=world.db.url,
    )
    assert added.code == 0, added.err
    assert added.json() == {
        "changed": [first, second],
        "added": ["Owen Other", "Claire Clerk"],
        "removed": [],
        "attendees": ["Owen Other", "Claire Clerk", "Dr Patel (guest)"],
        "scope": "rest",
    }
    removed = run_cli(
        tmp_path,
        "diary",
        "attendees",
        str(second),
        "--remove",
        "Dr Patel",
        "--guest",
        "Ms Jones",
        db=world.db.url,
    )
    assert removed.code == 0, removed.err
    assert "added Ms Jones (guest); removed Dr Patel (guest)" in removed.out
    assert _attending(world, first) == {
        (None, "Dr Patel"),
        (world.other.id, ""),
        (world.clerk.id, ""),
    }
    assert _attending(world, second) == {
        (None, "Ms Jones"),
        (world.other.id, ""),
        (world.clerk.id, ""),
    }


def test_refusals_are_one_line(world: World, tmp_path: Path) -> None:
    first, _ = _series(world)
    for args, says in (
        (["--remove", "other"], "remove: 'other' does not attend this appointment"),
        (["--add", "nobody"], "attendee: no member of staff with login 'nobody'"),
        ([], "attendees: name someone to add or remove"),
    ):
        refused = run_cli(tmp_path, "diary", "attendees", str(first), *args, db=world.db.url)
        assert refused.code != 0
        assert says in refused.err and "Traceback" not in refused.err
    assert _attending(world, first) == {(None, "Dr Patel")}
