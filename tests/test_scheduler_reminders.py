"""The scheduler (`caseterm reviews run`, the workstation at start-up and every few minutes)
raises the other dated reminders too, each once: a warning's review and a transfer out nobody
acknowledged."""

from __future__ import annotations

from datetime import date, timedelta

from caseterm.core import clock
from caseterm.core.models import Task
from caseterm.core.services import clock_scheduler
from tests.factories import World
from tests.test_case_lifecycle import _out
from tests.test_person_record import _warning


def test_a_warning_review_is_raised_by_the_scheduler_once(
    world: World, frozen_clock: object
) -> None:
    _warning(world, clock.today() + timedelta(days=3))
    clock.freeze(clock.now() + timedelta(days=4))
    with world.db.write() as s:
        first = clock_scheduler.run_scheduler(s, world.worker)
    with world.db.write() as s:
        again = clock_scheduler.run_scheduler(s, world.worker)
    reviews = [r for r in first.raised if r.key.startswith("warning_review:")]
    assert len(reviews) == 1 and reviews[0].case_id == world.case.id
    assert not [r for r in again.raised if r.key.startswith("warning_review:")]
    with world.db.read() as s:
        task = s.get(Task, reviews[0].task_id)
    assert task is not None and task.kind == "warning_review"


def test_an_unacknowledged_transfer_is_chased_by_the_scheduler_once(
    world: World, frozen_clock: object
) -> None:
    _out(world)
    with world.db.write() as s:
        early = clock_scheduler.run_scheduler(s, world.worker, today=date(2026, 11, 30))
        first = clock_scheduler.run_scheduler(s, world.worker, today=date(2026, 12, 1))
        again = clock_scheduler.run_scheduler(s, world.worker, today=date(2026, 12, 2))
    chased = [r for r in first.raised if r.key.startswith("transfer:")]
    assert not [r for r in early.raised if r.key.startswith("transfer:")]
    assert len(chased) == 1 and chased[0].case_id == world.case.id
    assert not [r for r in again.raised if r.key.startswith("transfer:")]
    with world.db.read() as s:
        task = s.get(Task, chased[0].task_id)
    assert task is not None and task.kind == "transfer_chase"
