"""The diary: booking with clash detection, recurrence, reschedule, cancel, arrival, outcomes
(contact entry, failed-to-attend follow-up, enforcement on the breach rule) and day views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import (
    ConflictError,
    PermissionDeniedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import (
    Appointment,
    AuditEvent,
    CaseFile,
    ContactEntry,
    Notification,
    Task,
)
from caseterm.core.rules.enforcement import Absence, find_breach
from caseterm.core.services import cases, contacts, diary, diary_conflicts, diary_views
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor
from tests.factories import World

TOMORROW = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield
    clock.freeze(None)


def at(day: date, hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m))


def book(world: World, actor: Actor | None = None, **kwargs: object) -> list[AppointmentView]:
    args: dict[str, object] = {
        "staff_id": world.worker.id,
        "starts_at": at(TOMORROW, "10:00"),
        "ends_at": at(TOMORROW, "11:00"),
        "kind": "supervision",
        "case_id": world.case.id,
        "room_id": world.room.id,
    } | kwargs
    with world.db.write() as s:
        return diary.book_appointment(s, actor or world.clerk, **args)  # type: ignore[arg-type]


def count(world: World, model: type[Appointment] | type[Task] | type[ContactEntry]) -> int:
    with world.db.read() as s:
        return len(s.exec(select(model)).all())


# ---------------------------------------------------------------- booking and clashes


def test_book_defaults_and_audit(world: World) -> None:
    [appt] = book(world)
    assert appt.person_id == world.person.id  # the case subject
    assert appt.office_id == world.office.id  # the room's office
    assert (appt.status, appt.series_id, appt.version) == ("booked", None, 1)
    with world.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "diary.book")).one()
        note = s.exec(
            select(Notification).where(Notification.recipient_id == world.worker.id)
        ).one()
    assert event.entity_id == appt.id and event.case_id == world.case.id
    assert "Claire Clerk booked you a supervision" in note.text


def test_clashes_for_staff_room_and_person(world: World) -> None:
    book(world)
    ref = world.case.reference
    # Same member of staff, another room.
    with pytest.raises(ConflictError) as err:
        book(
            world,
            starts_at=at(TOMORROW, "10:30"),
            ends_at=at(TOMORROW, "11:30"),
            room_id=None,
            case_id=None,
        )
    assert err.value.conflicts == [f"Wendy Worker already has 10:00–11:00 supervision ({ref})"]
    # Same room, another member of staff and nobody in particular.
    with pytest.raises(ConflictError) as err:
        book(
            world,
            staff_id=world.other.id,
            kind="meeting",
            case_id=None,
            starts_at=at(TOMORROW, "10:30"),
            ends_at=at(TOMORROW, "11:30"),
        )
    assert err.value.conflicts == ["PRE · Interview 1 is booked 10:00–11:00"]
    # Same person, another member of staff, no room.
    with pytest.raises(ConflictError) as err:
        book(
            world,
            staff_id=world.other.id,
            room_id=None,
            kind="means_interview",
            starts_at=at(TOMORROW, "09:30"),
            ends_at=at(TOMORROW, "10:15"),
        )
    assert err.value.conflicts == ["Siobhán O'Neill-Brady has 10:00 supervision"]
    assert count(world, Appointment) == 1
    # Back to back is not a clash.
    book(world, starts_at=at(TOMORROW, "11:00"), ends_at=at(TOMORROW, "12:00"))
    assert count(world, Appointment) == 2


def test_find_conflicts_ignores_cancelled_and_excluded(world: World) -> None:
    [appt] = book(world)
    with world.db.read() as s:
        found = diary_conflicts.find_conflicts(
            s,
            staff_id=world.worker.id,
            starts_at=at(TOMORROW, "10:00"),
            ends_at=at(TOMORROW, "10:30"),
            exclude_id=appt.id,
        )
    assert found == []
    with world.db.write() as s:
        diary.cancel_appointment(s, world.clerk, appointment_id=appt.id or 0, reason="unwell")
    book(world)  # the slot is free again
    assert count(world, Appointment) == 2


def test_allow_conflicts_books_over_a_clash_and_says_so(world: World) -> None:
    book(world)
    [second] = book(world, allow_conflicts=True)
    with world.db.read() as s:
        event = s.exec(
            select(AuditEvent).where(
                AuditEvent.entity_id == second.id, AuditEvent.entity == "appointment"
            )
        ).one()
    assert "booked over 3 clash(es)" in event.summary


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ends_at": at(TOMORROW, "09:00")}, "ends_at"),
        ({"ends_at": at(TOMORROW + timedelta(days=2), "09:00")}, "ends_at"),
        ({"kind": "party"}, "kind"),
        (
            {
                "starts_at": at(date(2026, 11, 21), "10:00"),
                "ends_at": at(date(2026, 11, 21), "11:00"),
            },
            "starts_at",
        ),
        ({"recurrence": "weekly", "occurrences": 53}, "occurrences"),
        ({"occurrences": 2}, "recurrence"),
        ({"recurrence": "hourly", "occurrences": 2}, "recurrence"),
        ({"recurrence": "weekly"}, "recurrence"),
        ({"room_id": 9999}, "room"),
        ({"room_id": None, "location": "x" * 201}, "location"),
    ],
)
def test_booking_validation(world: World, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        book(world, **kwargs)
    assert err.value.field == field
    assert count(world, Appointment) == 0


def test_reception_may_not_book(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        book(world, world.desk)


# ---------------------------------------------------------------- recurrence


def test_weekly_fortnightly_monthly_series(world: World) -> None:
    weekly = book(world, recurrence="weekly", occurrences=4)
    assert [a.starts_at.date() for a in weekly] == [
        TOMORROW + timedelta(days=7 * i) for i in range(4)
    ]
    assert {a.series_id for a in weekly} == {weekly[0].id}
    fortnightly = book(
        world,
        recurrence="fortnightly",
        occurrences=3,
        starts_at=at(TOMORROW, "14:00"),
        ends_at=at(TOMORROW, "15:00"),
    )
    assert [a.starts_at.date() for a in fortnightly] == [
        date(2026, 11, 24),
        date(2026, 12, 8),
        date(2026, 12, 22),
    ]
    monthly = book(
        world,
        recurrence="monthly",
        occurrences=3,
        starts_at=datetime(2027, 1, 31, 9, 0),
        ends_at=datetime(2027, 1, 31, 9, 45),
    )
    assert [a.starts_at for a in monthly] == [
        datetime(2027, 1, 31, 9, 0),
        datetime(2027, 2, 28, 9, 0),
        datetime(2027, 3, 31, 9, 0),
    ]
    assert all(a.ends_at - a.starts_at == timedelta(minutes=45) for a in monthly)
    assert len({weekly[0].series_id, fortnightly[0].series_id, monthly[0].series_id}) == 3


def test_clash_in_one_occurrence_refuses_the_whole_series(world: World) -> None:
    # Owen's meeting on 8/12 shares no staff, room or person with the series: no clash.
    book(
        world,
        staff_id=world.other.id,
        room_id=None,
        case_id=None,
        kind="meeting",
        starts_at=at(date(2026, 12, 8), "10:30"),
        ends_at=at(date(2026, 12, 8), "11:00"),
    )
    # Owen's meeting on 15/12 is in the room the weekly series wants.
    book(
        world,
        staff_id=world.other.id,
        case_id=None,
        kind="meeting",
        starts_at=at(date(2026, 12, 15), "10:00"),
        ends_at=at(date(2026, 12, 15), "10:30"),
    )
    with pytest.raises(ConflictError) as err:
        book(world, recurrence="weekly", occurrences=6)
    assert err.value.conflicts == ["15/12/2026: PRE · Interview 1 is booked 10:00–10:30"]
    assert count(world, Appointment) == 2


# ---------------------------------------------------------------- reschedule and cancel


def test_reschedule_moves_to_a_new_booked_appointment(world: World) -> None:
    [old] = book(world)
    with world.db.write() as s:
        new = diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=old.id or 0,
            starts_at=at(TOMORROW, "10:30"),  # overlaps only itself
            ends_at=at(TOMORROW, "11:30"),
            expected_version=old.version,
        )
    with world.db.read() as s:
        stored = s.get(Appointment, old.id)
        assert stored is not None
    assert (stored.status, stored.rescheduled_to_id) == ("rescheduled", new.id)
    assert (new.status, new.room_id, new.staff_id, new.case_id, new.person_id) == (
        "booked",
        world.room.id,
        world.worker.id,
        world.case.id,
        world.person.id,
    )
    # The old one was changed: a second reschedule from the stale copy is refused.
    with pytest.raises(StaleEditError), world.db.write() as s:
        diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=old.id or 0,
            starts_at=at(TOMORROW, "15:00"),
            ends_at=at(TOMORROW, "16:00"),
            expected_version=old.version,
        )
    with pytest.raises(ValidationError), world.db.write() as s:
        diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=old.id or 0,
            starts_at=at(TOMORROW, "15:00"),
            ends_at=at(TOMORROW, "16:00"),
        )
    # Moving to another member of staff and no room.
    with world.db.write() as s:
        third = diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=new.id or 0,
            starts_at=at(TOMORROW, "15:00"),
            ends_at=at(TOMORROW, "16:00"),
            staff_id=world.other.id,
            room_id=None,
        )
    assert (third.staff_id, third.room_id, third.office_id) == (
        world.other.id,
        None,
        world.office.id,
    )
    with world.db.read() as s:
        actions = [
            e.action
            for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "appointment")).all()
        ]
    assert actions.count("diary.reschedule") == 2


def test_reschedule_refuses_a_clash(world: World) -> None:
    [first] = book(world)
    book(world, starts_at=at(TOMORROW, "14:00"), ends_at=at(TOMORROW, "15:00"))
    with pytest.raises(ConflictError) as err, world.db.write() as s:
        diary.reschedule_appointment(
            s,
            world.clerk,
            appointment_id=first.id or 0,
            starts_at=at(TOMORROW, "14:30"),
            ends_at=at(TOMORROW, "15:30"),
        )
    assert len(err.value.conflicts) == 3  # staff, room and person
    with world.db.read() as s:
        stored = s.get(Appointment, first.id)
    assert stored is not None and stored.status == "booked"


def test_cancel_keeps_the_reason(world: World) -> None:
    [appt] = book(world, notes="Bring payslips")
    with world.db.write() as s:
        diary.cancel_appointment(
            s, world.clerk, appointment_id=appt.id or 0, reason="  rang in sick \x1b[2J "
        )
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "diary.cancel")).one()
    assert stored is not None and stored.status == "cancelled"
    assert stored.notes.startswith(
        "Bring payslips\nCancelled 23/11/2026 10:30 by Claire Clerk: rang in sick"
    )
    assert "\x1b" not in stored.notes
    assert json.loads(event.after)["status"] == "cancelled"
    with pytest.raises(ValidationError), world.db.write() as s:
        diary.cancel_appointment(s, world.clerk, appointment_id=appt.id or 0, reason="again")
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        [other] = book(world)
        diary.cancel_appointment(s, world.clerk, appointment_id=other.id or 0, reason="")
    assert err.value.field == "reason"


# ---------------------------------------------------------------- arrival


def test_mark_arrived_today_only_by_the_desk(world: World) -> None:
    today = clock.today()
    [appt] = book(world, starts_at=at(today, "11:00"), ends_at=at(today, "12:00"))
    [later] = book(world)
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        diary.mark_arrived(s, world.worker, appointment_id=appt.id or 0)
    with pytest.raises(ValidationError), world.db.write() as s:
        diary.mark_arrived(s, world.desk, appointment_id=later.id or 0)
    with world.db.write() as s:
        arrived = diary.mark_arrived(s, world.desk, appointment_id=appt.id or 0)
    assert (arrived.status, arrived.arrived_at) == ("arrived", clock.now())
    with world.db.read() as s:
        texts = [
            n.text for n in s.exec(select(Notification).where(Notification.kind == "arrival")).all()
        ]
    assert texts == [f"Your 11:00 supervision has arrived ({world.case.reference})"]


# ---------------------------------------------------------------- outcomes and enforcement


def _outcome(
    world: World, appt: AppointmentView, outcome: str, notes: str = ""
) -> contacts.ContactInfo:
    with world.db.write() as s:
        return diary.record_outcome(
            s, world.worker, appointment_id=appt.id or 0, outcome=outcome, notes=notes
        )


def _tasks(world: World, kind: str) -> list[Task]:
    with world.db.read() as s:
        return list(s.exec(select(Task).where(Task.kind == kind)).all())


def _book_at(world: World, when: datetime, kind: str = "supervision") -> AppointmentView:
    clock.freeze(when - timedelta(hours=2))
    [appt] = book(world, starts_at=when, ends_at=when + timedelta(hours=1), kind=kind, room_id=None)
    clock.freeze(when + timedelta(hours=2))
    return appt


def test_attended_outcome_logs_contact_entry(world: World) -> None:
    appt = _book_at(world, at(TOMORROW, "10:00"))
    entry = _outcome(world, appt, "attended_complied", "Discussed employment")
    assert (entry.contact_type, entry.outcome, entry.appointment_id, entry.occurred_at) == (
        "face_to_face",
        "attended_complied",
        appt.id,
        appt.starts_at,
    )
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
    assert stored is not None and (stored.status, stored.outcome_contact_id) == ("seen", entry.id)
    assert _tasks(world, "fta_follow_up") == [] and _tasks(world, "enforcement") == []
    with pytest.raises(ValidationError), world.db.write() as s:
        diary.record_outcome(
            s, world.worker, appointment_id=appt.id or 0, outcome="failed_to_attend"
        )


def test_court_hearing_outcome_is_a_court_contact(world: World) -> None:
    appt = _book_at(world, at(TOMORROW, "10:00"), kind="court_hearing")
    assert _outcome(world, appt, "completed").contact_type == "court"


def test_outcome_validation(world: World) -> None:
    appt = _book_at(world, at(TOMORROW, "10:00"))
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        diary.record_outcome(s, world.worker, appointment_id=appt.id or 0, outcome="message_left")
    assert err.value.field == "outcome"
    assert count(world, ContactEntry) == 0


def test_second_unacceptable_absence_in_12_months_raises_enforcement_once(world: World) -> None:
    first = _book_at(world, datetime(2026, 3, 10, 10, 0))
    entry = _outcome(world, first, "failed_to_attend")
    with world.db.read() as s:
        stored = s.get(Appointment, first.id)
    assert stored is not None and stored.status == "failed_to_attend"
    [follow_up] = _tasks(world, "fta_follow_up")
    assert (follow_up.assignee_id, follow_up.case_id, follow_up.due_date) == (
        world.worker.id,
        world.case.id,
        date(2026, 3, 12),  # two working days
    )
    assert _tasks(world, "enforcement") == []
    second = _book_at(world, datetime(2026, 11, 24, 10, 0))
    _outcome(world, second, "unacceptable_absence")
    [enforcement] = _tasks(world, "enforcement")
    assert enforcement.assignee_id == world.worker.id and enforcement.priority == 1
    assert enforcement.source == f"contact_entry:{entry.id + 1 if entry.id else 0}"
    assert len(_tasks(world, "fta_follow_up")) == 1  # unacceptable absence: already judged
    # A third within the window does not raise a second enforcement for the same breach…
    third = _book_at(world, datetime(2026, 11, 25, 10, 0))
    _outcome(world, third, "failed_to_attend")
    assert len(_tasks(world, "enforcement")) == 1
    # …but a fourth makes a new breach with the third.
    fourth = _book_at(world, datetime(2026, 11, 26, 10, 0))
    _outcome(world, fourth, "unacceptable_absence")
    assert len(_tasks(world, "enforcement")) == 2
    with world.db.read() as s:
        notes = s.exec(select(Notification).where(Notification.kind == "enforcement")).all()
    assert len(notes) == 2


def test_absences_more_than_12_months_apart_do_not_breach(world: World) -> None:
    first = _book_at(world, datetime(2025, 10, 20, 10, 0))
    _outcome(world, first, "unacceptable_absence")
    second = _book_at(world, datetime(2026, 11, 24, 10, 0))
    _outcome(world, second, "unacceptable_absence")
    assert _tasks(world, "enforcement") == []


def test_corrected_absence_no_longer_counts(world: World) -> None:
    first = _book_at(world, datetime(2026, 11, 2, 10, 0))
    entry = _outcome(world, first, "failed_to_attend")
    with world.db.write() as s:
        contacts.correct_contact(
            s, world.worker, entry_id=entry.id or 0, outcome="acceptable_absence", reason="ill"
        )
    second = _book_at(world, datetime(2026, 11, 24, 10, 0))
    _outcome(world, second, "failed_to_attend")
    assert _tasks(world, "enforcement") == []


def test_case_types_without_a_limit_never_breach(world: World) -> None:
    with world.db.write() as s:
        victims = cases.open_case(
            s,
            world.clerk,
            case_type="VIC",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
    for day in (23, 24):
        appt = _book_at(world, datetime(2026, 12, day, 10, 0))
        with world.db.write() as s:
            moved = s.get(Appointment, appt.id)
            assert moved is not None
            moved.case_id = victims.id
        _outcome(world, appt, "unacceptable_absence")
    assert _tasks(world, "enforcement") == []


def test_breach_rule_window_edges() -> None:
    def a(i: int, when: datetime) -> Absence:
        return Absence(i, when)

    base = datetime(2026, 11, 24, 10, 0)
    exactly_a_year = [a(1, datetime(2025, 11, 24, 10, 0)), a(2, base)]
    assert find_breach(exactly_a_year, limit=2, window_months=12) is None
    just_inside = [a(1, datetime(2025, 11, 24, 10, 1)), a(2, base)]
    breach = find_breach(just_inside, limit=2, window_months=12)
    assert breach is not None and breach.last_entry_id == 2
    assert find_breach(just_inside, limit=2, window_months=12, after_entry_id=1) is None
    assert find_breach(just_inside, limit=0, window_months=12) is None
    # Entered out of order (a backdated entry): the window follows when they happened.
    backdated = [a(5, base), a(6, datetime(2024, 1, 1)), a(7, base - timedelta(days=30))]
    found = find_breach(backdated, limit=2, window_months=12)
    assert found is not None and [x.entry_id for x in found.absences] == [7, 5]


def test_desk_records_not_arrived_on_a_restricted_case(world: World) -> None:
    appt = _book_at(world, at(TOMORROW, "10:00"))
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    with world.db.write() as s:
        entry = diary.record_outcome(
            s,
            world.desk,
            appointment_id=appt.id or 0,
            outcome="failed_to_attend",
            capability="reception.desk",
        )
    assert entry.staff_id == world.desk.id
    assert len(_tasks(world, "fta_follow_up")) == 1


# ---------------------------------------------------------------- views


def test_diary_day_filters_and_restricted_rows(world: World) -> None:
    [mine] = book(world, notes="Discuss the offence")
    book(
        world,
        staff_id=world.other.id,
        case_id=None,
        room_id=None,
        kind="meeting",
        starts_at=at(TOMORROW, "09:00"),
        ends_at=at(TOMORROW, "09:30"),
    )
    book(
        world,
        starts_at=at(TOMORROW + timedelta(days=1), "10:00"),
        ends_at=at(TOMORROW + timedelta(days=1), "11:00"),
    )
    with world.db.read() as s:
        day = diary_views._diary_day(s, world.other, day=TOMORROW)
        assert [r.appointment.kind for r in day] == ["meeting", "supervision"]
        assert [r.person_name for r in day] == ["", "Siobhán O'Neill-Brady"]
        assert day[1].room_name == "PRE · Interview 1" and day[1].staff_name == "Wendy Worker"
        assert (
            len(diary_views._diary_day(s, world.other, day=TOMORROW, staff_id=world.worker.id)) == 1
        )
        assert len(diary_views._diary_day(s, world.other, day=TOMORROW, room_id=world.room.id)) == 1
        assert len(diary_views._diary_day(s, world.other, day=TOMORROW, team_id=world.team.id)) == 2
        assert (
            len(
                diary_views._diary_day(
                    s, world.other, day=TOMORROW, office_id=world.other_office.id
                )
            )
            == 0
        )
        week = diary_views.diary_range(
            s,
            world.desk,
            start=at(TOMORROW, "00:00"),
            end=at(TOMORROW + timedelta(days=7), "00:00"),
        )
        assert len(week) == 3
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    with world.db.read() as s:
        [_, hidden] = diary_views._diary_day(s, world.other, day=TOMORROW)
        [_, shown] = diary_views._diary_day(s, world.worker, day=TOMORROW)
        desk = diary_views._diary_day(s, world.desk, day=TOMORROW)
    assert (hidden.restricted, hidden.person_name, hidden.case_reference) == (
        True,
        "Restricted",
        "",
    )
    assert hidden.appointment.notes == "" and hidden.appointment.id == mine.id
    assert (shown.restricted, shown.person_name, shown.appointment.notes) == (
        False,
        "Siobhán O'Neill-Brady",
        "Discuss the offence",
    )
    assert desk[1].person_name == "Restricted"
    with world.db.read() as s:
        stored = s.get(Appointment, mine.id)
        assert stored is not None and stored.notes == "Discuss the offence"
        assert s.get(CaseFile, world.case.id) is not None


def test_case_appointments_and_upcoming(world: World) -> None:
    past = _book_at(world, at(TOMORROW, "09:00"))
    clock.freeze(datetime(2026, 11, 23, 10, 30))
    [soon] = book(world, starts_at=at(TOMORROW, "14:00"), ends_at=at(TOMORROW, "15:00"))
    [later] = book(
        world,
        starts_at=at(TOMORROW + timedelta(days=7), "14:00"),
        ends_at=at(TOMORROW + timedelta(days=7), "15:00"),
    )
    with world.db.write() as s:
        diary.cancel_appointment(s, world.clerk, appointment_id=later.id or 0, reason="not needed")
    clock.freeze(at(TOMORROW, "12:00"))
    with world.db.read() as s:
        every = diary_views.case_appointments(s, world.worker, case_id=world.case.id or 0)
        upcoming = diary_views.upcoming_for_case(s, world.worker, case_id=world.case.id or 0)
    assert [r.appointment.id for r in every] == [later.id, soon.id, past.id]
    assert [r.appointment.id for r in upcoming] == [soon.id]


def test_the_diary_subject_is_named_by_the_service(world: World) -> None:
    with world.db.read() as s:
        assert diary_views.subject_name(s, world.clerk, kind="staff", key=world.worker.id) == (
            "Wendy Worker"
        )
        assert diary_views.subject_name(s, world.clerk, kind="room", key=world.room.id or 0) == (
            "PRE · Interview 1"
        )
        assert diary_views.subject_name(s, world.clerk, kind="team", key=world.team.id or 0)
        with pytest.raises(ValidationError):
            diary_views.subject_name(s, world.clerk, kind="office", key=1)
