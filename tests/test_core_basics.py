"""People, cases and the contact log through the services, on a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, StaleEditError, ValidationError
from caseterm.core.models import AuditEvent, CaseFile, ContactEntry, Person
from caseterm.core.services import case_closure, case_edit, case_transfer, cases, contacts, people
from tests.factories import World, close_now


def test_case_reference_is_generated_in_sequence(world: World) -> None:
    with world.db.write() as s:
        second = cases.open_case(s, world.clerk, case_type="OM", subject_id=world.person.id or 0)
    year = clock.today().year
    assert world.case.reference == f"OM/{year}/000001"
    assert second.reference == f"OM/{year}/000002"


def test_every_change_writes_audit_in_same_transaction(world: World) -> None:
    with world.db.write() as s:
        entry = contacts.log_contact(
            s, world.worker, case_id=world.case.id or 0, contact_type="phone_in", notes="rang"
        )
    with world.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "contact_entry")).all()
    assert [e.entity_id for e in events] == [entry.id]
    assert events[0].staff_id == world.worker.id


def test_failed_validation_writes_nothing(world: World) -> None:
    with world.db.read() as s:
        before = len(s.exec(select(Person)).all())
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        people.create_person(
            s,
            world.clerk,
            people.PersonInput(given_name="A", family_name="B", identifiers=[("CRN", "x123456")]),
        )
    assert err.value.field == "identifier"
    with world.db.read() as s:
        assert len(s.exec(select(Person)).all()) == before


@pytest.mark.parametrize(
    ("given", "family", "dob", "field"),
    [
        ("", "Smith", None, "given_name"),
        ("Ann", "x" * 500, None, "family_name"),
        ("Ann", "Smith", date(2999, 1, 1), "date_of_birth"),
        ("Ann", "Smith", date(1850, 1, 1), "date_of_birth"),
        ("\x1b\x07 \x00", "Smith", None, "given_name"),
    ],
)
def test_person_validation_names_field(
    world: World, given: str, family: str, dob: date | None, field: str
) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        people.create_person(
            s,
            world.clerk,
            people.PersonInput(given_name=given, family_name=family, date_of_birth=dob),
        )
    assert err.value.field == field


def test_control_characters_are_stripped_from_notes(world: World) -> None:
    with world.db.write() as s:
        entry = contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="internal",
            notes="a\x1b[2Jb\x07c\nline two",
        )
    assert entry.notes == "a[2Jbc\nline two"


def test_contact_in_future_refused(world: World) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="email",
            occurred_at=clock.now() + timedelta(days=1),
        )
    assert err.value.field == "occurred_at"


def test_correction_supersedes_and_keeps_original(world: World) -> None:
    with world.db.write() as s:
        first = contacts.log_contact(
            s, world.worker, case_id=world.case.id or 0, contact_type="phone_in", notes="wrong"
        )
    with world.db.write() as s:
        fixed = contacts.correct_contact(
            s, world.worker, entry_id=first.id or 0, notes="right", reason="typo"
        )
    with world.db.read() as s:
        rows = contacts.list_contacts(s, world.worker, case_id=world.case.id or 0)
        all_entries = s.exec(select(ContactEntry)).all()
    assert {e.notes for e in all_entries} == {"wrong", "right"}
    by_id = {r.entry.id: r for r in rows}
    assert by_id[first.id].superseded_by == fixed.id
    with world.db.write() as s, pytest.raises(ValidationError):
        contacts.correct_contact(
            s, world.worker, entry_id=first.id or 0, notes="again", reason="typo"
        )


def test_list_contacts_newest_first_with_filter(world: World) -> None:
    base = datetime(2026, 1, 1, 9, 0)
    with world.db.write() as s:
        for i, kind in enumerate(["phone_in", "email", "phone_in"]):
            contacts.log_contact(
                s,
                world.worker,
                case_id=world.case.id or 0,
                contact_type=kind,
                occurred_at=base + timedelta(hours=i),
            )
    with world.db.read() as s:
        rows = contacts.list_contacts(s, world.worker, case_id=world.case.id or 0)
        phones = contacts.list_contacts(
            s,
            world.worker,
            case_id=world.case.id or 0,
            flt=contacts.ContactFilter(contact_type="phone_in"),
        )
    assert [r.entry.occurred_at.hour for r in rows] == [11, 10, 9]
    assert [r.entry.contact_type for r in phones] == ["phone_in", "phone_in"]


def test_stale_edit_names_who_changed_it(world: World) -> None:
    version = world.case.version
    with world.db.write() as s:
        case_edit.edit_case(
            s, world.worker, case_id=world.case.id or 0, priority=1, expected_version=version
        )
    with pytest.raises(StaleEditError) as err, world.db.write() as s:
        case_edit.edit_case(
            s, world.other, case_id=world.case.id or 0, priority=2, expected_version=version
        )
    assert err.value.changed_by == "Wendy Worker"


def test_status_transitions_enforced(world: World) -> None:
    with world.db.write() as s:
        close_now(s, world.worker, world.case.id or 0)
        closed = s.get(CaseFile, world.case.id)
        assert closed is not None
        assert closed.status == "closed" and closed.closed_on == clock.today()
    with pytest.raises(ValidationError), world.db.write() as s:
        case_transfer.transfer_out(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            office_id=world.other_office.id or 0,
            reason="x",
            papers_sent=True,
            appointments_moved=True,
            tasks_handed_over=True,
        )
    with world.db.write() as s:
        case_closure.reopen_case(s, world.worker, case_id=world.case.id or 0, reason="new order")
        reopened = s.get(CaseFile, world.case.id)
        assert reopened is not None
        assert reopened.status == "open" and reopened.closed_on is None


def test_reception_cannot_log_contacts(world: World) -> None:
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        contacts.log_contact(s, world.desk, case_id=world.case.id or 0, contact_type="phone_in")


def test_second_unacceptable_absence_logged_directly_raises_enforcement(world: World) -> None:
    from caseterm.core.models import Task

    with world.db.write() as s:
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="face_to_face",
            outcome="unacceptable_absence",
            occurred_at=clock.now() - timedelta(days=40),
        )
    with world.db.read() as s:
        assert s.exec(select(Task).where(Task.kind == "enforcement")).all() == []
    with world.db.write() as s:
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="phone_in",
            outcome="unacceptable_absence",
        )
    with world.db.read() as s:
        raised = s.exec(select(Task).where(Task.kind == "enforcement")).all()
    assert [(t.case_id, t.assignee_id) for t in raised] == [(world.case.id, world.worker.id)]
