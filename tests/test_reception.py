"""The reception desk: expected arrivals, check-in with notification, walk-ins, close of session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import Appointment, ContactEntry, Notification, Task
from caseterm.core.services import cases, diary, people, queues, reception
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor
from tests.factories import World


def _book(
    world: World,
    at: datetime,
    *,
    case_id: int | None = None,
    person_id: int | None = None,
    staff: Actor | None = None,
) -> AppointmentView:
    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=(staff or world.worker).id,
            starts_at=at,
            ends_at=at + timedelta(minutes=45),
            kind="supervision",
            case_id=case_id if case_id is not None else world.case.id,
            person_id=person_id,
            room_id=world.room.id,
        )
    return appt


def _second_case(world: World, given: str, family: str, **kw: Any) -> int:
    with world.db.write() as s:
        person = people.create_person(
            s, world.clerk, people.PersonInput(given_name=given, family_name=family, **kw)
        )
        case = cases.open_case(
            s, world.clerk, case_type="OM", subject_id=person.id or 0, owner_id=world.other.id
        )
    return case.id or 0


def test_expected_today_with_wait_times_late_and_desk_warnings(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        people.add_warning(
            s,
            world.clerk,
            person_id=world.person.id or 0,
            kind="risk_to_staff",
            text="Assaulted officer 2023",
            desk_text="Do not see alone",
        )
    early = _book(world, frozen_clock.replace(hour=9, minute=0))
    polish = _second_case(world, "Łukasz", "Nowak", language="Polish", interpreter=True)
    later = _book(world, frozen_clock.replace(hour=14, minute=0), case_id=polish)
    with world.db.read() as s:
        rows = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
    assert [r.appointment_id for r in rows] == [early.id, later.id]
    assert rows[0].late and not rows[1].late
    assert rows[0].warnings == ["Do not see alone"]
    assert rows[1].warnings == ["Interpreter: Polish"]
    assert rows[0].staff_name == "Wendy Worker" and rows[0].status == "expected"


def test_restricted_case_shows_only_refer_to_duty_manager(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    _book(world, frozen_clock.replace(hour=11, minute=0))
    with world.db.read() as s:
        (row,) = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
    assert row.warnings == [reception.RESTRICTED_DESK_WARNING]
    assert not hasattr(row, "case_reference")


def test_restricted_case_open_to_the_desk_user_shows_its_warnings(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.desk.id])
    _book(world, frozen_clock.replace(hour=11, minute=0))
    with world.db.read() as s:
        (row,) = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
    assert reception.RESTRICTED_DESK_WARNING not in row.warnings


def test_check_in_logs_contact_and_notifies_staff_and_owner(
    frozen_clock: datetime, world: World
) -> None:
    appt = _book(world, frozen_clock.replace(hour=11, minute=0), staff=world.other)
    with world.db.write() as s:
        result = reception.check_in(s, world.desk, appt.id or 0)
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
        entry = s.get(ContactEntry, result.contact_entry_id)
        notes = s.exec(select(Notification).order_by(col(Notification.id))).all()
    assert stored is not None and stored.status == "arrived" and stored.arrived_at == frozen_clock
    assert (
        entry is not None
        and entry.contact_type == "reception"
        and entry.notes == "Reported at reception"
    )
    assert entry.appointment_id == appt.id and entry.staff_id == world.desk.id
    arrivals = [n for n in notes if n.kind == "arrival"]
    assert sorted(n.recipient_id for n in arrivals) == sorted([world.other.id, world.worker.id])
    assert "has arrived for 11:00" in arrivals[0].text
    with world.db.read() as s:
        (row,) = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
    assert row.status == "arrived" and row.minutes_waited == 0


def test_seen_by_owner_updates_desk_list(frozen_clock: datetime, world: World) -> None:
    appt = _book(world, frozen_clock.replace(hour=10, minute=0))
    with world.db.write() as s:
        reception.check_in(s, world.desk, appt.id or 0)
    with world.db.write() as s:
        diary.record_outcome(
            s, world.worker, appointment_id=appt.id or 0, outcome="attended_complied"
        )
    with world.db.read() as s:
        (row,) = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
    assert row.status == "seen"


def test_walk_in_becomes_duty_task_and_contact(frozen_clock: datetime, world: World) -> None:
    with world.db.write() as s:
        task = reception.walk_in(
            s,
            world.desk,
            world.office.id or 0,
            person_id=world.person.id,
            reason="Lost appointment letter",
        )
    with world.db.read() as s:
        stored = s.get(Task, task.id)
        entries = s.exec(select(ContactEntry).where(ContactEntry.case_id == world.case.id)).all()
    assert stored is not None and stored.kind == "walk_in" and stored.office_id == world.office.id
    assert (
        stored.assignee_id is None
        and stored.status == "open"
        and stored.due_date == frozen_clock.date()
    )
    assert [e.notes for e in entries] == [
        "Walk-in at reception (no appointment): Lost appointment letter"
    ]
    with world.db.read() as s:
        duty = queues.queue_page(s, world.clerk, key="office_duty")
        summary = {q.key: q.count for q in queues.list_queues(s, world.clerk)}
    assert [r.task_id for r in duty] == [task.id]
    assert summary["office_duty"] == 1


def test_walk_in_for_unknown_person_needs_a_name(frozen_clock: datetime, world: World) -> None:
    with world.db.write() as s:
        task = reception.walk_in(
            s, world.desk, world.office.id or 0, name="Mr Patel", reason="Asking about fines"
        )
    assert task.title == "Walk-in: Mr Patel" and task.person_id is None


def test_close_session_marks_failed_to_attend_and_second_raises_enforcement(
    frozen_clock: datetime, world: World
) -> None:
    # An earlier unacceptable failure two months ago on the same case.
    with world.db.write() as s:
        from caseterm.core.services.contacts import log_contact

        log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="face_to_face",
            outcome="unacceptable_absence",
            occurred_at=frozen_clock - timedelta(days=60),
        )
    missed = _book(world, frozen_clock.replace(hour=9, minute=0))
    future = _book(world, frozen_clock.replace(hour=16, minute=0))
    with world.db.read() as s:
        pending = reception.not_arrived(s, world.desk, world.office.id or 0)
    assert [r.appointment_id for r in pending] == [missed.id]
    with world.db.write() as s:
        entries = reception.close_session(s, world.desk, world.office.id or 0, [missed.id or 0])
    with world.db.read() as s:
        stored = s.get(Appointment, missed.id)
        untouched = s.get(Appointment, future.id)
        entry = s.get(ContactEntry, entries[0])
        open_tasks = s.exec(
            select(Task).where(Task.case_id == world.case.id, Task.status == "open")
        ).all()
    assert stored is not None and stored.status == "failed_to_attend"
    assert untouched is not None and untouched.status == "booked"
    assert entry is not None and entry.outcome == "failed_to_attend"
    kinds = sorted(t.kind for t in open_tasks)
    assert kinds == ["enforcement", "fta_follow_up"]
    assert all(t.assignee_id == world.worker.id for t in open_tasks)


def test_close_session_refuses_appointments_that_are_not_pending(
    frozen_clock: datetime, world: World
) -> None:
    future = _book(world, frozen_clock.replace(hour=16, minute=0))
    with pytest.raises(Exception, match="not a today's not-arrived"), world.db.write() as s:
        reception.close_session(s, world.desk, world.office.id or 0, [future.id or 0])


def test_desk_cannot_read_cases(world: World) -> None:
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        cases.view_case(s, world.desk, reference_or_id=world.case.id or 0)


def test_desk_search_puts_todays_people_first(frozen_clock: datetime, world: World) -> None:
    other_case = _second_case(world, "Siobhan", "O'Neil")
    appt = _book(world, frozen_clock.replace(hour=15, minute=0), case_id=other_case)
    with world.db.read() as s:
        matches = reception.desk_search(
            s, world.desk, office_id=world.office.id or 0, text="siobhan oneil"
        )
    assert matches[0].appointment_id == appt.id
    assert world.person.id in [m.person_id for m in matches[1:]]
    assert clock.now() == frozen_clock
