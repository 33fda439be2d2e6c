"""Case files: open with a generated reference, find, view and restrict. Editing a case is
`case_edit`, transfers `case_transfer`, closing and reopening `case_closure`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, union, update
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import (
    CaseAccess,
    CaseFile,
    CaseLink,
    CaseParty,
    CaseType,
    Office,
    Person,
    ReferenceCounter,
    Staff,
    Team,
)
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.services import audit
from caseterm.core.services.access import can_see, ensure_can_see, restricted_label
from caseterm.core.services.case_info import CaseInfo, PartyInfo, PersonInfo, WarningInfo
from caseterm.core.services.common import check_version, get, touch
from caseterm.core.services.identity import Actor
from caseterm.core.services.org import CaseTypeInfo, OfficeInfo, TeamInfo
from caseterm.core.services.people import warnings_for
from caseterm.core.services.staff import StaffInfo
from caseterm.core.text import clean_notes

CASE_FIELDS = (
    "reference",
    "case_type_id",
    "subject_id",
    "owner_id",
    "admin_owner_id",
    "team_id",
    "office_id",
    "status",
    "status_reason",
    "priority",
    "summary",
    "restricted",
    "opened_on",
    "closed_on",
)


def _next_reference(session: Session, *, prefix: str, year: int) -> str:
    """Take the next number for `prefix`/`year`. Runs inside the writing transaction, which holds
    the write lock on SQLite (BEGIN IMMEDIATE) and a row lock on PostgreSQL, so numbers never
    repeat."""
    result = session.execute(
        update(ReferenceCounter)
        .where(col(ReferenceCounter.prefix) == prefix, col(ReferenceCounter.year) == year)
        .values(next_number=ReferenceCounter.next_number + 1)
        .returning(col(ReferenceCounter.next_number))
    ).first()
    if result is None:
        session.add(ReferenceCounter(prefix=prefix, year=year, next_number=2))
        session.flush()
        number = 1
    else:
        number = int(result[0]) - 1
    return f"{prefix}/{year}/{number:06d}"


def _case_type_by_code(session: Session, code: str) -> CaseType:
    ct = session.exec(select(CaseType).where(CaseType.code == code.upper())).first()
    if ct is None:
        codes = ", ".join(session.exec(select(CaseType.code)).all())
        raise ValidationError("case_type", f"unknown case type {code!r}; choose from {codes}")
    return ct


def check_priority(priority: int) -> int:
    if priority not in (1, 2, 3, 4):
        raise ValidationError("priority", "must be 1 (urgent) to 4 (low)")
    return priority


def open_case(
    session: Session,
    actor: Actor,
    *,
    case_type: str,
    subject_id: int,
    owner_id: int | None = None,
    admin_owner_id: int | None = None,
    team_id: int | None = None,
    office_id: int | None = None,
    priority: int = 3,
    summary: str = "",
    status: str = CaseStatus.OPEN,
    opened_on: date | None = None,
) -> CaseFile:
    """Open a case file for a subject with a generated reference (PREFIX/YEAR/NUMBER)."""
    actor.require("case.write")
    ct = _case_type_by_code(session, case_type)
    get(session, Person, subject_id, "person")
    if status not in (CaseStatus.REFERRAL, CaseStatus.OPEN):
        raise ValidationError("status", "a new case starts as referral or open")
    for field_name, model, value in (
        ("owner", Staff, owner_id),
        ("admin_owner", Staff, admin_owner_id),
        ("team", Team, team_id),
        ("office", Office, office_id),
    ):
        if value is not None and session.get(model, value) is None:
            raise ValidationError(field_name, f"no {field_name.replace('_', ' ')} with id {value}")
    opened = opened_on or clock.today()
    if opened > clock.today():
        raise ValidationError("opened_on", "is in the future")
    office_id = office_id if office_id is not None else actor.office_id
    if team_id is None:
        team_id = usual_team(session, case_type_id=ct.id or 0, office_id=office_id)
    case = CaseFile(
        reference=_next_reference(session, prefix=ct.ref_prefix, year=opened.year),
        case_type_id=ct.id or 0,
        subject_id=subject_id,
        owner_id=owner_id,
        admin_owner_id=admin_owner_id if admin_owner_id is not None else actor.id,
        team_id=team_id if team_id is not None else actor.team_id,
        office_id=office_id,
        status=status,
        priority=check_priority(priority),
        summary=clean_notes("summary", summary, limit=2000),
        opened_on=opened,
        updated_by_id=actor.id,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor,
        "case.open",
        "case",
        case.id,
        case_id=case.id,
        person_id=subject_id,
        summary=f"opened {case.reference} ({ct.name})",
        after=audit.snapshot(case, CASE_FIELDS),
    )
    return case


def usual_team(session: Session, *, case_type_id: int, office_id: int | None) -> int | None:
    """The team at `office_id` that works this type of case: the one holding most of the
    office's cases of the type (a fines case opened at Preston goes to Preston's fines team, not
    to whoever opened it). None when the office has no such case yet."""
    if office_id is None:
        return None
    row = session.execute(
        select_columns(col(CaseFile.team_id), func.count())
        .join(Team, col(Team.id) == col(CaseFile.team_id))
        .where(col(CaseFile.case_type_id) == case_type_id, col(Team.office_id) == office_id)
        .group_by(col(CaseFile.team_id))
        .order_by(func.count().desc(), col(CaseFile.team_id))
        .limit(1)
    ).first()
    return int(row[0]) if row is not None else None


def find_case(session: Session, reference: str) -> CaseFile:
    ref = reference.strip().upper()
    case = session.exec(select(CaseFile).where(CaseFile.reference == ref)).first()
    if case is None:
        raise NotFoundError("case", reference)
    return case


def case_by_reference(session: Session, reference: str) -> CaseInfo:
    """The case a typed reference names, as plain data (NotFoundError if there is none): how
    the commands and the screens look a reference up. It checks no access, as `find_case` does
    not: the service then called with its id refuses what the user may not see."""
    return CaseInfo.of(find_case(session, reference))


def load_for_change(
    session: Session, actor: Actor, case_id: int, expected_version: int | None
) -> tuple[CaseFile, dict[str, object]]:
    """The case to change (capability, restricted access and version checked) and its fields
    as they were, for `finish_change`."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    check_version(session, case, expected_version, f"case {case.reference}")
    return case, audit.snapshot(case, CASE_FIELDS)


