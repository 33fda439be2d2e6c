"""Tasks: create, take (one winner), assign, complete, bring forward, reopen, priority; audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import (
    AlreadyTakenError,
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import AuditEvent, Notification, Task
from caseterm.core.services import cases, raised_tasks, task_lists, tasks
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _task(world: World, actor: Actor | None = None, **kwargs: object) -> TaskInfo:
    args: dict[str, object] = {"kind": "general", "title": "Do the thing"} | kwargs
    with world.db.write() as s:
        return tasks.create_task(s, actor or world.clerk, **args)  # type: ignore[arg-type]


def _events(world: World, task_id: int | None) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(
            s.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == "task", AuditEvent.entity_id == task_id)
                .order_by(col(AuditEvent.id))
            ).all()
        )


def test_create_defaults_and_audit(world: World) -> None:
    task = _task(
        world, case_id=world.case.id, assignee_id=world.other.id, due_date=date(2026, 12, 1)
    )
    assert task.person_id == world.person.id  # from the case
    assert task.team_id == world.team.id  # from the assignee
    assert task.office_id == world.office.id  # from the case
    assert task.status == "open" and task.version == 1
    [event] = _events(world, task.id)
    assert event.action == "task.create" and event.staff_id == world.clerk.id
    assert json.loads(event.after)["assignee_id"] == world.other.id


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "chores"}, "kind"),
        ({"title": " \x1b "}, "title"),
        ({"priority": 5}, "priority"),
        ({"status": "done"}, "status"),
        ({"assignee_id": 9999}, "assignee"),
        ({"team_id": 9999}, "team"),
    ],
)
def test_create_validation_names_field_and_writes_nothing(
    world: World, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        _task(world, **kwargs)
    assert err.value.field == field
    with world.db.read() as s:
        assert s.exec(select(Task)).all() == []


def test_reception_may_create_incoming_items_only(world: World) -> None:
    walk_in = _task(world, world.desk, kind="walk_in", title="Walk-in: Ann", status="untriaged")
    assert walk_in.status == "untriaged"
    with pytest.raises(PermissionDeniedError):
        _task(world, world.desk, kind="general")


def test_take_then_loser_gets_already_taken(world: World) -> None:
    task = _task(world)
    with world.db.write() as s:
        taken = tasks.take_task(s, world.worker, task.id or 0)
    assert taken.assignee_id == world.worker.id and taken.version == 2
    with pytest.raises(AlreadyTakenError) as err, world.db.write() as s:
        tasks.take_task(s, world.other, task.id or 0)
    assert err.value.by == "Wendy Worker"
    # Taking one's own task again is harmless.
    with world.db.write() as s:
        assert tasks.take_task(s, world.worker, task.id or 0).assignee_id == world.worker.id
    with world.db.read() as s:
        stored = s.get(Task, task.id)
    assert stored is not None and stored.assignee_id == world.worker.id
    actions = [e.action for e in _events(world, task.id)]
    assert actions == ["task.create", "task.take", "task.take"]


def test_take_refuses_untriaged_and_done(world: World) -> None:
    incoming = _task(world, kind="post_in", status="untriaged")
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        tasks.take_task(s, world.worker, incoming.id or 0)
    assert err.value.field == "status"
    done = _task(world)
    with world.db.write() as s:
        tasks.complete_task(s, world.other, task_id=done.id or 0)
    with pytest.raises(AlreadyTakenError) as taken, world.db.write() as s:
        tasks.take_task(s, world.worker, done.id or 0)
    assert taken.value.by == "Owen Other"


def test_assign_notifies_and_needs_capability(world: World) -> None:
    task = _task(world, kind="post_in", status="untriaged")
    with world.db.write() as s:
        assigned = tasks.assign_task(
            s, world.clerk, task_id=task.id or 0, assignee_id=world.other.id
        )
    assert (assigned.assignee_id, assigned.status, assigned.team_id) == (
        world.other.id,
        "open",
        world.team.id,
    )
    with world.db.read() as s:
        notes = s.exec(
            select(Notification).where(Notification.recipient_id == world.other.id)
        ).all()
    assert [n.kind for n in notes] == ["task"]
    # A caseworker may not give away someone else's task…
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        tasks.assign_task(s, world.worker, task_id=task.id or 0, assignee_id=world.worker.id)
    # …but may hand on their own, or put it back on the team's pile.
    with world.db.write() as s:
        back = tasks.assign_task(s, world.other, task_id=task.id or 0, team_id=world.team.id)
    assert back.assignee_id is None and back.team_id == world.team.id
    event = _events(world, task.id)[-1]
    assert event.action == "task.assign"
    assert json.loads(event.before) == {"assignee_id": world.other.id}
    assert json.loads(event.after) == {"assignee_id": None}


def test_complete_records_who_and_refuses_twice_and_stale(world: World) -> None:
    task = _task(world, assignee_id=world.worker.id)
    with pytest.raises(StaleEditError), world.db.write() as s:
        tasks.complete_task(
            s, world.worker, task_id=task.id or 0, expected_version=task.version + 1
        )
    with world.db.write() as s:
        done = tasks.complete_task(
            s,
            world.worker,
            task_id=task.id or 0,
            outcome="letter sent",
            expected_version=task.version,
        )
    assert (done.status, done.completed_by_id, done.completed_at, done.outcome) == (
        "done",
        world.worker.id,
        clock.now(),
        "letter sent",
    )
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        tasks.complete_task(s, world.other, task_id=task.id or 0)
    assert "already done by Wendy Worker" in str(err.value)
    event = _events(world, task.id)[-1]
    assert event.action == "task.complete"
    assert json.loads(event.after)["status"] == "done"


def test_bring_forward_reopen_priority_cancel(world: World) -> None:
    task = _task(world, assignee_id=world.worker.id, due_date=clock.today())
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        tasks.bring_forward(
            s, world.worker, task_id=task.id or 0, due_date=clock.today() - timedelta(days=1)
        )
    assert err.value.field == "due_date"
    with world.db.write() as s:
        moved = tasks.bring_forward(
            s, world.worker, task_id=task.id or 0, due_date=date(2026, 12, 7)
        )
        tasks.set_task_priority(s, world.worker, task_id=task.id or 0, priority=1)
    assert moved.due_date == date(2026, 12, 7)
    with pytest.raises(ValidationError), world.db.write() as s:
        tasks.set_task_priority(s, world.worker, task_id=task.id or 0, priority=0)
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=task.id or 0)
    with pytest.raises(ValidationError), world.db.write() as s:
        tasks.bring_forward(s, world.worker, task_id=task.id or 0, due_date=date(2026, 12, 8))
    with world.db.write() as s:
        reopened = tasks.reopen_task(s, world.worker, task_id=task.id or 0, reason="not finished")
    assert (reopened.status, reopened.completed_at, reopened.priority) == ("open", None, 1)
    with world.db.write() as s:
        tasks.cancel_task(s, world.worker, task_id=task.id or 0, reason="duplicate")
    with world.db.read() as s:
        stored = s.get(Task, task.id)
    assert stored is not None and (stored.status, stored.outcome) == ("cancelled", "duplicate")
    actions = [e.action for e in _events(world, task.id)]
    assert actions == [
        "task.create",
        "task.bring_forward",
        "task.priority",
        "task.complete",
        "task.reopen",
        "task.cancel",
    ]
    bring = _events(world, task.id)[1]
    assert json.loads(bring.before) == {"due_date": "2026-11-23"}
    assert json.loads(bring.after) == {"due_date": "2026-12-07"}


def test_restricted_case_tasks_refuse_those_who_may_not_see(world: World) -> None:
    task = _task(world, case_id=world.case.id)
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    with pytest.raises(RestrictedError), world.db.write() as s:
        tasks.take_task(s, world.other, task.id or 0)
    with world.db.write() as s:
        assert tasks.take_task(s, world.worker, task.id or 0).assignee_id == world.worker.id


def test_rule_tasks_go_to_the_team_when_the_owner_is_disabled(world: World) -> None:
    from caseterm.core.services import staff

    with world.db.write() as s:
        staff.set_active(s, world.admin, login="worker", active=False)
    with world.db.write() as s:
        case = s.get(type(world.case), world.case.id)
        assert case is not None
        task = raised_tasks.raise_fta_follow_up(s, world.clerk, case=case, entry_id=0)
    assert task.assignee_id is None and task.team_id == world.team.id


def test_case_tasks_live_first_then_closed(world: World) -> None:
    later = _task(world, case_id=world.case.id, due_date=date(2026, 12, 9))
    sooner = _task(world, case_id=world.case.id, due_date=date(2026, 12, 1), priority=2)
    undated = _task(world, case_id=world.case.id)
    closed = _task(world, case_id=world.case.id, due_date=date(2026, 11, 1))
    _task(world)  # another case's (none)
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=closed.id or 0)
    with world.db.read() as s:
        rows = task_lists.case_tasks(s, world.worker, case_id=world.case.id or 0)
        live = task_lists.open_tasks_for_case(s, world.worker, case_id=world.case.id or 0)
    assert [r.task_id for r in rows] == [sooner.id, later.id, undated.id, closed.id]
    assert [r.task_id for r in live] == [sooner.id, later.id, undated.id]
    assert rows[0].case_reference == world.case.reference


def test_notifications_unread_after_and_mark_read_own_only(world: World) -> None:
    from caseterm.core.services import notifications

    with world.db.write() as s:
        first = notifications.notify(
            s, recipient_id=world.worker.id, kind="arrival", text="Your 10:00 \x1b[31mhas arrived"
        )
        second = notifications.notify(
            s, recipient_id=world.worker.id, kind="task", text="Task given", case_id=world.case.id
        )
        theirs = notifications.notify(s, recipient_id=world.other.id, kind="task", text="Not yours")
    assert first.text == "Your 10:00 [31mhas arrived"
    with world.db.read() as s:
        assert [n.id for n in notifications.unread_for(s, world.worker)] == [first.id, second.id]
        assert [n.id for n in notifications.unread_for(s, world.worker, after_id=first.id)] == [
            second.id
        ]
    with world.db.write() as s:
        assert notifications.mark_read(s, world.worker, ids=[first.id, theirs.id]) == 1
    with world.db.read() as s:
        assert [n.id for n in notifications.unread_for(s, world.worker)] == [second.id]
        assert [n.id for n in notifications.unread_for(s, world.other)] == [theirs.id]
    with pytest.raises(ValidationError), world.db.write() as s:
        notifications.notify(s, recipient_id=9999, kind="task", text="nobody")
