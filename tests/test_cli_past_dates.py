"""Issue 13, "working days wherever a date is typed", bad input on the command line: a task's due
date, a bring-forward or a booking in the past is refused with one line naming the option and the
day, as the workstation's forms refuse it before saving, and nothing is written (the clock is
frozen at Monday 23/11/2026 10:30)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseterm.core.models import Appointment, ReviewSchedule, Task
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only  # how the command line reads a day, the same on both


def _count(world: World, model: type[Task] | type[ReviewSchedule] | type[Appointment]) -> int:
    with world.db.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_a_task_due_or_a_bring_forward_in_the_past_is_refused(world: World, tmp_path: Path) -> None:
    ref = world.case.reference
    tasks_before, reviews_before = _count(world, Task), _count(world, ReviewSchedule)
    task = run_cli(
        tmp_path, "task", "add", ref, "--kind", "general", "--title", "Phone the GP",
        "--due", "01/01/2020", db=world.db.url,
    )  # fmt: skip
    assert task.code == 1
    assert task.one_error_line() == "caseterm: --due: 01/01/2020 is in the past"
    yesterday = run_cli(
        tmp_path, "task", "add", ref, "--kind", "general", "--title", "x", "--due", "-1",
        db=world.db.url,
    )  # fmt: skip
    assert yesterday.one_error_line() == "caseterm: --due: 22/11/2026 is in the past"
    bring_forward = run_cli(
        tmp_path, "reviews", "add", ref, "--kind", "bring_forward", "--description", "Chase GP",
        "--due", "20/11/2026", "--json", db=world.db.url,
    )  # fmt: skip
    assert bring_forward.code == 1 and bring_forward.out == ""
    assert bring_forward.one_error_line() == "caseterm: --due: 20/11/2026 is in the past"
    assert (_count(world, Task), _count(world, ReviewSchedule)) == (tasks_before, reviews_before)
    # Today is not in the past.
    today = run_cli(
        tmp_path, "task", "add", ref, "--kind", "general", "--title", "Today", "--due", "today",
        db=world.db.url,
    )  # fmt: skip
    assert today.code == 0 and today.err == "", today.err


def test_a_booking_or_a_move_into_the_past_is_refused(world: World, tmp_path: Path) -> None:
    booked_before = _count(world, Appointment)
    earlier = run_cli(tmp_path, "diary", "book", "--at", "today 09:00", db=world.db.url)
    assert earlier.code == 1 and earlier.out == ""
    assert earlier.one_error_line() == "caseterm: --at: Mon 23 Nov 2026 09:00 is in the past"
    assert _count(world, Appointment) == booked_before
    later = run_cli(tmp_path, "diary", "book", "--at", "today 14:00", "--json", db=world.db.url)
    assert later.code == 0, later.err
    (booked,) = later.json()["booked"]
    moved = run_cli(
        tmp_path,
        "diary",
        "move",
        str(booked["id"]),
        "--to",
        "fri 10:00",
        "--json",
        db=world.db.url,
    )  # fmt: skip  "fri" read forward is Friday 27/11; "last fri" is in the past
    assert moved.code == 0, moved.err
    back = run_cli(
        tmp_path, "diary", "move", str(booked["id"]), "--to", "last fri 10:00", db=world.db.url
    )
    assert back.code == 1
    assert back.one_error_line() == "caseterm: --to: Fri 20 Nov 2026 10:00 is in the past"
    with world.db.read() as s:
        live = s.exec(select(Appointment.starts_at).where(Appointment.status == "booked")).all()
    assert datetime(2026, 11, 27, 10, 0) in live
    assert datetime(2026, 11, 20, 10, 0) not in live
    assert _count(world, Appointment) == booked_before + 2  # the booking and the moved copy
