"""Sampled cross-checking: rates, the reproducible daily draw, pass and fail (a failure raises a
rework task to the officer), and the accuracy figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from caseterm.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from caseterm.core.models import Task, WorkCheck
from caseterm.core.models.vocab import TaskKind
from caseterm.core.rules import checks as rules
from caseterm.core.services import check_outcomes, checks
from tests.check_helpers import WORK_DAY, add_checker, day_of_work, rate
from tests.factories import World


@pytest.fixture
def w(world: World, frozen_clock: object) -> World:
    add_checker(world)
    day_of_work(world)
    return world


def _draw(w: World, day: date = WORK_DAY, *, dry_run: bool = False) -> checks.DrawResult:
    with w.db.write() as s:
        return checks.draw_checks(s, w.manager, day=day, dry_run=dry_run)


def test_the_sample_is_reproducible_and_drawing_again_adds_nothing(w: World) -> None:
    rate(w, "task", 30)
    dry = _draw(w, dry_run=True)
    first = _draw(w)
    # 20 tasks done (ids 1-10 by the worker, 11-20 by the other): 30 % is 6, seeded by the day.
    drawn = [(d.item_id, d.officer, d.checker) for d in first.drawn]
    assert drawn == [
        (1, "worker", "boss"),
        (7, "worker", "boss"),
        (8, "worker", "boss"),
        (10, "worker", "boss"),
        (13, "other", "chk"),
        (18, "other", "chk"),
    ]
    assert [(d.item_id, d.officer, d.checker) for d in dry.drawn] == drawn
    assert [d.id for d in dry.drawn] == [None] * 6
    again = _draw(w)
    assert (again.drawn, again.already) == ([], 6)
    with w.db.read() as s:
        assert len(s.exec(select(WorkCheck)).all()) == 6


def test_the_seed_is_the_date_team_and_kind() -> None:
    population = list(range(1, 101))
    seed = rules.sample_seed(WORK_DAY, 1, "task", None)
    assert seed == "2026-11-20|team:1|task|staff:-"
    assert rules.draw_sample(population, 10, seed) == rules.draw_sample(population[::-1], 10, seed)
    assert rules.draw_sample(population, 10, seed) != rules.draw_sample(
        population, 10, rules.sample_seed(date(2026, 11, 21), 1, "task", None)
    )
    assert rules.sample_size(7, 10) == 1 and rules.sample_size(7, 100) == 7
    assert rules.sample_size(0, 50) == 0 and rules.sample_size(9, 0) == 0


def test_nobody_is_given_a_check_of_their_own_work(w: World) -> None:
    # The manager does work too: with every item drawn, none of theirs is theirs to check.
    rate(w, "task", 100)
    result = _draw(w)
    assert len(result.drawn) == 20
    assert all(d.officer != d.checker for d in result.drawn)
    assert {d.checker for d in result.drawn} == {"boss", "chk"}


def test_a_new_starters_own_rate_overrides_the_teams(w: World) -> None:
    rate(w, "contact", 0)
    rate(w, "contact", 100, staff_login="other")
    result = _draw(w)
    assert [(d.work_kind, d.officer) for d in result.drawn] == [("contact", "other")] * 3
    with w.db.read() as s:
        listed = checks.list_rates(s, w.manager)
    assert [(r.work_kind, r.staff, r.percent) for r in listed] == [
        ("contact", "", 0),
        ("contact", "other", 100),
    ]


def test_rates_are_refused_when_wrong(w: World) -> None:
    with pytest.raises(ValidationError, match="percent"), w.db.write() as s:
        checks.set_rate(s, w.manager, team=w.team.code, work_kind="task", percent=101)
    with pytest.raises(ValidationError, match="kind"), w.db.write() as s:
        checks.set_rate(s, w.manager, team=w.team.code, work_kind="lunch", percent=5)
    with pytest.raises(NotFoundError), w.db.write() as s:
        checks.set_rate(s, w.manager, team="NOPE", work_kind="task", percent=5)
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        checks.set_rate(s, w.worker, team=w.team.code, work_kind="task", percent=5)
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        checks.draw_checks(s, w.worker, day=WORK_DAY)


def _first_for(w: World, login: str) -> int:
    with w.db.read() as s:
        rows = check_outcomes.checks_awaiting(s, w.actor(login))
    return rows[0].id


def test_a_failure_raises_rework_for_the_officer_and_counts_in_accuracy(w: World) -> None:
    rate(w, "task", 100)
    _draw(w)
    chk = w.actor("chk")
    with w.db.read() as s:
        mine = check_outcomes.checks_awaiting(s, chk)
        theirs = check_outcomes.checks_awaiting(s, w.manager)
    assert {r.officer for r in mine} <= {"Wendy Worker", "Owen Other"}
    assert len(mine) + len(theirs) == 20
    ids = [r.id for r in mine]
    with w.db.write() as s:
        failed = check_outcomes.fail_check(
            s, chk, check_id=ids[0], category="wrong_outcome", notes="outcome says done; it is not"
        )
        check_outcomes.pass_check(s, chk, check_id=ids[1])
    assert failed.status == "failed" and failed.rework_task_id is not None
    with w.db.read() as s:
        task = s.get(Task, failed.rework_task_id)
        assert task is not None
        assert task.kind == TaskKind.REWORK
        assert task.details == "outcome says done; it is not"
        check = s.get(WorkCheck, ids[0])
        assert check is not None and task.assignee_id == check.officer_id
        figures = check_outcomes.accuracy(
            s, w.manager, team=w.team.code, date_from=date(2026, 11, 23), date_to=date(2026, 11, 23)
        )
    assert figures.total.checked == 2 and figures.total.passed == 1
    assert figures.total.percent == 50.0
    assert figures.failures_by_category == {"wrong_outcome": 1}
    assert sum(o.checked for o in figures.officers) == 2


def test_refusals_on_pass_and_fail(w: World) -> None:
    rate(w, "task", 100)
    _draw(w)
    chk = w.actor("chk")
    check_id = _first_for(w, "chk")
    with pytest.raises(ValidationError, match="category"), w.db.write() as s:
        check_outcomes.fail_check(s, chk, check_id=check_id, category="bad_hair", notes="x")
    with pytest.raises(ValidationError, match="notes"), w.db.write() as s:
        check_outcomes.fail_check(s, chk, check_id=check_id, category="not_done", notes=" ")
    with pytest.raises(PermissionDeniedError, match="drawn to"), w.db.write() as s:
        check_outcomes.pass_check(s, w.manager, check_id=check_id)
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        check_outcomes.pass_check(s, w.worker, check_id=check_id)
    with w.db.write() as s:
        check_outcomes.pass_check(s, chk, check_id=check_id)
    with pytest.raises(ValidationError, match="already passed"), w.db.write() as s:
        check_outcomes.fail_check(s, chk, check_id=check_id, category="not_done", notes="x")
    with w.db.read() as s:
        assert s.get(WorkCheck, check_id).status == "passed"  # type: ignore[union-attr]
        assert s.exec(select(Task).where(Task.kind == TaskKind.REWORK)).all() == []


def test_own_work_is_never_in_my_checks(w: World) -> None:
    rate(w, "task", 100)
    _draw(w)
    for login in ("boss", "chk"):
        with w.db.read() as s:
            me = w.actor(login)
            rows = check_outcomes.checks_awaiting(s, me)
            assert all(r.officer != me.name for r in rows)
