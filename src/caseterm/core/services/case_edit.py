"""Keeping a case up to date: its summary, priority, owners, team and office (with optimistic
locking), the other people on it with their roles, and the cases it is linked to.

A closed or archived case is read-only: every change here is refused until it is reopened
(`case_closure.reopen_case`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, CaseLink, CaseParty, Office, Person, Staff, Team
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules.case_lifecycle import CASE_LINK_KINDS, PARTY_ROLES
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.cases import check_priority, finish_change, load_for_change
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line, clean_notes

READ_ONLY = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


@dataclass(frozen=True)
class CaseEdited:
    case_id: int
    reference: str
    version: int
    status: str
    changed: tuple[str, ...]


@dataclass(frozen=True)
class PartyChange:
    case_id: int
    reference: str
    party_id: int
    person_id: int
    role: str


@dataclass(frozen=True)
class LinkChange:
    case_id: int
    reference: str
    other_id: int
    other_reference: str
    kind: str


def ensure_editable(case: CaseFile) -> None:
    """Refuse any change to a closed or archived case (it is read-only until reopened)."""
    if case.status in READ_ONLY:
        raise ValidationError(
            "status",
            f"{case.reference} is {case.status}: a {case.status} case is read-only "
            "(reopen it first)",
        )


def _edited(case: CaseFile, changed: list[str]) -> CaseEdited:
    assert case.id is not None
    return CaseEdited(case.id, case.reference, case.version, case.status, tuple(changed))


def _check_staff(session: Session, field: str, staff_id: int) -> None:
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise ValidationError(field, f"no active member of staff with id {staff_id}")


def edit_case(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    expected_version: int | None,
    summary: str | None = None,
    priority: int | None = None,
    owner_id: int | None = None,
    clear_owner: bool = False,
    admin_owner_id: int | None = None,
    team_id: int | None = None,
    office_id: int | None = None,
) -> CaseEdited:
    """Change a case's summary, priority, owner, admin owner, team or office (None leaves a
    field as it is; `clear_owner` leaves the case unowned). Refused if someone else changed the
    case since `expected_version`, or if the case is closed."""
    case, before = load_for_change(session, actor, case_id, expected_version)
    ensure_editable(case)
    if owner_id is not None and clear_owner:
        raise ValidationError("owner", "give a new owner or clear the owner, not both")
    # Every check before any change: a refusal leaves the case as it was, and the version
    # moves by one per edit.
    text = clean_notes("summary", summary, limit=2000) if summary is not None else None
    if priority is not None:
        check_priority(priority)
    if owner_id is not None:
        _check_staff(session, "owner", owner_id)
    if admin_owner_id is not None:
        _check_staff(session, "admin_owner", admin_owner_id)
    if team_id is not None and session.get(Team, team_id) is None:
        raise ValidationError("team", f"no team with id {team_id}")
    if office_id is not None and session.get(Office, office_id) is None:
        raise ValidationError("office", f"no office with id {office_id}")
    if text is not None:
        case.summary = text
    if priority is not None:
        case.priority = priority
    if owner_id is not None or clear_owner:
        case.owner_id = owner_id
    if admin_owner_id is not None:
        case.admin_owner_id = admin_owner_id
    if team_id is not None:
        case.team_id = team_id
    if office_id is not None:
        case.office_id = office_id
    changed = [k.removesuffix("_id") for k, v in before.items() if getattr(case, k) != v]
    finish_change(
        session,
        actor,
        case,
        before,
        "case.edit",
        f"edited {', '.join(changed) or 'nothing'}",
    )
    return _edited(case, changed)


def _open_for_change(session: Session, actor: Actor, case_id: int) -> CaseFile:
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    ensure_editable(case)
    return case


def add_party(
    session: Session, actor: Actor, *, case_id: int, person_id: int, role: str, notes: str = ""
) -> PartyChange:
    """Add another person to a case in a role from the catalogue (responsible clinician,
    solicitor, victim liaison…)."""
    case = _open_for_change(session, actor, case_id)
    person = get(session, Person, person_id, "person")
    if role not in PARTY_ROLES:
        raise ValidationError("role", f"unknown role {role!r}; use one of {', '.join(PARTY_ROLES)}")
    if person_id == case.subject_id:
        raise ValidationError("person", "is the subject of the case already")
    if session.exec(
        select(CaseParty).where(
            CaseParty.case_id == case_id, CaseParty.person_id == person_id, CaseParty.role == role
        )
    ).first():
        raise ValidationError("person", f"{person.full_name} is on the case as {role} already")
    party = CaseParty(
        case_id=case_id,
        person_id=person_id,
        role=role,
        notes=clean_line("notes", notes, required=False, limit=500),
    )
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        "case.party",
        "case",
        case_id,
        case_id=case_id,
        person_id=person_id,
        summary=f"{case.reference}: added {person.full_name} as {PARTY_ROLES[role]}",
        after={"party_id": party.id, "person_id": person_id, "role": role},
    )
    assert party.id is not None
    return PartyChange(case_id, case.reference, party.id, person_id, role)


def remove_party(session: Session, actor: Actor, *, case_id: int, party_id: int) -> PartyChange:
    """Take a person off a case (the audit journal keeps that they were on it)."""
    case = _open_for_change(session, actor, case_id)
    party = session.get(CaseParty, party_id)
    if party is None or party.case_id != case_id:
        raise NotFoundError(f"party on {case.reference}", party_id)
    person = get(session, Person, party.person_id, "person")
    change = PartyChange(case_id, case.reference, party_id, party.person_id, party.role)
    session.delete(party)
    session.flush()
    audit.record(
        session,
        actor,
        "case.party_remove",
        "case",
        case_id,
        case_id=case_id,
        person_id=change.person_id,
        summary=f"{case.reference}: removed {person.full_name} ({change.role})",
        before={"party_id": party_id, "person_id": change.person_id, "role": change.role},
    )
    return change


def _link_between(session: Session, a: int, b: int) -> CaseLink | None:
    return session.exec(
        select(CaseLink).where(
            ((col(CaseLink.case_id) == a) & (col(CaseLink.linked_case_id) == b))
            | ((col(CaseLink.case_id) == b) & (col(CaseLink.linked_case_id) == a))
        )
    ).first()


def link_cases(
    session: Session, actor: Actor, *, case_id: int, other_id: int, kind: str = "related"
) -> LinkChange:
    """Link two cases with a relation from the catalogue (related, same family…)."""
    case = _open_for_change(session, actor, case_id)
    if case_id == other_id:
        raise ValidationError("linked_case", "a case cannot be linked to itself")
    other = get(session, CaseFile, other_id, "case")
    ensure_can_see(session, actor, other, "case")
    if kind not in CASE_LINK_KINDS:
        raise ValidationError(
            "relation", f"unknown relation {kind!r}; use one of {', '.join(CASE_LINK_KINDS)}"
        )
    if _link_between(session, case_id, other_id) is not None:
        raise ValidationError("linked_case", f"{case.reference} and {other.reference} are linked")
    session.add(CaseLink(case_id=case_id, linked_case_id=other_id, kind=kind))
    session.flush()
    audit.record(
        session,
        actor,
        "case.link",
        "case",
        case_id,
        case_id=case_id,
        summary=f"{case.reference} linked to {other.reference} ({CASE_LINK_KINDS[kind]})",
        after={"linked_case_id": other_id, "kind": kind},
    )
    return LinkChange(case_id, case.reference, other_id, other.reference, kind)


def unlink_cases(session: Session, actor: Actor, *, case_id: int, other_id: int) -> LinkChange:
    """Remove the link between two cases, whichever of them it was made from."""
    case = _open_for_change(session, actor, case_id)
    other = get(session, CaseFile, other_id, "case")
    link = _link_between(session, case_id, other_id)
    if link is None:
        raise ValidationError("linked_case", f"{case.reference} is not linked to {other.reference}")
    change = LinkChange(case_id, case.reference, other_id, other.reference, link.kind)
    session.delete(link)
    session.flush()
    audit.record(
        session,
        actor,
        "case.unlink",
        "case",
        case_id,
        case_id=case_id,
        summary=f"{case.reference} no longer linked to {other.reference}",
        before={"linked_case_id": other_id, "kind": change.kind},
    )
    return change


@dataclass(frozen=True)
class Choice:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class CaseForEdit:
    """What the edit form shows: the case as it is now, and what each field may be."""

    case_id: int
    reference: str
    version: int
    status: str
    summary: str
    priority: int
    owner_id: int | None
    admin_owner_id: int | None
    team_id: int | None
    office_id: int | None
    staff: tuple[Choice, ...]
    teams: tuple[Choice, ...]
    offices: tuple[Choice, ...]


def case_for_edit(session: Session, actor: Actor, *, case_id: int) -> CaseForEdit:
    """The case's editable fields as stored now, with the active staff, teams and offices."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    staff = session.exec(select(Staff).where(col(Staff.active)).order_by(col(Staff.name))).all()
    teams = session.exec(select(Team).order_by(col(Team.code))).all()
    offices = session.exec(select(Office).order_by(col(Office.code))).all()
    assert case.id is not None
    return CaseForEdit(
        case_id=case.id,
        reference=case.reference,
        version=case.version,
        status=case.status,
        summary=case.summary,
        priority=case.priority,
        owner_id=case.owner_id,
        admin_owner_id=case.admin_owner_id,
        team_id=case.team_id,
        office_id=case.office_id,
        staff=tuple(Choice(s.id or 0, s.login, s.name) for s in staff),
        teams=tuple(Choice(t.id or 0, t.code, t.name) for t in teams),
        offices=tuple(Choice(o.id or 0, o.code, o.name) for o in offices),
    )
