"""The foundation's services and the security ones: access, audit, cases, common, contacts,
identity, org, people, staff, history, presence, privacy, retention."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from caseterm.core.errors import RestrictedError
from caseterm.core.models import CaseFile
from caseterm.core.services import (
    access,
    cases,
    contacts,
    history,
    org,
    people,
    presence,
    privacy,
    retention,
    staff,
)
from tests.audit_scenarios import at_time, audited, ephemeral, part, reads
from tests.factories import World, close_now

JOURNAL = {"access_log"}
PRESENCE = {"edit_presence"}


def _restricted(w: World) -> int:
    """The world's case restricted to Owen Other (committed)."""
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.other.id])
    return w.case.id or 0


def _case(s: Session, case_id: int) -> CaseFile:
    found = s.get(CaseFile, case_id)
    assert found is not None
    return found


# --- access ---------------------------------------------------------------------------------
reads(
    "access",
    "can_see",
    "visible_to",
    "ask_whom",
    "shown_person",
    "hidden_case_ids",
    "hidden_restricted",
    "hidden_people",
    "restricted_label",
)


@ephemeral("access", "log_access", JOURNAL, "the access log is itself a journal")
def _log_access(s: Session, w: World, _: Any) -> None:
    access.log_access(s, w.manager, case_id=w.case.id or 0, action="viewed", where="case")


@ephemeral("access", "ensure_can_see", JOURNAL, "logs a view of a restricted case", _restricted)
def _ensure(s: Session, w: World, case_id: int) -> None:
    access.ensure_can_see(s, w.other, _case(s, case_id), "case")


@ephemeral("access", "require_visible", JOURNAL, "logs a refusal", _restricted)
def _require_visible(s: Session, w: World, case_id: int) -> None:
    try:
        access.require_visible(s, w.manager, case_id, "contacts")
    except RestrictedError:
        return
    raise AssertionError("the manager is not on the allow list")


# --- audit, common, identity ----------------------------------------------------------------
reads("audit", "snapshot", "snapshot_dict", "changed")
part("audit", "record", "writes the audit event of the action that calls it")
reads("audit", "event_row")
part("audit", "record_many", "writes the audit events of the bulk action that calls it")
reads("common", "get", "staff_name", "check_version")
part("common", "touch", "stamps who/when on a record an audited action is changing")
reads(
    "identity",
    "real_login",
    "os_login",
    "roles_of",
    "actor_for",
    "effective_login",
    "resolve_actor",
)

# --- cases ----------------------------------------------------------------------------------
reads("cases", "check_priority", "find_case", "case_by_reference", "case_label")
part("cases", "load_for_change", "loads a case for one of the audited case changes")
part("cases", "finish_change", "journals the change of the audited case action that calls it")


@audited("cases", "open_case", "case.open")
def _open_case(s: Session, w: World, _: Any) -> None:
    cases.open_case(s, w.clerk, case_type="OM", subject_id=w.person.id or 0)


@audited("cases", "restrict_case", "case.restrict")
def _restrict(s: Session, w: World, _: Any) -> None:
    cases.restrict_case(s, w.manager, case_id=w.case.id or 0, deny=[w.other.id])


@ephemeral("cases", "view_case", JOURNAL, "logs a view of a restricted case", _restricted)
def _view(s: Session, w: World, case_id: int) -> None:
    cases.view_case(s, w.other, reference_or_id=case_id)


# --- contacts -------------------------------------------------------------------------------
reads("contacts", "describe", "count_contacts", "list_contacts")


@audited("contacts", "log_contact", "contact.log")
def _log_contact(s: Session, w: World, _: Any) -> None:
    contacts.log_contact(s, w.worker, case_id=w.case.id or 0, contact_type="phone_in", notes="rang")


def _one_entry(w: World) -> int:
    with w.db.write() as s:
        entry = contacts.log_contact(s, w.worker, case_id=w.case.id or 0, contact_type="phone_in")
        return entry.id or 0


@audited("contacts", "correct_contact", "contact.correct", _one_entry)
def _correct(s: Session, w: World, entry_id: int) -> None:
    contacts.correct_contact(s, w.worker, entry_id=entry_id, notes="rang back", reason="typo")


# --- org ------------------------------------------------------------------------------------
reads(
    "org",
    "get_office",
    "office_by_code",
    "team_by_code",
    "list_offices",
    "list_teams",
    "list_rooms",
    "list_case_types",
)
part(
    "org",
    "ensure_catalogue",
    "seeds the built-in case types when a database is created or upgraded; no one acts",
)


@audited("org", "create_office", "office.create")
def _office(s: Session, w: World, _: Any) -> None:
    org.create_office(s, w.admin, code="BLK", name="Blackburn")


