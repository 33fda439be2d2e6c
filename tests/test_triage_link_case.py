"""Triage `link`: linking an item to a person puts it on their open case (issue 17)."""

from __future__ import annotations

from caseterm.core.models import Task
from caseterm.core.services import cases, task_lists, tasks, triage
from tests.factories import World


def _incoming(world: World, title: str) -> int:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="post_in", title=title, status="untriaged", source="Post"
        )
    return task.id or 0


def _task(world: World, task_id: int) -> Task:
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None
    return task


def test_linking_the_person_with_one_open_case_links_the_case(world: World) -> None:
    item = _incoming(world, "Letter from the court")
    with world.db.write() as s:
        decision = triage.link(s, world.clerk, item, person_id=world.person.id)
    task = _task(world, item)
    assert (task.person_id, task.case_id) == (world.person.id, world.case.id)
    assert world.case.reference in decision.summary
    with world.db.read() as s:  # it now shows among the case's tasks
        rows = task_lists.case_tasks(s, world.clerk, case_id=world.case.id or 0)
        assert item in [r.task_id for r in rows]


def test_linking_the_person_with_several_open_cases_links_only_the_person(world: World) -> None:
    with world.db.write() as s:
        cases.open_case(s, world.clerk, case_type="OM", subject_id=world.person.id or 0)
    item = _incoming(world, "Letter from the court")
    with world.db.write() as s:
        triage.link(s, world.clerk, item, person_id=world.person.id)
    task = _task(world, item)
    assert (task.person_id, task.case_id) == (world.person.id, None)


def test_incoming_counts_say_why_triage_shows_fewer(world: World) -> None:
    from datetime import timedelta

    from caseterm.core import clock

    _incoming(world, "here")
    elsewhere = _incoming(world, "at Lancaster")
    later = _incoming(world, "later")
    with world.db.write() as s:
        task = s.get(Task, elsewhere)
        assert task is not None
        task.office_id = world.other_office.id
        triage.bring_forward(s, world.clerk, later, clock.today() + timedelta(days=3))
    with world.db.read() as s:
        counts = triage.incoming_counts(s, world.clerk)
        assert counts.due_here == triage._count_incoming(s, world.clerk) == 1
    assert (counts.other_offices, counts.brought_forward, counts.total) == (1, 1, 3)
    assert counts.why_fewer() == "of 3 incoming: 1 at other offices, 1 brought forward"
