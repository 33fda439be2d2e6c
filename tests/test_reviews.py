"""Working days (England & Wales bank holidays) and review schedules raising tasks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, ReviewSchedule, Task
from caseterm.core.rules.workdays import (
    add_months,
    add_working_days,
    bank_holiday_name,
    is_working_day,
    next_working_day,
    working_days_between,
)
from caseterm.core.services import reviews, tasks
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


# ---------------------------------------------------------------- working days


def test_christmas_2026_skips_the_weekend_and_boxing_day_observed() -> None:
    # Fri 25/12 Christmas, Sat 26/12 Boxing Day, so Mon 28/12 is the substitute bank holiday.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert bank_holiday_name(date(2026, 12, 28)).startswith("Boxing Day")
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    # New Year's Day 2027 is a Friday: Thursday 31/12 + 1 is Monday 4/1.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 18), date(2027, 1, 8)) == 12


def test_easter_2026_good_friday_and_easter_monday() -> None:
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 2)
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert working_days_between(date(2026, 4, 7), date(2026, 4, 2)) == -1
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)


def test_ordinary_weeks_and_round_trip() -> None:
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 21)  # n=0: the day itself
    start = date(2026, 3, 1)
    for offset in range(0, 400, 7):
        a = start + timedelta(days=offset)
        for n in (1, 5, 20):
            assert working_days_between(a, add_working_days(a, n)) == n


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 23), -12) == date(2025, 11, 23)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


# ---------------------------------------------------------------- review schedules


def test_schedule_in_working_days_over_christmas(world: World) -> None:
    # Monday 23/11/2026 + 25 working days: 25/12 and 28/12 are bank holidays.
    with world.db.write() as s:
        review = reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="statutory",
            description="Tribunal statement",
            working_days=25,
        )
    assert review.due_date == date(2026, 12, 30)
    assert review.working_days == 25
    with world.db.read() as s:
        stored = s.get(ReviewSchedule, review.id)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "review.schedule")).one()
    assert stored is not None and stored.status == "pending"
    assert event.entity_id == review.id and event.case_id == world.case.id


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "due_date"),
        ({"due_date": date(2026, 12, 1), "working_days": 3}, "due_date"),
        ({"due_date": date(2026, 11, 20)}, "due_date"),
        ({"working_days": 0}, "working_days"),
        ({"due_date": date(2026, 12, 1), "kind": "whenever"}, "kind"),
        ({"due_date": date(2026, 12, 1), "description": "  "}, "description"),
    ],
)
def test_schedule_validation(world: World, kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"kind": "review", "description": "Three-month review"} | kwargs
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        reviews.schedule_review(s, world.clerk, case_id=world.case.id or 0, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    with world.db.read() as s:
        assert s.exec(select(ReviewSchedule)).all() == []


def test_raise_due_reviews_is_idempotent_and_completion_closes_schedule(world: World) -> None:
    with world.db.write() as s:
        today_review = reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="review",
            description="Review",
            due_date=clock.today(),
        )
        later = reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="bring_forward",
            description="Chase",
            due_date=date(2026, 12, 4),
        )
    with world.db.write() as s:
        raised = reviews.raise_due_reviews(s, world.clerk)
    assert len(raised) == 1
    task = raised[0]
    assert (task.kind, task.assignee_id, task.case_id, task.due_date) == (
        "review_due",
        world.worker.id,
        world.case.id,
        clock.today(),
    )
    with world.db.write() as s:
        assert reviews.raise_due_reviews(s, world.clerk) == []
    with world.db.read() as s:
        first = s.get(ReviewSchedule, today_review.id)
        second = s.get(ReviewSchedule, later.id)
        assert first is not None and second is not None
        assert (first.status, first.raised_task_id) == ("raised", task.id)
        assert second.status == "pending"
        assert len(s.exec(select(Task).where(Task.kind == "review_due")).all()) == 1
        assert len(s.exec(select(AuditEvent).where(AuditEvent.action == "review.raise")).all()) == 1
    # A later day raises the bring-forward too.
    with world.db.write() as s:
        assert [
            t.title for t in reviews.raise_due_reviews(s, world.clerk, today=date(2026, 12, 4))
        ] == ["Bring forward: Chase"]
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=task.id or 0, outcome="reviewed")
    with world.db.read() as s:
        done = s.get(ReviewSchedule, today_review.id)
        assert done is not None and done.status == "done"


def test_cancel_review(world: World) -> None:
    with world.db.write() as s:
        review = reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="review",
            description="R",
            due_date=clock.today(),
        )
    with world.db.write() as s:
        reviews.cancel_review(s, world.clerk, review_id=review.id or 0, reason="case closed")
    with world.db.write() as s:
        assert reviews.raise_due_reviews(s, world.clerk) == []
        assert [
            r.status for r in reviews.reviews_for_case(s, world.worker, world.case.id or 0)
        ] == ["cancelled"]
    with pytest.raises(ValidationError), world.db.write() as s:
        reviews.cancel_review(s, world.clerk, review_id=review.id or 0, reason="again")
