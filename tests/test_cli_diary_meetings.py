"""`caseterm diary book|move|cancel|court-list` and `diary --kind`: meetings with attendees and
guests, repeats that must end, one occurrence or the rest of a series, the court list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.models import Appointment, AppointmentAttendee
from caseterm.core.services import staff
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield
    clock.freeze(None)


def test_book_a_meeting_with_attendees_and_a_guest(world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "diary",
        "book",
        "--at",
        "24/11/2026 10:00",
        "--length",
        "1h30",
        "--attendee",
        "other,clerk",
        "--guest",
        "Dr Patel",
        "--room",
        "Interview 1",
        "--json",
        db=world.db.url,
    )
    assert result.code == 0, result.err
    (booked,) = result.json()["booked"]
    assert booked["attendees"] == ["Claire Clerk", "Owen Other", "Dr Patel (guest)"]
    assert booked["room_name"] == "PRE · Interview 1" and booked["kind"] == "meeting"
    with world.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == booked["id"])
        ).all()
    assert {r.staff_id for r in rows} == {world.other.id, world.clerk.id, None}
    # Owen is now busy 10:00–11:30: a second booking with him clashes, naming him.
    clash = run_cli(
        tmp_path,
        "diary",
        "book",
        "--at",
        "24/11/2026 11:00",
        "--staff",
        "other",
        "--kind",
        "supervision",
        db=world.db.url,
    )
    assert clash.code == 1
    assert "Owen Other already has 10:00–11:30 meeting (attending)" in clash.one_error_line()


def test_a_repeat_must_end_and_a_disabled_attendee_is_refused(world: World, tmp_path: Path) -> None:
    no_end = run_cli(
        tmp_path,
        "diary",
        "book",
        "--at",
        "24/11/2026 10:00",
        "--repeat",
        "weekly",
        db=world.db.url,
    )
    assert no_end.code == 1
    assert "recurrence: a repeating booking needs an end" in no_end.one_error_line()
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="other", active=False)
    disabled = run_cli(
        tmp_path,
        "diary",
        "book",
        "--at",
        "24/11/2026 10:00",
        "--attendee",
        "other",
        db=world.db.url,
    )
    assert disabled.code == 1
    assert "attendee: Owen Other (other) is disabled" in disabled.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(Appointment)).all() == []


def test_daily_until_then_move_and_cancel_the_rest(world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "diary",
        "book",
        "--at",
        "24/11/2026 09:00",
        "--length",
        "30m",
        "--repeat",
        "daily",
        "--until",
        "27/11/2026",
        "--json",
        db=world.db.url,
    )
    assert result.code == 0, result.err
    ids = [b["id"] for b in result.json()["booked"]]
    assert len(ids) == 4
    moved = run_cli(
        tmp_path,
        "diary",
        "move",
        str(ids[2]),
        "--to",
        "26/11/2026 16:00",
        "--rest",
        "--json",
        db=world.db.url,
    )
    assert moved.code == 0, moved.err
    assert moved.json()["moved"] == ids[2:]
    new = moved.json()["new"]
    cancelled = run_cli(
        tmp_path,
        "diary",
        "cancel",
        str(ids[1]),
        "--reason",
        "course ends",
        "--rest",
        "--json",
        db=world.db.url,
    )
    assert cancelled.code == 0, cancelled.err
    assert cancelled.json()["cancelled"] == [ids[1], *new]
    with world.db.read() as s:
        status = {a.id: (a.status, a.starts_at.hour) for a in s.exec(select(Appointment))}
    assert [status[i] for i in ids] == [
        ("booked", 9),
        ("cancelled", 9),
        ("rescheduled", 9),
        ("rescheduled", 9),
    ]
    assert [status[i] for i in new] == [("cancelled", 16), ("cancelled", 16)]


def test_kind_filter_and_court_list(world: World, tmp_path: Path) -> None:
    for args in (
        (
            "--at",
            "24/11/2026 10:00",
            "--kind",
            "court hearing",
            "--location",
            "Preston Crown Court",
        ),
        ("--at", "24/11/2026 14:00", "--kind", "tribunal", "--location", "Preston Crown Court"),
        ("--at", "24/11/2026 12:00", "--kind", "supervision"),
    ):
        done = run_cli(tmp_path, "diary", "book", *args, db=world.db.url)
        assert done.code == 0, done.err
    kinds = run_cli(
        tmp_path, "diary", "tomorrow", "--kind", "court hearing", "--json", db=world.db.url
    )
    assert [a["kind"] for a in kinds.json()["appointments"]] == ["court_hearing"]
    court = run_cli(
        tmp_path, "diary", "court-list", "--date", "24/11/2026", "--json", db=world.db.url
    )
    assert court.code == 0, court.err
    assert [(c["court"], c["session"], len(c["hearings"])) for c in court.json()["sittings"]] == [
        ("Preston Crown Court", "am", 1),
        ("Preston Crown Court", "pm", 1),
    ]
    text = run_cli(tmp_path, "diary", "court-list", "--date", "24/11/2026", db=world.db.url)
    assert "Court list for Tuesday 24/11/2026 — 2 hearing(s)" in text.out
    assert "Preston Crown Court · Afternoon" in text.out
