"""The person screen's data, read in one go: the master record with its names, identifiers,
contact details (with history), warnings (with history), verification and every case of
theirs. An old id of a merged record leads to the survivor.

Restricted cases are shown as search shows them: a case the reader may not see only by its
reference and whom to ask (each such refusal, and each view of a restricted case, goes to the
access log: call it in a writing session to keep them). A person whose every case is hidden
from the reader is refused outright (RestrictedError, saying whom to ask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CompoundSelect, union
from sqlmodel import Session, col, select

from caseterm.core.errors import RestrictedError
from caseterm.core.models import (
    CaseFile,
    CaseParty,
    CaseType,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
)
from caseterm.core.rules.catalogue import IDENTIFIER_TYPES, label
from caseterm.core.services import access
from caseterm.core.services.case_info import IdentifierLine, NameLine
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.person_details import ContactDetail
from caseterm.core.services.person_warnings import WarningRow, warning_rows
from caseterm.core.services.verification import Verified, verifications

WHERE = "person"
MERGE_CHAIN_LIMIT = 20  # a tombstone pointing at a tombstone…: never loop forever


@dataclass(frozen=True)
class PersonCase:
    case_id: int
    reference: str
    role: str  # "subject" or their party role
    case_type: str  # "" when hidden
    status: str  # "" when hidden
    owner: str
    restricted: bool  # hidden from the reader
    shown: str  # what to show instead when hidden: "restricted — ask OWNER"


@dataclass(frozen=True)
class PersonView:
    id: int
    asked_id: int  # the id asked for (a merged record's old id leads here)
    title: str
    given_name: str
    family_name: str
    gender: str
    date_of_birth: date | None
    date_of_death: date | None
    date_of_death_source: str
    language: str
    interpreter: bool
    version: int
    names: tuple[NameLine, ...]
    identifiers: tuple[IdentifierLine, ...]
    addresses: tuple[ContactDetail, ...]  # current first, then history
    phones: tuple[ContactDetail, ...]
    emails: tuple[ContactDetail, ...]
    warnings: tuple[WarningRow, ...]
    verifications: tuple[Verified, ...]
    cases: tuple[PersonCase, ...]
    merged_from: tuple[int, ...]  # tombstones merged into this record
    updated_by: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def aliases(self) -> tuple[NameLine, ...]:
        return tuple(n for n in self.names if n.kind != "primary")


def _resolve_person(session: Session, person_id: int) -> Person:
    """The person with this id, or the record a merged one now lives in."""
    person = get(session, Person, person_id, "person")
    for _ in range(MERGE_CHAIN_LIMIT):
        if person.merged_into_id is None:
            break
        person = get(session, Person, person.merged_into_id, "person")
    return person


def view_person(session: Session, actor: Actor, *, person_id: int) -> PersonView:
    """Everything on the person screen (see the module docstring for restricted cases)."""
    actor.require("person.read")
    person = _resolve_person(session, person_id)
    pid = person.id or 0
    cases = _cases(session, actor, pid)
    subject_cases = [c for c in cases if c.role == "subject"]
    if subject_cases and all(c.restricted for c in subject_cases):
        raise RestrictedError(subject_cases[0].reference, subject_cases[0].owner)
    names = session.exec(
        select(PersonName).where(PersonName.person_id == pid).order_by(col(PersonName.id))
    ).all()
    idents = session.exec(
        select(PersonIdentifier)
        .where(PersonIdentifier.person_id == pid)
        .order_by(col(PersonIdentifier.id_type), col(PersonIdentifier.id))
    ).all()
    contacts = session.exec(
        select(PersonContact)
        .where(PersonContact.person_id == pid)
        .order_by(col(PersonContact.valid_to).is_not(None), col(PersonContact.id).desc())
    ).all()
    details = [
        ContactDetail(c.id or 0, c.kind, c.value, c.valid_from, c.valid_to) for c in contacts
    ]
    merged = session.exec(select(Person.id).where(Person.merged_into_id == pid)).all()
    return PersonView(
        id=pid,
        asked_id=person_id,
        title=person.title,
        given_name=person.given_name,
        family_name=person.family_name,
        gender=person.gender,
        date_of_birth=person.date_of_birth,
        date_of_death=person.date_of_death,
        date_of_death_source=person.date_of_death_source,
        language=person.language,
        interpreter=person.interpreter,
        version=person.version,
        names=tuple(
            NameLine(n.id or 0, n.kind, n.given_name, n.family_name)
            for n in sorted(names, key=lambda n: (n.kind != "primary", n.id or 0))
        ),
        identifiers=tuple(
            IdentifierLine(i.id or 0, i.id_type, label(IDENTIFIER_TYPES, i.id_type), i.value)
            for i in idents
        ),
        addresses=tuple(d for d in details if d.kind == "address"),
        phones=tuple(d for d in details if d.kind == "phone"),
        emails=tuple(d for d in details if d.kind == "email"),
        warnings=tuple(warning_rows(session, pid)),
        verifications=tuple(verifications(session, pid)),
        cases=tuple(cases),
        merged_from=tuple(sorted(m for m in merged if m is not None)),
        updated_by=staff_name(session, person.updated_by_id),
    )


def _cases(session: Session, actor: Actor, person_id: int) -> list[PersonCase]:
    # The cases they are the subject of or a party to: a union of two indexed reads, not an OR
    # (PostgreSQL read the whole case table for it).
    theirs: CompoundSelect[tuple[int]] = union(
        select(CaseFile.id).where(CaseFile.subject_id == person_id),
        select(CaseParty.case_id).where(CaseParty.person_id == person_id),
    )
    rows = session.exec(
        select(CaseFile, CaseType)
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .where(col(CaseFile.id).in_(theirs))
        .order_by(col(CaseFile.id).desc())
    ).all()
    roles = {
        cid: role
        for cid, role in session.exec(
            select(CaseParty.case_id, CaseParty.role).where(CaseParty.person_id == person_id)
        ).all()
    }
    out: list[PersonCase] = []
    for case, case_type in rows:
        cid = case.id or 0
        role = "subject" if case.subject_id == person_id else roles.get(cid, "party")
        if case.restricted and not access.can_see(session, actor, case):
            access.log_access(session, actor, case_id=cid, action="refused", where=WHERE)
            ask = access.ask_whom(session, case)
            out.append(
                PersonCase(
                    cid,
                    case.reference,
                    role,
                    "",
                    "",
                    ask,
                    True,
                    access.restricted_label(session, case),
                )
            )
            continue
        if case.restricted:
            access.log_access(session, actor, case_id=cid, action="viewed", where=WHERE)
        owner = staff_name(session, case.owner_id) if case.owner_id else "unallocated"
        out.append(
            PersonCase(cid, case.reference, role, case_type.name, case.status, owner, False, "")
        )
    return out
