"""Sixteen workstations starting at 09:00: every process runs the scheduler at once on one
database, and each clock's task and each review's task is raised exactly once (the unique key on
the raised task, not a check before inserting). Real processes (tests/processes.py), a real
database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, RaisedKey, Task
from caseterm.core.services import case_events, cases, clock_rules, clock_scheduler, reviews
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.factories import World
from tests.processes import run_together

PROCESSES = 6
CASES = 12
RUN_ON = date(2026, 12, 14)  # past the end of every recall clock made below
JOIN_SECONDS = 180


def workstation(url: str, login: str, barrier: Any, results: Any) -> None:
    """One workstation starting: run the scheduler, report how many tasks it raised."""
    clock.freeze(datetime(2026, 12, 14, 9, 0))
    db = Database(url)
    with db.read() as s:
        actor = resolve_actor(s, login)
    barrier.wait(timeout=60)
    try:
        with db.write() as s:
            run = clock_scheduler.run_scheduler(s, actor, today=RUN_ON)
        results.put({"raised": [r.key for r in run.raised], "error": ""})
    except Exception as exc:
        results.put({"raised": [], "error": repr(exc)})
    finally:
        db.dispose()


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    return None


def _busy_world(world: World) -> int:
    with world.db.write() as s:
        for _ in range(CASES):
            case = cases.open_case(
                s,
                world.clerk,
                case_type="MHC",
                subject_id=world.person.id or 0,
                owner_id=world.worker.id,
            )
            case_events.record_event(
                s,
                world.worker,
                case_id=case.id or 0,
                kind="recall",
                event_date=date(2026, 11, 20),
            )
            reviews.schedule_review(
                s,
                world.clerk,
                case_id=case.id or 0,
                kind="review",
                description="Review",
                due_date=date(2026, 12, 1),
            )
    return CASES * 2  # a recall clock's end and a review each


@pytest.mark.slow
def test_workstations_starting_together_raise_each_task_once(world: World) -> None:
    expected = _busy_world(world)
    logins = ["worker", "other", "clerk", "boss"]
    reports, _ = run_together(
        __name__,
        workstation,
        [(world.db.url, logins[i % len(logins)]) for i in range(PROCESSES)],
        timeout=JOIN_SECONDS,
    )
    assert [r["error"] for r in reports] == [""] * PROCESSES
    keys = [k for r in reports for k in r["raised"]]
    assert len(keys) == len(set(keys)) == expected
    with world.db.read() as s:
        deadline_tasks = s.exec(select(func.count()).where(Task.kind == "deadline")).one()
        review_tasks = s.exec(select(func.count()).where(Task.kind == "review_due")).one()
        raised_keys = s.exec(select(func.count()).select_from(RaisedKey)).one()
    assert (deadline_tasks, review_tasks, raised_keys) == (CASES, CASES, CASES)


def test_a_key_already_raised_elsewhere_raises_nothing(world: World) -> None:
    """The guard is the key, not the clock row read earlier: a clock read before another
    process committed its task (here, the key written first) raises nothing."""
    _busy_world(world)
    with world.db.write() as s:
        first = s.exec(select(CaseClock)).first()
        assert first is not None
        s.add(RaisedKey(key=f"clock:{first.id}:due"))
    with world.db.write() as s:
        c = s.get(CaseClock, first.id)
        assert c is not None
        cal = clock_rules.work_calendar(s)
        assert (
            clock_scheduler.raise_clock_task(s, world.clerk, case_clock=c, day=RUN_ON, cal=cal)
            is None
        )
    with world.db.read() as s:
        assert s.exec(select(func.count()).where(Task.kind == "deadline")).one() == 0