def finish_change(
    session: Session,
    actor: Actor,
    case: CaseFile,
    before: dict[str, object],
    action: str,
    summary: str,
) -> CaseFile:
    """Stamp who changed the case and journal what changed (in the caller's transaction)."""
    touch(case, actor.id)
    old, new = audit.changed(before, audit.snapshot(case, CASE_FIELDS))
    audit.record(
        session,
        actor,
        action,
        "case",
        case.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {summary}",
        before=old,
        after=new,
    )
    session.flush()
    return case


def restrict_case(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    allow: Sequence[int] = (),
    deny: Sequence[int] = (),
) -> CaseInfo:
    """Restrict a case to the `allow` list of staff, and/or exclude the `deny` list."""
    actor.require("case.restrict")
    case = get(session, CaseFile, case_id, "case")
    before = audit.snapshot(case, CASE_FIELDS)
    for staff_id in list(allow) + list(deny):
        if session.get(Staff, staff_id) is None:
            raise ValidationError("staff", f"no member of staff with id {staff_id}")
    for row in session.exec(select(CaseAccess).where(CaseAccess.case_id == case_id)).all():
        session.delete(row)
    session.flush()
    for staff_id in allow:
        session.add(
            CaseAccess(case_id=case_id, staff_id=staff_id, mode="allow", added_at=clock.now())
        )
    for staff_id in deny:
        session.add(
            CaseAccess(case_id=case_id, staff_id=staff_id, mode="deny", added_at=clock.now())
        )
    case.restricted = bool(allow or deny)
    changed = finish_change(
        session,
        actor,
        case,
        before,
        "case.restrict",
        f"access: allow {list(allow)}, deny {list(deny)}",
    )
    return CaseInfo.of(changed)


