"""The contact log: append-only. A correction is a new entry that supersedes the original,
which stays in the log."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, ContactEntry, Staff
from caseterm.core.models.vocab import AppointmentStatus, CaseStatus, Outcome
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES, UNACCEPTABLE_OUTCOMES
from caseterm.core.services import audit, raised_tasks
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line, clean_notes

CONTACT_FIELDS = (
    "case_id",
    "occurred_at",
    "contact_type",
    "outcome",
    "notes",
    "sensitive",
    "appointment_id",
    "supersedes_id",
    "correction_reason",
)
# How far ahead of now an entry may be dated (clock drift between hosts, a meeting just starting).
FUTURE_SLACK = timedelta(minutes=5)
CLOSED_CASE = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
# What an appointment's outcome may be (the diary records one of these).
APPOINTMENT_RESULTS = (
    Outcome.ATTENDED_COMPLIED,
    Outcome.COMPLETED,
    Outcome.INFORMATION_GIVEN,
    Outcome.ACCEPTABLE_ABSENCE,
    Outcome.FAILED_TO_ATTEND,
    Outcome.UNACCEPTABLE_ABSENCE,
)


def describe(contact_type: str, outcome: str) -> str:
    text = CONTACT_TYPES.get(contact_type, contact_type)
    return f"{text} – {OUTCOMES[outcome]}" if outcome in OUTCOMES and outcome else text


def _check(contact_type: str, outcome: str, occurred_at: datetime) -> None:
    if contact_type not in CONTACT_TYPES:
        raise ValidationError(
            "contact_type", f"unknown type {contact_type!r}; use one of {', '.join(CONTACT_TYPES)}"
        )
    if outcome not in OUTCOMES:
        raise ValidationError(
            "outcome",
            f"unknown outcome {outcome!r}; use one of {', '.join(k for k in OUTCOMES if k)}",
        )
    if occurred_at > clock.now() + FUTURE_SLACK:
        raise ValidationError("occurred_at", "is in the future")
    if occurred_at.year < 1900:
        raise ValidationError("occurred_at", "is before 1900")


@dataclass(frozen=True)
class ContactInfo:
    """A contact-log entry as the services return it (the table's field names)."""

    id: int
    case_id: int
    person_id: int | None
    occurred_at: datetime
    logged_at: datetime
    staff_id: int
    contact_type: str
    outcome: str
    notes: str
    sensitive: bool
    appointment_id: int | None
    supersedes_id: int | None
    correction_reason: str

    @classmethod
    def of(cls, entry: ContactEntry) -> ContactInfo:
        assert entry.id is not None
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})


def log_contact(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    contact_type: str,
    outcome: str = "",
    notes: str = "",
    occurred_at: datetime | None = None,
    sensitive: bool = False,
    appointment_id: int | None = None,
    supersedes_id: int | None = None,
    capability: str = "contact.log",
    to_closed_case: bool = False,
    correction_reason: str = "",
) -> ContactInfo:
    """Append an entry to a case's contact log (when it happened defaults to now). A closed or
    archived case takes a new entry only when the caller confirms it (`to_closed_case`)."""
    actor.require(capability)
    case = get(session, CaseFile, case_id, "case")
    if capability == "contact.log":
        ensure_can_see(session, actor, case, "contact")
    if case.status in CLOSED_CASE and not to_closed_case and supersedes_id is None:
        raise ValidationError(
            "case",
            f"{case.reference} is {case.status}: confirm adding a contact to this {case.status} "
            "case (--to-closed-case on the command line)",
        )
    when = (occurred_at or clock.now()).replace(microsecond=0)
    _check(contact_type, outcome, when)
    if appointment_id is not None:
        appt = get(session, Appointment, appointment_id, "appointment")
        if appt.case_id not in (None, case_id):
            raise ValidationError("appointment", "belongs to another case")
    entry = ContactEntry(
        case_id=case_id,
        person_id=case.subject_id,
        occurred_at=when,
        logged_at=clock.now(),
        staff_id=actor.id,
        contact_type=contact_type,
        outcome=outcome,
        notes=clean_notes("notes", notes),
        sensitive=sensitive,
        appointment_id=appointment_id,
        supersedes_id=supersedes_id,
        correction_reason=correction_reason,
    )
    session.add(entry)
    session.flush()
    if outcome in UNACCEPTABLE_OUTCOMES:
        # The outcome has its statutory meaning however it is logged (a one-key outcome on the
        # contact form as much as an appointment's outcome): the breach rule runs now.
        raised_tasks.raise_enforcement_if_due(session, actor, case_id)
    audit.record(
        session,
        actor,
        "contact.correct" if supersedes_id else "contact.log",
        "contact_entry",
        entry.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {describe(contact_type, outcome)}"
        + (f" (corrects entry {supersedes_id}: {correction_reason})" if supersedes_id else ""),
        after=audit.snapshot(entry, CONTACT_FIELDS),
    )
    return ContactInfo.of(entry)


