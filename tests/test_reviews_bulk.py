"""Review schedules raised in bulk: more schedules due than one statement's chunk raise one
"review due" task each (owner's if active, else the team's pile), the schedule pointing at it,
both audit events (task.create, review.raise); a second run raises nothing; a schedule another
run claimed first is left alone (Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, update
from sqlmodel import col, func, select

from caseterm.core import clock
from caseterm.core.models import AuditEvent, ReviewSchedule, Task
from caseterm.core.services import reviews, staff
from tests.factories import World

MANY = reviews.CHUNK + 37  # crosses a chunk boundary


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _due(world: World, n: int) -> list[int]:
    today = clock.today()
    rows = [
        {
            "case_id": world.case.id,
            "kind": ("review", "statutory", "bring_forward")[i % 3],
            "description": f"Bulk review {i}",
            "due_date": today - timedelta(days=1) if i % 5 else today + timedelta(days=2),
            "working_days": None,
            "status": "pending",
            "raised_task_id": None,
            "created_at": clock.now(),
            "version": 1,
        }
        for i in range(n)
    ]
    with world.db.write() as s:
        s.execute(insert(ReviewSchedule), rows)
        return [r for r in s.exec(select(ReviewSchedule.id).order_by(col(ReviewSchedule.id))) if r]


def test_many_reviews_raise_one_task_each_once(world: World) -> None:
    ids = _due(world, MANY)
    due = [i for n, i in enumerate(ids) if n % 5]
    with world.db.write() as s:  # another run claimed the first one already
        s.execute(
            update(ReviewSchedule).where(col(ReviewSchedule.id) == due[0]).values(status="raised")
        )
    with world.db.write() as s:
        raised = reviews.raise_due_reviews(s, world.clerk)
    assert sorted(r.review_id for r in raised) == due[1:]
    first = next(r for r in raised if r.review_id == due[1])
    assert (first.kind, first.title, first.case_id, first.assignee_id) == (
        "review_due",
        "Bring forward: Bulk review 2",
        world.case.id,
        world.worker.id,
    )
    with world.db.read() as s:
        tasks = {t.source: t for t in s.exec(select(Task).where(Task.kind == "review_due")).all()}
        schedules = {r.id: r for r in s.exec(select(ReviewSchedule)).all()}
        creates = s.exec(
            select(func.count()).where(
                AuditEvent.action == "task.create", AuditEvent.entity == "task"
            )
        ).one()
        marks = s.exec(select(AuditEvent).where(AuditEvent.action == "review.raise")).all()
    assert len(tasks) == len(due) - 1 and creates >= len(due) - 1
    assert len(marks) == len(due) - 1
    for r in raised:
        task = tasks[f"review_schedule:{r.review_id}"]
        assert schedules[r.review_id].status == "raised"
        assert schedules[r.review_id].raised_task_id == task.id == r.id
        assert task.priority == (2 if "Statutory" in task.title else 3)
        assert (task.team_id, task.office_id) == (world.case.team_id, world.case.office_id)
    assert schedules[due[0]].raised_task_id is None  # the other run's: left alone
    assert all(schedules[i].status == "pending" for n, i in enumerate(ids) if not n % 5)
    assert '"raised_task_id"' in marks[0].after and marks[0].case_id == world.case.id
    with world.db.write() as s:
        assert reviews.raise_due_reviews(s, world.clerk) == []


def test_a_disabled_owners_reviews_go_to_the_teams_pile(world: World) -> None:
    ids = _due(world, 3)
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="worker", active=False)
    with world.db.write() as s:
        raised = reviews.raise_due_reviews(s, world.clerk)
    assert [r.review_id for r in raised] == ids[1:] and all(r.assignee_id is None for r in raised)
    with world.db.read() as s:
        teams = {t.team_id for t in s.exec(select(Task).where(Task.kind == "review_due")).all()}
    assert teams == {world.case.team_id}