@audited("org", "create_team", "team.create")
def _team(s: Session, w: World, _: Any) -> None:
    org.create_team(s, w.admin, code="PRE-UPW", name="Unpaid work", office_id=w.office.id)


@audited("org", "create_room", "room.create")
def _room(s: Session, w: World, _: Any) -> None:
    org.create_room(s, w.admin, office_id=w.office.id or 0, name="Interview 2")


# --- people ---------------------------------------------------------------------------------
reads(
    "people",
    "name_row",
    "warnings_for",
)


@audited("people", "create_person", "person.create")
def _person(s: Session, w: World, _: Any) -> None:
    people.create_person(s, w.clerk, people.PersonInput(given_name="Ann", family_name="Lee"))


@audited("people", "update_person", "person.update")
def _update_person(s: Session, w: World, _: Any) -> None:
    people.update_person(
        s, w.clerk, person_id=w.person.id or 0, expected_version=None, gender="female"
    )


@audited("people", "add_alias", "person.alias")
def _alias(s: Session, w: World, _: Any) -> None:
    people.add_alias(s, w.clerk, person_id=w.person.id or 0, given="Siobhan", family="Brady")


@audited("people", "add_identifier", "person.identifier")
def _identifier(s: Session, w: World, _: Any) -> None:
    people.add_identifier(
        s, w.clerk, person_id=w.person.id or 0, id_type="PNC", value="2001/0012345H"
    )


@audited("people", "add_warning", "person.warning")
def _warning(s: Session, w: World, _: Any) -> None:
    people.add_warning(
        s,
        w.clerk,
        person_id=w.person.id or 0,
        kind="risk_to_staff",
        text="shouts",
        desk_text="see a manager",
    )


# --- staff ----------------------------------------------------------------------------------
reads("staff", "count_staff", "find_staff", "list_staff")


@audited("staff", "add_staff", "staff.add")
def _add_staff(s: Session, w: World, _: Any) -> None:
    staff.add_staff(s, w.admin, login="newbie", name="Nat New", roles=["caseworker"])


@audited("staff", "set_active", "staff.disable")
def _disable(s: Session, w: World, _: Any) -> None:
    staff.set_active(s, w.admin, login="other", active=False)


@audited("staff", "set_roles", "staff.roles")
def _roles(s: Session, w: World, _: Any) -> None:
    staff.set_roles(s, w.admin, login="other", roles=["caseworker", "checker"])


# --- history --------------------------------------------------------------------------------
reads("history", "person_history", "staff_day", "search_audit", "access_log", "task_events")


@ephemeral("history", "case_history", JOURNAL, "logs a view of a restricted case", _restricted)
def _case_history(s: Session, w: World, case_id: int) -> None:
    history.case_history(s, w.other, case_id=case_id)


# --- presence -------------------------------------------------------------------------------
reads("presence", "editors_of")
WHY_PRESENCE = "a transient 'someone is editing' notice, not a record"


@ephemeral("presence", "heartbeat", PRESENCE, WHY_PRESENCE)
def _beat(s: Session, w: World, _: Any) -> None:
    presence.heartbeat(s, w.worker, entity="case", entity_id=w.case.id or 0)


def _editing(w: World) -> None:
    with w.db.write() as s:
        presence.heartbeat(s, w.worker, entity="case", entity_id=w.case.id or 0)


@ephemeral("presence", "stop_editing", PRESENCE, WHY_PRESENCE, _editing)
def _stop(s: Session, w: World, _: Any) -> None:
    assert presence.stop_editing(s, w.worker, entity="case", entity_id=w.case.id or 0)


# --- privacy --------------------------------------------------------------------------------


@audited("privacy", "export_person", "person.export", changes_data=False)
def _export(s: Session, w: World, _: Any) -> None:
    privacy.export_person(s, w.manager, person_id=w.person.id or 0, reason="SAR-1")


def _long_closed(w: World) -> None:
    """A fines case opened in 2012 and closed on 1 March 2013: due for retention (6 years)."""
    with w.db.write() as s:
        person = people.create_person(
            s, w.clerk, people.PersonInput(given_name="Old", family_name="Record")
        )
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=person.id or 0, opened_on=date(2012, 5, 1)
        )
    with at_time(datetime(2013, 3, 1, 9, 0)), w.db.write() as s:
        close_now(s, w.clerk, case.id or 0, note="paid in full")


@audited("retention", "run_retention", "retention.anonymise", _long_closed)
def _retention(s: Session, w: World, _: Any) -> None:
    report = retention.run_retention(s, w.manager)
    assert report.cases and report.people_anonymised


# desk (issue 17): the team a new case goes to, chosen inside cases.open_case (audited there).
part("cases", "usual_team", "chooses the team for open_case, which journals the opening")