@dataclass(frozen=True)
class CaseView:
    """Everything the case header and sections show: plain data, never the table rows."""

    case: CaseInfo
    case_type: CaseTypeInfo
    subject: PersonInfo
    owner: StaffInfo | None
    admin_owner: StaffInfo | None
    team: TeamInfo | None
    office: OfficeInfo | None
    warnings: tuple[WarningInfo, ...]
    parties: tuple[tuple[PartyInfo, PersonInfo], ...]
    links: tuple[CaseInfo, ...]


def view_case(
    session: Session, actor: Actor, *, reference_or_id: str | int, where: str = "case"
) -> CaseView:
    """Everything the case header and sections need. Restricted cases the actor may not see raise
    RestrictedError; both views and refusals of restricted cases are written to the access log,
    so call this in a writing session."""
    actor.require("case.read")
    case = (
        get(session, CaseFile, reference_or_id, "case")
        if isinstance(reference_or_id, int)
        else find_case(session, reference_or_id)
    )
    ensure_can_see(session, actor, case, where)
    # One statement for everything the header names, one for the links both ways: on
    # PostgreSQL each statement is a round trip.
    owner, admin = aliased(Staff), aliased(Staff)
    case_type, subject, owner_row, admin_row, team, office = session.execute(
        select_columns(CaseType, Person, owner, admin, Team, Office)
        .select_from(CaseFile)
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .join(Person, col(Person.id) == col(CaseFile.subject_id))
        .outerjoin(owner, col(owner.id) == col(CaseFile.owner_id))
        .outerjoin(admin, col(admin.id) == col(CaseFile.admin_owner_id))
        .outerjoin(Team, col(Team.id) == col(CaseFile.team_id))
        .outerjoin(Office, col(Office.id) == col(CaseFile.office_id))
        .where(col(CaseFile.id) == case.id)
    ).one()
    parties = session.exec(
        select(CaseParty, Person)
        .join(Person, col(Person.id) == col(CaseParty.person_id))
        .where(CaseParty.case_id == case.id)
    ).all()
    linked = select(CaseLink.linked_case_id).where(CaseLink.case_id == case.id)
    back = select(CaseLink.case_id).where(CaseLink.linked_case_id == case.id)
    links = session.exec(select(CaseFile).where(col(CaseFile.id).in_(union(linked, back)))).all()
    return CaseView(
        case=CaseInfo.of(case),
        case_type=CaseTypeInfo.of(case_type),
        subject=PersonInfo.of(subject),
        owner=StaffInfo.of(owner_row) if owner_row is not None else None,
        admin_owner=StaffInfo.of(admin_row) if admin_row is not None else None,
        team=TeamInfo.of(team) if team is not None else None,
        office=OfficeInfo.of(office) if office is not None else None,
        warnings=tuple(WarningInfo.of(w) for w in warnings_for(session, case.subject_id)),
        parties=tuple((PartyInfo.of(p), PersonInfo.of(person)) for p, person in parties),
        links=tuple(CaseInfo.of(c) for c in sorted(links, key=lambda c: c.id or 0)),
    )


@dataclass(frozen=True)
class CaseLabel:
    """A case as a form names it: its subject's name, or for a restricted case the actor may not
    see, whom to ask (`access.restricted_label`). Reading it logs nothing."""

    case_id: int
    reference: str
    person_id: int
    label: str


def case_label(
    session: Session, actor: Actor, *, case_id: int | None = None, reference: str | None = None
) -> CaseLabel:
    """The case by id or by reference (NotFoundError if there is none), named for `actor`."""
    case = (
        get(session, CaseFile, case_id, "case")
        if case_id is not None
        else find_case(session, reference or "")
    )
    assert case.id is not None
    if can_see(session, actor, case):
        label = get(session, Person, case.subject_id, "person").full_name
    else:
        label = restricted_label(session, case)
    return CaseLabel(case.id, case.reference, case.subject_id, label)


def _cases_of_person(session: Session, person_id: int) -> list[CaseFile]:
    return list(
        session.exec(
            select(CaseFile)
            .where(
                (col(CaseFile.subject_id) == person_id)
                | col(CaseFile.id).in_(
                    select(CaseParty.case_id).where(CaseParty.person_id == person_id)
                )
            )
            .order_by(col(CaseFile.id).desc())
        ).all()
    )
