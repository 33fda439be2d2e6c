"""The case lifecycle (issue 12): case_edit, case_transfer, case_closure, file_location."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from caseterm.core.services import (
    case_closure,
    case_edit,
    case_rules,
    case_transfer,
    cases,
    file_location,
    people,
)
from tests.audit_scenarios import audited, reads
from tests.factories import World

reads("case_edit", "ensure_editable", "case_for_edit")
reads("case_transfer", "pending_transfer", "transfers_of_case", "reminders_due")
reads("case_closure", "reasons_for_case", "closure_checklist")
reads("file_location", "file_locations")


@audited("case_edit", "edit_case", "case.edit")
def _edit(s: Session, w: World, _: Any) -> None:
    case_edit.edit_case(
        s, w.clerk, case_id=w.case.id or 0, expected_version=None, priority=1, summary="x"
    )


def _second_person(w: World) -> int:
    with w.db.write() as s:
        data = people.PersonInput(given_name="Sol", family_name="Icitor")
        return people.create_person(s, w.clerk, data).id or 0


@audited("case_edit", "add_party", "case.party", _second_person)
def _party(s: Session, w: World, person_id: int) -> None:
    case_edit.add_party(s, w.clerk, case_id=w.case.id or 0, person_id=person_id, role="solicitor")


def _with_party(w: World) -> int:
    person_id = _second_person(w)
    with w.db.write() as s:
        return case_edit.add_party(
            s, w.clerk, case_id=w.case.id or 0, person_id=person_id, role="employer"
        ).party_id


@audited("case_edit", "remove_party", "case.party_remove", _with_party)
def _unparty(s: Session, w: World, party_id: int) -> None:
    case_edit.remove_party(s, w.clerk, case_id=w.case.id or 0, party_id=party_id)


def _second_case(w: World) -> int:
    with w.db.write() as s:
        return cases.open_case(s, w.clerk, case_type="UPW", subject_id=w.person.id or 0).id or 0


@audited("case_edit", "link_cases", "case.link", _second_case)
def _link(s: Session, w: World, other_id: int) -> None:
    case_edit.link_cases(s, w.clerk, case_id=w.case.id or 0, other_id=other_id, kind="previous")


def _linked(w: World) -> int:
    other = _second_case(w)
    with w.db.write() as s:
        case_edit.link_cases(s, w.clerk, case_id=w.case.id or 0, other_id=other)
    return other


@audited("case_edit", "unlink_cases", "case.unlink", _linked)
def _unlink(s: Session, w: World, other_id: int) -> None:
    case_edit.unlink_cases(s, w.clerk, case_id=w.case.id or 0, other_id=other_id)


def _out(s: Session, w: World) -> None:
    case_transfer.transfer_out(
        s,
        w.clerk,
        case_id=w.case.id or 0,
        office_id=w.other_office.id or 0,
        reason="moved to Lancaster",
        papers_sent=True,
        appointments_moved=True,
        tasks_handed_over=True,
    )


@audited("case_transfer", "transfer_out", "case.transfer_out")
def _transfer(s: Session, w: World, _: Any) -> None:
    _out(s, w)


def _pending(w: World) -> None:
    with w.db.write() as s:
        _out(s, w)


@audited("case_transfer", "accept_transfer", "case.transfer_accept", _pending)
def _accept(s: Session, w: World, _: Any) -> None:
    case_transfer.accept_transfer(s, w.manager, case_id=w.case.id or 0, owner_id=w.other.id)


@audited("case_transfer", "return_transfer", "case.transfer_return", _pending)
def _return(s: Session, w: World, _: Any) -> None:
    case_transfer.return_transfer(s, w.manager, case_id=w.case.id or 0, reason="wrong office")


@audited("case_transfer", "raise_transfer_reminders", "case.transfer_reminder", _pending)
def _remind(s: Session, w: World, _: Any) -> None:
    case_transfer.raise_transfer_reminders(s, w.clerk, today=date(2026, 12, 31))


@audited("case_closure", "start_closure", "case.closure_start")
def _start(s: Session, w: World, _: Any) -> None:
    case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="no_further_action")


def _closing(w: World) -> None:
    with w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="no_further_action")


@audited("case_closure", "tick_step", "case.closure_step", _closing)
def _tick(s: Session, w: World, _: Any) -> None:
    case_closure.tick_step(s, w.clerk, case_id=w.case.id or 0, step="tasks_closed")


@audited("case_closure", "waive_step", "case.closure_waive", _closing)
def _waive(s: Session, w: World, _: Any) -> None:
    case_closure.waive_step(
        s, w.clerk, case_id=w.case.id or 0, step="tasks_closed", reason="none open"
    )


def _ready(w: World) -> None:
    _closing(w)
    with w.db.write() as s:
        for step in ("tasks_closed", "appointments_cancelled"):
            case_closure.tick_step(s, w.clerk, case_id=w.case.id or 0, step=step)


@audited("case_closure", "close_case", "case.closed", _ready)
def _close(s: Session, w: World, _: Any) -> None:
    case_closure.close_case(s, w.clerk, case_id=w.case.id or 0)


def _closed(w: World) -> None:
    _ready(w)
    with w.db.write() as s:
        case_closure.close_case(s, w.clerk, case_id=w.case.id or 0)


@audited("case_closure", "reopen_case", "case.reopen", _closed)
def _reopen(s: Session, w: World, _: Any) -> None:
    case_closure.reopen_case(s, w.clerk, case_id=w.case.id or 0, reason="breach")


@audited("file_location", "set_file_location", "case.file_location")
def _location(s: Session, w: World, _: Any) -> None:
    file_location.set_file_location(
        s,
        w.clerk,
        case_id=w.case.id or 0,
        kind="offsite",
        box="B-17",
        retrieval_date=date(2027, 1, 4),
    )


# --- case rules per case type (caselife2) ------------------------------------------------------
reads("case_rules", "list_case_rules", "show_case_rules")


@audited("case_rules", "set_transfer_ack_days", "case_type.transfer_ack_days")
def _set_transfer_ack_days(s: Session, w: World, _: Any) -> None:
    case_rules.set_transfer_ack_days(s, w.admin, case_type="OM", days=8)


reads("common", "ensure_case_open")  # refuses work on a closed case; writes nothing
reads("case_state", "lifecycle_state")
reads("case_closure", "closure_in_progress")
reads("case_transfer", "transfer_info")
reads("file_location", "location_info")