def correct_contact(
    session: Session,
    actor: Actor,
    *,
    entry_id: int,
    reason: str,
    contact_type: str | None = None,
    outcome: str | None = None,
    notes: str | None = None,
    occurred_at: datetime | None = None,
    sensitive: bool | None = None,
) -> ContactInfo:
    """Correct an entry by appending a new one that supersedes it, with the reason; the original
    stays in the log, marked corrected. Correcting an appointment's outcome moves the appointment
    to the new outcome, and the follow-up and enforcement tasks the first outcome raised are
    withdrawn if still open (the breach rule then runs again on the corrected log)."""
    actor.require("contact.log")
    original = get(session, ContactEntry, entry_id, "contact entry")
    ensure_can_see(session, actor, get(session, CaseFile, original.case_id, "case"), "contact")
    why = clean_line("reason", reason, limit=300)
    already = session.exec(
        select(ContactEntry.id).where(ContactEntry.supersedes_id == entry_id)
    ).first()
    if already is not None:
        raise ValidationError(
            "contact_entry",
            f"entry {entry_id} was already corrected by entry {already}; correct that one",
        )
    new_outcome = original.outcome if outcome is None else outcome
    appt = (
        session.get(Appointment, original.appointment_id)
        if original.appointment_id is not None
        else None
    )
    if appt is not None and appt.outcome_contact_id == original.id:
        if new_outcome not in APPOINTMENT_RESULTS:
            raise ValidationError(
                "outcome",
                "an appointment's outcome is one of "
                + ", ".join(OUTCOMES[o] for o in APPOINTMENT_RESULTS),
            )
    else:
        appt = None
    entry = log_contact(
        session,
        actor,
        case_id=original.case_id,
        contact_type=contact_type or original.contact_type,
        outcome=new_outcome,
        notes=original.notes if notes is None else notes,
        occurred_at=occurred_at or original.occurred_at,
        sensitive=original.sensitive if sensitive is None else sensitive,
        appointment_id=original.appointment_id,
        supersedes_id=entry_id,
        correction_reason=why,
    )
    if appt is not None:
        appt.status = (
            AppointmentStatus.FAILED_TO_ATTEND
            if new_outcome in UNACCEPTABLE_OUTCOMES
            else AppointmentStatus.SEEN
        )
        appt.outcome_contact_id = entry.id
        session.add(appt)
    if original.outcome in UNACCEPTABLE_OUTCOMES and new_outcome != original.outcome:
        raised_tasks.withdraw_raised_tasks(
            session, actor, entry=original, reason=f"entry {entry_id} corrected: {why}"
        )
        if new_outcome == Outcome.FAILED_TO_ATTEND and appt is not None:
            case = get(session, CaseFile, original.case_id, "case")
            raised_tasks.raise_fta_follow_up(session, actor, case=case, entry_id=entry.id or 0)
        raised_tasks.raise_enforcement_if_due(session, actor, original.case_id)
    elif new_outcome == Outcome.FAILED_TO_ATTEND and original.outcome != new_outcome and appt:
        case = get(session, CaseFile, original.case_id, "case")
        raised_tasks.raise_fta_follow_up(session, actor, case=case, entry_id=entry.id or 0)
    return entry


@dataclass(frozen=True)
class ContactRow:
    entry: ContactInfo
    staff_name: str
    superseded_by: int | None


@dataclass
class ContactFilter:
    contact_type: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_superseded: bool = True


def _filtered(case_id: int, flt: ContactFilter) -> SelectOfScalar[ContactEntry]:
    q = select(ContactEntry).where(ContactEntry.case_id == case_id)
    if flt.contact_type:
        q = q.where(ContactEntry.contact_type == flt.contact_type)
    if flt.outcome is not None:
        q = q.where(ContactEntry.outcome == flt.outcome)
    if flt.since:
        q = q.where(ContactEntry.occurred_at >= flt.since)
    if flt.until:
        q = q.where(ContactEntry.occurred_at < flt.until)
    if not flt.include_superseded:
        newer = select(ContactEntry.supersedes_id).where(
            ContactEntry.case_id == case_id, col(ContactEntry.supersedes_id).is_not(None)
        )
        q = q.where(col(ContactEntry.id).not_in(newer))
    return q


def count_contacts(session: Session, *, case_id: int, flt: ContactFilter | None = None) -> int:
    q = _filtered(case_id, flt or ContactFilter()).subquery()
    return int(session.exec(select(func.count()).select_from(q)).one())


def list_contacts(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    flt: ContactFilter | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[ContactRow]:
    """A page of a case's contact log, newest first (by when it happened, then logged order)."""
    actor.require("case.read")
    require_visible(session, actor, case_id, "contact log")
    q = (
        _filtered(case_id, flt or ContactFilter())
        .order_by(col(ContactEntry.occurred_at).desc(), col(ContactEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    entries = list(session.exec(q).all())
    if not entries:
        return []
    ids = [e.id for e in entries]
    staff_ids = {e.staff_id for e in entries}
    names = dict(
        session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(staff_ids))).all()
    )
    successors = dict(
        session.exec(
            select(ContactEntry.supersedes_id, ContactEntry.id).where(
                col(ContactEntry.supersedes_id).in_(ids)
            )
        ).all()
    )
    return [
        ContactRow(ContactInfo.of(e), names.get(e.staff_id, "?"), successors.get(e.id))
        for e in entries
    ]
