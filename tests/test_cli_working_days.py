"""Issue 13, "working days wherever a date is typed", on the command line: `task add --due`,
`reviews add --due` and `diary book --at` / `diary move --to` read a day in the office's calendar
(bank holidays and office closure days: `+10wd` skips both) and accept a weekend, bank holiday or
closure day with one warning line on stderr naming the day and the next working day, as the
workstation's forms do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.models import Appointment, ReviewSchedule, Task
from caseterm.core.services import clock_rules
from tests.cli import Run, run_cli
from tests.factories import World

CHRISTMAS = (
    "caseterm: warning: {field}: Friday 25/12/2026 is Christmas Day (bank holiday): "
    "next working day Tuesday 29/12/2026"
)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield
    clock.freeze(None)


def _close_tuesday(world: World) -> None:
    """Tuesday 24/11/2026 (the day after the frozen Monday) is an office closure day."""
    with world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=date(2026, 11, 24), reason="Staff training")


def _task_add(world: World, home: Path, due: str, *more: str) -> Run:
    return run_cli(
        home,
        "task",
        "add",
        world.case.reference,
        "--kind",
        "general",
        "--title",
        "Phone the GP",
        "--due",
        due,
        *more,
        db=world.db.url,
    )


def test_task_due_on_a_bank_holiday_is_saved_with_one_warning(world: World, tmp_path: Path) -> None:
    run = _task_add(world, tmp_path, "25/12/2026", "--json")
    assert run.code == 0, run.err
    assert run.err.strip().splitlines() == [CHRISTMAS.format(field="--due")]
    task_id = run.json()["id"]  # the JSON on stdout stays whole
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and task.due_date == date(2026, 12, 25)
    # A working day says nothing.
    run = _task_add(world, tmp_path, "26/11/2026")
    assert run.code == 0 and run.err == "" and run.out.startswith("added task")


def test_working_days_skip_office_closure_days_and_a_closure_day_is_warned(
    world: World, tmp_path: Path
) -> None:
    _close_tuesday(world)
    run = _task_add(world, tmp_path, "+1wd", "--json")
    assert run.code == 0 and run.err == "", run.err
    task_id = run.json()["id"]
    run = _task_add(world, tmp_path, "24/11/2026")
    assert run.code == 0
    assert run.err.strip().splitlines() == [
        "caseterm: warning: --due: Tuesday 24/11/2026 is an office closure day: "
        "next working day Wednesday 25/11/2026"
    ]
    with world.db.read() as s:
        dues = [t.due_date for t in s.exec(select(Task).where(Task.case_id == world.case.id))]
        first = s.get(Task, task_id)
    assert first is not None and first.due_date == date(2026, 11, 25)  # Tuesday skipped
    assert date(2026, 11, 24) in dues


def test_review_due_on_a_saturday_is_warned(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "reviews",
        "add",
        world.case.reference,
        "--description",
        "Three-month review",
        "--due",
        "28/11/2026",
        db=world.db.url,
    )
    assert run.code == 0, run.err
    assert run.err.strip().splitlines() == [
        "caseterm: warning: --due: Saturday 28/11/2026 is at the weekend: "
        "next working day Monday 30/11/2026"
    ]
    with world.db.read() as s:
        row = s.exec(select(ReviewSchedule).where(ReviewSchedule.case_id == world.case.id)).one()
    assert row.due_date == date(2026, 11, 28)


def test_booking_on_christmas_day_is_booked_with_a_warning(world: World, tmp_path: Path) -> None:
    run = run_cli(tmp_path, "diary", "book", "--at", "25/12/2026 10:00", "--json", db=world.db.url)
    assert run.code == 0, run.err
    assert run.err.strip().splitlines() == [CHRISTMAS.format(field="--at")]
    (booked,) = run.json()["booked"]
    _close_tuesday(world)
    moved = run_cli(
        tmp_path, "diary", "move", str(booked["id"]), "--to", "24/11/2026 14:00", db=world.db.url
    )
    assert moved.code == 0, moved.err
    assert moved.err.strip().splitlines() == [
        "caseterm: warning: --to: Tuesday 24/11/2026 is an office closure day: "
        "next working day Wednesday 25/11/2026"
    ]
    with world.db.read() as s:
        starts = s.exec(select(Appointment.starts_at).where(Appointment.status == "booked")).all()
    assert datetime(2026, 11, 24, 14, 0) in starts and datetime(2026, 12, 25, 10, 0) not in starts
