"""The contact log and tasks kept right: corrections (with the tasks an outcome raised withdrawn),
outcomes only once an appointment has started, completing a colleague's task, done tasks never
overdue, and undoing queue actions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import (
    OnBehalfError,
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import Appointment, AuditEvent, Task
from caseterm.core.services import cases, contacts, diary, queues, task_lists, task_undo, tasks
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _book(world: World, when: datetime) -> AppointmentView:
    with world.db.write() as s:
        [appt] = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=when,
            ends_at=when + timedelta(hours=1),
            kind="supervision",
            case_id=world.case.id,
            room_id=None,
        )
    return appt


def _past_appointment(world: World, hours_ago: int = 2) -> AppointmentView:
    when = clock.now() + timedelta(hours=1)
    appt = _book(world, when)
    clock.freeze(when + timedelta(hours=hours_ago))
    return appt


def _outcome(world: World, appt: AppointmentView, outcome: str) -> contacts.ContactInfo:
    with world.db.write() as s:
        return diary.record_outcome(s, world.worker, appointment_id=appt.id or 0, outcome=outcome)


def _tasks(world: World, kind: str) -> list[Task]:
    with world.db.read() as s:
        return list(s.exec(select(Task).where(Task.kind == kind).order_by(col(Task.id))).all())


def _entry(world: World, **kwargs: object) -> contacts.ContactInfo:
    args: dict[str, object] = {"case_id": world.case.id, "contact_type": "phone_in"} | kwargs
    with world.db.write() as s:
        return contacts.log_contact(s, world.worker, **args)  # type: ignore[arg-type]


# ---------------------------------------------------------------- correcting the contact log


def test_correction_needs_a_reason_and_keeps_it(world: World) -> None:
    first = _entry(world, notes="rang about the job")
    with world.db.write() as s, pytest.raises(ValidationError) as err:
        contacts.correct_contact(s, world.worker, entry_id=first.id or 0, reason="  ")
    assert err.value.field == "reason"
    with world.db.write() as s:
        fixed = contacts.correct_contact(
            s, world.worker, entry_id=first.id or 0, reason="wrong case", notes="rang about rent"
        )
    with world.db.read() as s:
        rows = contacts.list_contacts(s, world.worker, case_id=world.case.id or 0)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "contact.correct")).one()
    by_id = {r.entry.id: r for r in rows}
    assert by_id[first.id].superseded_by == fixed.id  # the original stays, marked corrected
    assert by_id[fixed.id].entry.correction_reason == "wrong case"
    assert by_id[fixed.id].entry.notes == "rang about rent"
    assert "corrects entry" in event.summary and "wrong case" in event.summary


def test_correction_refusals(world: World) -> None:
    first = _entry(world)
    with world.db.write() as s, pytest.raises(PermissionDeniedError):
        contacts.correct_contact(s, world.desk, entry_id=first.id or 0, reason="x")
    with world.db.write() as s, pytest.raises(ValidationError) as bad:
        contacts.correct_contact(s, world.worker, entry_id=first.id or 0, reason="x", outcome="??")
    assert bad.value.field == "outcome"
    with world.db.write() as s:
        contacts.correct_contact(s, world.worker, entry_id=first.id or 0, reason="x", notes="y")
    with world.db.write() as s, pytest.raises(ValidationError, match="already corrected"):
        contacts.correct_contact(s, world.worker, entry_id=first.id or 0, reason="again")
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    second = _entry(world)
    with world.db.write() as s, pytest.raises(RestrictedError):
        contacts.correct_contact(s, world.other, entry_id=second.id or 0, reason="x")


def test_correcting_a_failure_to_attend_withdraws_its_follow_up(world: World) -> None:
    appt = _past_appointment(world)
    entry = _outcome(world, appt, "failed_to_attend")
    [follow_up] = _tasks(world, "fta_follow_up")
    assert follow_up.status == "open"
    with world.db.write() as s:
        fixed = contacts.correct_contact(
            s, world.worker, entry_id=entry.id or 0, outcome="attended_complied", reason="late"
        )
    [follow_up] = _tasks(world, "fta_follow_up")
    assert follow_up.status == "cancelled" and follow_up.outcome.startswith("Withdrawn: ")
    with world.db.read() as s:
        moved = s.get(Appointment, appt.id)
        assert moved is not None
        assert (moved.status, moved.outcome_contact_id) == ("seen", fixed.id)
        withdrawn = s.exec(select(AuditEvent).where(AuditEvent.action == "task.withdraw")).all()
    assert [e.entity_id for e in withdrawn] == [follow_up.id]


def test_an_appointment_outcome_is_corrected_to_an_appointment_outcome(world: World) -> None:
    appt = _past_appointment(world)
    entry = _outcome(world, appt, "attended_complied")
    with world.db.write() as s, pytest.raises(ValidationError, match="appointment's outcome"):
        contacts.correct_contact(
            s, world.worker, entry_id=entry.id or 0, outcome="no_answer", reason="x"
        )


def test_correcting_an_absence_withdraws_enforcement_and_a_done_task_stays(world: World) -> None:
    first = _past_appointment(world)
    one = _outcome(world, first, "unacceptable_absence")
    second = _past_appointment(world)
    _outcome(world, second, "failed_to_attend")
    [enforce] = _tasks(world, "enforcement")
    [follow_up] = _tasks(world, "fta_follow_up")
    with world.db.write() as s:
        tasks.complete_task(s, world.worker, task_id=follow_up.id or 0)  # done: not withdrawn
    with world.db.write() as s:
        contacts.correct_contact(
            s, world.worker, entry_id=one.id or 0, outcome="acceptable_absence", reason="ill"
        )
    [enforce] = _tasks(world, "enforcement")
    assert enforce.status == "cancelled" and "ill" in enforce.outcome
    [follow_up] = _tasks(world, "fta_follow_up")
    assert follow_up.status == "done"
    third = _past_appointment(world)
    _outcome(world, third, "failed_to_attend")  # a new breach with the second absence
    assert [t.status for t in _tasks(world, "enforcement")] == ["cancelled", "open"]


# ---------------------------------------------------------------- outcomes and time


def test_outcome_of_an_appointment_not_started_is_refused(world: World) -> None:
    appt = _book(world, clock.now() + timedelta(hours=4))
    with world.db.write() as s, pytest.raises(ValidationError, match="once it has started"):
        diary.record_outcome(
            s, world.worker, appointment_id=appt.id or 0, outcome="failed_to_attend"
        )
    assert _tasks(world, "fta_follow_up") == [] and _tasks(world, "enforcement") == []


def test_outcome_entry_is_dated_at_the_appointment(world: World) -> None:
    appt = _past_appointment(world, hours_ago=5)
    entry = _outcome(world, appt, "attended_complied")
    assert entry.occurred_at == appt.starts_at


# ---------------------------------------------------------------- completing, overdue


def _task(world: World, **kwargs: object) -> TaskInfo:
    args: dict[str, object] = {"kind": "general", "title": "Chase the papers"} | kwargs
    with world.db.write() as s:
        return tasks.create_task(s, world.clerk, **args)  # type: ignore[arg-type]


def test_completing_a_colleagues_task_needs_on_behalf_unless_their_manager(world: World) -> None:
    task = _task(world, case_id=world.case.id, assignee_id=world.other.id)
    with world.db.write() as s, pytest.raises(OnBehalfError) as err:
        tasks.complete_task(s, world.worker, task_id=task.id or 0)
    assert err.value.holder == "Owen Other"
    with world.db.write() as s:
        done = tasks.complete_task(s, world.worker, task_id=task.id or 0, on_behalf=True)
    assert done.completed_on_behalf and done.completed_by_id == world.worker.id
    [event] = [
        e
        for e in _events(world, task.id)
        if e.action == "task.complete"  # the journal says whose behalf
    ]
    assert "on behalf of Owen Other" in event.summary
    with world.db.write() as s:
        reopened = tasks.reopen_task(s, world.worker, task_id=task.id or 0)
    assert not reopened.completed_on_behalf
    with world.db.write() as s:  # the team's manager needs no confirmation
        by_boss = tasks.complete_task(s, world.manager, task_id=task.id or 0)
    assert not by_boss.completed_on_behalf


def test_manager_of_another_team_needs_on_behalf(world: World) -> None:
    task = _task(world, assignee_id=world.other.id)
    elsewhere = Actor(**{**world.manager.__dict__, "team_id": None})
    with world.db.write() as s, pytest.raises(OnBehalfError):
        tasks.complete_task(s, elsewhere, task_id=task.id or 0)


def _events(world: World, task_id: int | None) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(
            s.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == "task", AuditEvent.entity_id == task_id)
                .order_by(col(AuditEvent.id))
            ).all()
        )


def test_done_tasks_are_never_overdue(world: World) -> None:
    late = _task(world, case_id=world.case.id, due_date=date(2026, 11, 1))
    done = _task(world, case_id=world.case.id, due_date=date(2026, 11, 2))
    with world.db.write() as s:
        tasks.complete_task(s, world.clerk, task_id=done.id or 0)
    with world.db.read() as s:
        rows = {
            r.task_id: r for r in task_lists.case_tasks(s, world.worker, case_id=world.case.id or 0)
        }
    assert rows[late.id or 0].overdue and not rows[done.id or 0].overdue
    with world.db.write() as s:
        from caseterm.core.services import saved_queues

        saved = saved_queues.save_queue(
            s, world.worker, name="Any", flt=saved_queues.QueueFilter(status=None)
        )
    with world.db.read() as s:
        total, overdue = queues.queue_totals(s, world.worker, saved.key)
    assert total >= 2 and overdue == 1


# ---------------------------------------------------------------- undo


def _change(world: World, actor: Actor, task_id: int, action: str, do: object) -> object:
    with world.db.write() as s:
        return task_undo.record_change(
            s,
            actor,
            task_id=task_id,
            action=action,
            summary=action,
            do=lambda: do(s),  # type: ignore[operator]
        )


def test_undo_take_complete_assign_bring_forward_priority(world: World) -> None:
    task = _task(world, case_id=world.case.id, due_date=date(2026, 11, 30))
    tid = task.id or 0
    steps = [
        ("take", lambda s: tasks.take_task(s, world.worker, tid)),
        ("priority", lambda s: tasks.set_task_priority(s, world.worker, task_id=tid, priority=1)),
        (
            "bring_forward",
            lambda s: tasks.bring_forward(s, world.worker, task_id=tid, due_date=date(2026, 12, 7)),
        ),
        ("complete", lambda s: tasks.complete_task(s, world.worker, task_id=tid, outcome="ok")),
    ]
    journal = [_change(world, world.worker, tid, action, do) for action, do in steps]
    with world.db.read() as s:
        finished = s.get(Task, tid)
        assert finished is not None and finished.status == "done"
    for change in reversed(journal):
        with world.db.write() as s:
            task_undo.undo_change(s, world.worker, change=change)  # type: ignore[arg-type]
    with world.db.read() as s:
        back = s.get(Task, tid)
        assert back is not None
        assert (back.status, back.assignee_id, back.priority, back.due_date, back.outcome) == (
            "open",
            None,
            3,
            date(2026, 11, 30),
            "",
        )
        undos = s.exec(select(AuditEvent).where(AuditEvent.action == "task.undo")).all()
    assert len(undos) == 4
    assert json.loads(undos[0].before)["status"] == "done"


def test_undo_refused_when_changed_since_or_unknown_action(world: World) -> None:
    task = _task(world, case_id=world.case.id)
    tid = task.id or 0
    change = _change(
        world, world.worker, tid, "take", lambda s: tasks.take_task(s, world.worker, tid)
    )
    with world.db.write() as s:
        tasks.set_task_priority(s, world.clerk, task_id=tid, priority=1)
    with world.db.write() as s, pytest.raises(StaleEditError):
        task_undo.undo_change(s, world.worker, change=change)  # type: ignore[arg-type]
    with world.db.write() as s, pytest.raises(ValidationError):
        task_undo.record_change(s, world.worker, task_id=tid, action="delete", summary="", do=list)
    with world.db.write() as s, pytest.raises(PermissionDeniedError):
        task_undo.undo_change(s, world.desk, change=change)  # type: ignore[arg-type]
