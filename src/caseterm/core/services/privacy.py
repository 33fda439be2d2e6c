"""Data protection: a subject access export of everything held about one person (for the
data-protection roles, `data.protection`: managers and system administrators). Retention, the
other half of data protection, is `caseterm.core.services.retention`.

`export_person` gathers the person's record (names, identifiers, contact details, warnings), the
cases they are the subject of with everything on them (contact log, diary, tasks, documents,
money, review dates), the cases they are a party to (their role only: the rest is about someone
else), and the audit events about them. Sensitive contact entries are included and marked, for
the officer to review before anything is released.

A restricted case's access list binds every role but the system administrator: a manager who
may not see one of the cases the export would read is refused the whole export ("restricted —
ask OWNER"; a partial answer to a subject access request would be wrong without saying so), and
the refusal goes to the access log. An export needs a reason (the request's reference, say); it
is audited with that reason, and every restricted case it reads goes to the access log with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, select

from caseterm.core import clock
from caseterm.core.errors import RestrictedError
from caseterm.core.models import (
    Appointment,
    AuditEvent,
    CaseFile,
    CaseParty,
    CaseType,
    ContactEntry,
    Document,
    Imposition,
    Payment,
    PaymentTerms,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonVerification,
    PersonWarning,
    ReviewSchedule,
    Staff,
    Task,
)
from caseterm.core.services import audit
from caseterm.core.services.access import ask_whom, can_see, log_access
from caseterm.core.services.common import get
from caseterm.core.services.history import task_events
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line


def _plain(obj: SQLModel, drop: Iterable[str] = ("version",)) -> dict[str, Any]:
    data = obj.model_dump()
    for key in drop:
        data.pop(key, None)
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in data.items()}


def _all(session: Session, model: type[Any], column: Any, ids: Iterable[int]) -> list[Any]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.exec(select(model).where(column.in_(wanted)).order_by(model.id)).all())


def _staff_names(session: Session) -> dict[int, str]:
    return {sid or 0: login for sid, login in session.exec(select(Staff.id, Staff.login)).all()}


def _case_export(session: Session, case: CaseFile, logins: dict[int, str]) -> dict[str, Any]:
    cid = case.id or 0
    ctype = get(session, CaseType, case.case_type_id)

    def rows(model: type[Any], column: Any) -> list[dict[str, Any]]:
        return [_plain(r) for r in _all(session, model, column, [cid])]

    entries = _all(session, ContactEntry, col(ContactEntry.case_id), [cid])
    data = _plain(case)
    data.update(
        case_type=ctype.name,
        owner=logins.get(case.owner_id or 0, ""),
        contact_entries=[_plain(e) | {"staff": logins.get(e.staff_id, "")} for e in entries],
        appointments=rows(Appointment, col(Appointment.case_id)),
        tasks=rows(Task, col(Task.case_id)),
        documents=rows(Document, col(Document.case_id)),
        review_dates=rows(ReviewSchedule, col(ReviewSchedule.case_id)),
        money={
            "impositions": rows(Imposition, col(Imposition.case_id)),
            "payments": rows(Payment, col(Payment.case_id)),
            "terms": rows(PaymentTerms, col(PaymentTerms.case_id)),
        },
    )
    return data


def _refuse_hidden(
    session: Session, actor: Actor, case_ids: set[int], reason: str
) -> list[CaseFile]:
    """The restricted cases among `case_ids`. Unless the actor is a system administrator, one
    they may not see refuses the export (logged with the reason; see the module docstring for
    keeping that row)."""
    restricted = list(
        session.exec(
            select(CaseFile)
            .where(col(CaseFile.id).in_(case_ids), col(CaseFile.restricted).is_(True))
            .order_by(col(CaseFile.id))
        ).all()
    )
    if "sysadmin" in actor.roles:
        return restricted
    for case in restricted:
        if not can_see(session, actor, case):
            log_access(
                session,
                actor,
                case_id=case.id or 0,
                action="refused",
                where="export",
                reason=reason,
            )
            raise RestrictedError(case.reference, ask_whom(session, case))
    return restricted


def export_person(session: Session, actor: Actor, *, person_id: int, reason: str) -> dict[str, Any]:
    """Everything held about one person, JSON-ready (a subject access request), for `reason`.
    Audited with the reason; every restricted case it reads goes to the access log with it. A
    restricted case the actor may not see refuses the whole export (RestrictedError), unless
    they are a system administrator; the refusal's log row is added to the session, so a caller
    that wants it kept catches the error inside the writing session. Call it in a writing
    session."""
    actor.require("data.protection")
    reason = clean_line("reason", reason, limit=300)
    person = get(session, Person, person_id, "person")
    logins = _staff_names(session)
    subject_cases = list(
        session.exec(
            select(CaseFile).where(CaseFile.subject_id == person_id).order_by(col(CaseFile.id))
        ).all()
    )
    case_ids = {c.id or 0 for c in subject_cases}
    parties = session.exec(
        select(CaseParty, CaseFile)
        .join(CaseFile, col(CaseFile.id) == col(CaseParty.case_id))
        .where(CaseParty.person_id == person_id)
    ).all()
    other = [
        e
        for e in _all(session, ContactEntry, col(ContactEntry.person_id), [person_id])
        if e.case_id not in case_ids
    ]
    other_appointments = [
        a
        for a in _all(session, Appointment, col(Appointment.person_id), [person_id])
        if a.case_id not in case_ids
    ]
    other_tasks = [
        t
        for t in _all(session, Task, col(Task.person_id), [person_id])
        if t.case_id not in case_ids
    ]
    touched = case_ids | {c.id or 0 for _, c in parties}
    touched |= {r.case_id for r in [*other, *other_appointments, *other_tasks] if r.case_id}
    for case in _refuse_hidden(session, actor, touched, reason):
        log_access(
            session, actor, case_id=case.id or 0, action="viewed", where="export", reason=reason
        )
    events = session.exec(
        select(AuditEvent)
        .where(
            or_(
                col(AuditEvent.person_id) == person_id,
                col(AuditEvent.case_id).in_(case_ids),
                task_events(or_(col(Task.person_id) == person_id, col(Task.case_id).in_(case_ids))),
            )
        )
        .order_by(col(AuditEvent.id))
    ).all()
    data: dict[str, Any] = {
        "exported_at": clock.now().isoformat(),
        "exported_by": actor.login,
        "reason": reason,
        "person": _plain(person),
        "names": [_plain(n, ("folded", "sound")) for n in _names(session, person_id)],
        "identifiers": [
            _plain(i, ("folded",))
            for i in _all(session, PersonIdentifier, col(PersonIdentifier.person_id), [person_id])
        ],
        "contact_details": [
            _plain(c)
            for c in _all(session, PersonContact, col(PersonContact.person_id), [person_id])
        ],
        "warnings": [
            _plain(w)
            for w in _all(session, PersonWarning, col(PersonWarning.person_id), [person_id])
        ],
        "verifications": [
            _plain(v)
            for v in _all(
                session, PersonVerification, col(PersonVerification.person_id), [person_id]
            )
        ],
        "cases": [_case_export(session, c, logins) for c in subject_cases],
        "party_to_cases": [
            {"reference": case.reference, "role": party.role, "notes": party.notes}
            for party, case in parties
        ],
        "other_contact_entries": [_plain(e) for e in other],
        "other_appointments": [_plain(a) for a in other_appointments],
        "other_tasks": [_plain(t) for t in other_tasks],
        "audit": [
            {
                "at": e.at.isoformat(),
                "staff": logins.get(e.staff_id or 0, ""),
                "action": e.action,
                "summary": e.summary,
                "before": e.before,
                "after": e.after,
            }
            for e in events
        ],
    }
    audit.record(
        session,
        actor,
        "person.export",
        "person",
        person_id,
        person_id=person_id,
        summary=f"subject access export ({len(subject_cases)} cases, {len(events)} events): "
        f"{reason}",
        after={"reason": reason},
    )
    return data


def _names(session: Session, person_id: int) -> list[PersonName]:
    return _all(session, PersonName, col(PersonName.person_id), [person_id])
