"""The case lifecycle (issue 12) through the services: edit with optimistic locking, parties and
links, transfer out → accept or return with reminders, closure checklists (death included),
reopen, read-only closed cases, and where the paper file is. Every refusal leaves nothing
half-written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    CaseParty,
    ContactEntry,
    Notification,
    Person,
    Task,
)
from caseterm.core.models.case_lifecycle import CaseClosure, CaseTransfer
from caseterm.core.services import (
    case_closure,
    case_edit,
    case_transfer,
    cases,
    contacts,
    file_location,
    people,
    tasks,
)
from tests.factories import World, book

pytestmark = pytest.mark.usefixtures("frozen_clock")

CHECKLIST = {"papers_sent": True, "appointments_moved": True, "tasks_handed_over": True}


def _case(w: World) -> CaseFile:
    with w.db.read() as s:
        case = s.get(CaseFile, w.case.id)
        assert case is not None
        return case


def _out(w: World, **overrides: object) -> case_transfer.TransferInfo:
    args: dict[str, object] = {
        "case_id": w.case.id or 0,
        "office_id": w.other_office.id or 0,
        "reason": "moved to Lancaster",
        **CHECKLIST,
    }
    args.update(overrides)
    with w.db.write() as s:
        return case_transfer.transfer_out(s, w.clerk, **args)  # type: ignore[arg-type]


# --- edit --------------------------------------------------------------------------------------


def test_edit_changes_fields_and_bumps_the_version(world: World) -> None:
    w = world
    before = _case(w).version
    with w.db.write() as s:
        edited = case_edit.edit_case(
            s,
            w.clerk,
            case_id=w.case.id or 0,
            expected_version=before,
            summary="Supervision, weekly",
            priority=1,
            owner_id=w.other.id,
            admin_owner_id=w.clerk.id,
            team_id=w.team.id,
            office_id=w.other_office.id,
        )
    case = _case(w)
    assert (case.summary, case.priority, case.owner_id) == ("Supervision, weekly", 1, w.other.id)
    assert case.office_id == w.other_office.id and case.version == before + 1
    assert {"summary", "priority", "owner", "office"} <= set(edited.changed)


def test_edit_of_a_record_someone_else_changed_is_refused(world: World) -> None:
    w = world
    seen = _case(w).version
    with w.db.write() as s:
        case_edit.edit_case(s, w.worker, case_id=w.case.id or 0, expected_version=seen, priority=2)
    with pytest.raises(StaleEditError, match="Wendy Worker"), w.db.write() as s:
        case_edit.edit_case(s, w.other, case_id=w.case.id or 0, expected_version=seen, priority=4)
    assert _case(w).priority == 2


def test_edit_refuses_bad_values_naming_the_field(world: World) -> None:
    w = world
    for kwargs, field in (
        ({"priority": 9}, "priority"),
        ({"owner_id": 999}, "owner"),
        ({"team_id": 999}, "team"),
        ({"office_id": 999}, "office"),
    ):
        with pytest.raises(ValidationError) as err, w.db.write() as s:
            case_edit.edit_case(
                s,
                w.clerk,
                case_id=w.case.id or 0,
                expected_version=None,
                summary="half",
                **kwargs,  # type: ignore[arg-type]
            )
        assert err.value.field == field
    assert _case(w).summary == ""


def test_parties_with_roles_and_links(world: World) -> None:
    w = world
    with w.db.write() as s:
        sol = people.create_person(s, w.clerk, people.PersonInput("Sam", "Solicitor")).id or 0
        other = cases.open_case(s, w.clerk, case_type="UPW", subject_id=w.person.id or 0)
        party = case_edit.add_party(
            s, w.clerk, case_id=w.case.id or 0, person_id=sol, role="solicitor"
        )
        case_edit.link_cases(
            s, w.clerk, case_id=w.case.id or 0, other_id=other.id or 0, kind="previous"
        )
    with pytest.raises(ValidationError, match="unknown role"), w.db.write() as s:
        case_edit.add_party(s, w.clerk, case_id=w.case.id or 0, person_id=sol, role="uncle")
    with pytest.raises(ValidationError, match="linked"), w.db.write() as s:
        case_edit.link_cases(s, w.clerk, case_id=other.id or 0, other_id=w.case.id or 0)
    with w.db.read() as s:
        view = cases.view_case(s, w.clerk, reference_or_id=w.case.id or 0)
        assert [(p.role, person.full_name) for p, person in view.parties] == [
            ("solicitor", "Sam Solicitor")
        ]
        assert [c.id for c in view.links] == [other.id]
    with w.db.write() as s:
        case_edit.remove_party(s, w.clerk, case_id=w.case.id or 0, party_id=party.party_id)
        case_edit.unlink_cases(s, w.clerk, case_id=other.id or 0, other_id=w.case.id or 0)
    with w.db.read() as s:
        view = cases.view_case(s, w.clerk, reference_or_id=w.case.id or 0)
        assert view.parties == () and view.links == ()


# --- transfer ----------------------------------------------------------------------------------


def test_transfer_out_then_accept(world: World) -> None:
    w = world
    info = _out(w, team_id=None)
    assert info.status == "pending" and info.acknowledge_by == date(2026, 11, 30)
    with w.db.read() as s:
        task = s.get(Task, info.task_id)
        assert task is not None
        assert (task.kind, task.office_id, task.status) == (
            "transfer_in",
            w.other_office.id,
            "open",
        )
    assert _case(w).status == "transfer_pending"
    with w.db.write() as s:
        case_transfer.accept_transfer(s, w.manager, case_id=w.case.id or 0, owner_id=w.other.id)
    case = _case(w)
    assert (case.status, case.office_id, case.owner_id) == ("open", w.other_office.id, w.other.id)
    with w.db.read() as s:
        task = s.get(Task, info.task_id)
        assert task is not None and task.status == "done"
        told = s.exec(select(Notification).where(Notification.recipient_id == w.clerk.id)).all()
        assert any("accepted the transfer" in n.text for n in told)


def test_transfer_returned_with_a_reason_stays_where_it_was(world: World) -> None:
    w = world
    _out(w)
    with w.db.write() as s:
        case_transfer.return_transfer(s, w.manager, case_id=w.case.id or 0, reason="not ours")
    case = _case(w)
    assert (case.status, case.office_id) == ("open", w.office.id)
    with w.db.read() as s:
        t = s.exec(select(CaseTransfer)).one()
        assert (t.status, t.return_reason) == ("returned", "not ours")


def test_transfer_refusals_write_nothing(world: World) -> None:
    w = world
    with pytest.raises(ValidationError, match="at Preston already") as err:
        _out(w, office_id=w.office.id)
    assert err.value.field == "office"
    with pytest.raises(ValidationError, match="papers sent") as err:
        _out(w, papers_sent=False)
    assert err.value.field == "papers_sent"
    with pytest.raises(ValidationError):
        _out(w, reason="  ")
    with w.db.read() as s:
        assert s.exec(select(CaseTransfer)).all() == []
        assert s.exec(select(Task).where(Task.kind == "transfer_in")).all() == []
    assert _case(w).status == "open"
    with pytest.raises(ValidationError, match="no transfer waiting"), w.db.write() as s:
        case_transfer.accept_transfer(s, w.manager, case_id=w.case.id or 0)


def test_reminder_raised_once_when_not_acknowledged(world: World) -> None:
    w = world
    _out(w)
    with w.db.write() as s:
        assert case_transfer.raise_transfer_reminders(s, w.clerk, today=date(2026, 11, 30)) == []
        first = case_transfer.raise_transfer_reminders(s, w.clerk, today=date(2026, 12, 1))
        again = case_transfer.raise_transfer_reminders(s, w.clerk, today=date(2026, 12, 2))
    assert len(first) == 1 and again == []
    with w.db.read() as s:
        task = s.get(Task, first[0].task_id)
        assert task is not None
        assert (task.kind, task.assignee_id, task.office_id) == (
            "transfer_chase",
            w.clerk.id,
            w.office.id,
        )


# --- closure -----------------------------------------------------------------------------------


def test_closing_with_an_unticked_mandatory_step_is_refused(world: World) -> None:
    w = world
    cid = w.case.id or 0
    with w.db.write() as s:
        info = case_closure.start_closure(s, w.clerk, case_id=cid, reason="completed")
    assert [st.code for st in info.outstanding] == [
        "final_contact",
        "appointments_cancelled",
        "tasks_closed",
    ]
    with w.db.write() as s:
        case_closure.tick_step(s, w.clerk, case_id=cid, step="final_contact")
        case_closure.waive_step(
            s, w.clerk, case_id=cid, step="appointments_cancelled", reason="none"
        )
    refused = pytest.raises(ValidationError, match="Close or reassign open tasks")
    with refused as err, w.db.write() as s:
        case_closure.close_case(s, w.clerk, case_id=cid)
    assert err.value.field == "checklist" and _case(w).status == "open"
    with w.db.write() as s:
        case_closure.tick_step(s, w.clerk, case_id=cid, step="tasks_closed")
        closed = case_closure.close_case(s, w.clerk, case_id=cid)
    assert closed.case_status == "closed" and _case(w).closed_on == clock.today()
    by = {st.code: (st.state, st.done_by) for st in closed.steps}
    assert by["final_contact"] == ("done", "Claire Clerk")
    assert by["appointments_cancelled"] == ("waived", "Claire Clerk")


def test_unknown_reason_and_closing_without_a_checklist_are_refused(world: World) -> None:
    w = world
    with pytest.raises(ValidationError, match="unknown closure reason"), w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="bored")
    with pytest.raises(ValidationError, match="start closing it"), w.db.write() as s:
        case_closure.close_case(s, w.clerk, case_id=w.case.id or 0)


def test_death_needs_the_date_of_death_recorded(world: World) -> None:
    w = world
    refused = pytest.raises(ValidationError, match="date of death is not recorded")
    with refused as err, w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="death")
    assert err.value.field == "date_of_death"
    with w.db.read() as s:
        assert s.exec(select(CaseClosure)).all() == []


def test_death_checklist_notifies_police_cancels_appointments_closes_tasks(world: World) -> None:
    w = world
    cid = w.case.id or 0
    appt = book(w, clock.now() + timedelta(days=2), staff=w.worker)
    with w.db.write() as s:
        second = cases.open_case(s, w.clerk, case_type="UPW", subject_id=w.person.id or 0)
        tasks.create_task(s, w.clerk, kind="general", title="Ring him", case_id=cid)
        # Recording a death is the person record's (issue 12, person helper); set it here.
        person = s.get(Person, w.person.id)
        assert person is not None
        person.date_of_death = date(2026, 11, 20)
    with w.db.write() as s:
        info = case_closure.start_closure(s, w.clerk, case_id=cid, reason="death")
        assert info.also_started == (second.reference,)
        for step in info.outstanding:
            case_closure.tick_step(s, w.clerk, case_id=cid, step=step.code)
        case_closure.close_case(s, w.clerk, case_id=cid)
    with w.db.read() as s:
        police = s.exec(select(ContactEntry).where(ContactEntry.case_id == cid)).all()
        assert any("Police notified" in e.notes for e in police)
        a = s.get(Appointment, appt.id)
        assert a is not None and a.status == "cancelled"
        told = s.exec(select(Notification).where(Notification.recipient_id == w.worker.id)).all()
        assert any("cancelled" in n.text for n in told)
        left = s.exec(
            select(Task).where(Task.case_id == cid, col(Task.status).in_(("open", "untriaged")))
        ).all()
        assert left == []
        assert (
            s.exec(select(CaseClosure).where(CaseClosure.case_id == second.id)).one().status
            == "in_progress"
        )


# --- read-only and reopen ----------------------------------------------------------------------


def _close(w: World) -> None:
    with w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="no_further_action")
        for step in ("appointments_cancelled", "tasks_closed"):
            case_closure.tick_step(s, w.clerk, case_id=w.case.id or 0, step=step)
        case_closure.close_case(s, w.clerk, case_id=w.case.id or 0)


def test_a_closed_case_is_read_only_until_reopened(world: World) -> None:
    w = world
    cid = w.case.id or 0
    _close(w)
    with pytest.raises(ValidationError, match="read-only"), w.db.write() as s:
        case_edit.edit_case(s, w.clerk, case_id=cid, expected_version=None, priority=1)
    with pytest.raises(ValidationError, match="read-only"), w.db.write() as s:
        case_edit.add_party(s, w.clerk, case_id=cid, person_id=w.person.id or 0, role="other")
    with pytest.raises(ValidationError, match="read-only"):
        _out(w)
    with pytest.raises(ValidationError, match="--to-closed-case"), w.db.write() as s:
        contacts.log_contact(s, w.worker, case_id=cid, contact_type="phone_in")
    with w.db.write() as s:
        contacts.log_contact(s, w.worker, case_id=cid, contact_type="phone_in", to_closed_case=True)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        case_closure.reopen_case(s, w.clerk, case_id=cid, reason=" ")
    assert err.value.field == "reason"
    with w.db.write() as s:
        case_closure.reopen_case(s, w.clerk, case_id=cid, reason="new order")
    case = _case(w)
    assert (case.status, case.status_reason, case.closed_on) == ("open", "new order", None)
    with w.db.write() as s:
        case_edit.edit_case(s, w.clerk, case_id=cid, expected_version=None, priority=1)


# --- paper file --------------------------------------------------------------------------------


def test_file_location_history(world: World) -> None:
    w = world
    cid = w.case.id or 0
    with w.db.write() as s:
        file_location.set_file_location(
            s, w.clerk, case_id=cid, kind="cabinet", office_id=w.office.id, place="Cabinet 3"
        )
    clock.freeze(datetime(2026, 11, 24, 9, 0))
    _close(w)
    with w.db.write() as s:
        file_location.set_file_location(
            s, w.clerk, case_id=cid, kind="offsite", box="B-17", retrieval_date=date(2027, 1, 4)
        )
    with w.db.read() as s:
        rows = file_location.file_locations(s, w.clerk, case_id=cid)
    assert [r.kind for r in rows] == ["offsite", "cabinet"]
    assert rows[0].describe() == "Off-site archive, box B-17, retrievable by 04/01/2027"
    for kwargs, field in (
        ({"kind": "offsite", "box": "B-1"}, "retrieval_date"),
        ({"kind": "cabinet", "office_id": w.office.id}, "place"),
        ({"kind": "box"}, "box"),
        ({"kind": "attic"}, "kind"),
    ):
        with pytest.raises(ValidationError) as err, w.db.write() as s:
            file_location.set_file_location(s, w.clerk, case_id=cid, **kwargs)
        assert err.value.field == field


def test_party_rows_untouched_by_a_refused_add(world: World) -> None:
    w = world
    with pytest.raises(ValidationError, match="subject"), w.db.write() as s:
        case_edit.add_party(
            s, w.clerk, case_id=w.case.id or 0, person_id=w.person.id or 0, role="other"
        )
    with w.db.read() as s:
        assert s.exec(select(CaseParty)).all() == []
