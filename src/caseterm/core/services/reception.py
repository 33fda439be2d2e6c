"""The reception desk: today's expected arrivals at one office, check-in, walk-ins and the close
of session. A desk sees names, times, whom they are seeing and desk warnings — never case
details, contact logs or restricted information beyond "refer to duty manager"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    ContactEntry,
    Office,
    Person,
    Staff,
    Task,
)
from caseterm.core.rules.catalogue import WARNING_KINDS, label
from caseterm.core.services import diary, people, search, tasks
from caseterm.core.services.access import can_see
from caseterm.core.services.common import get
from caseterm.core.services.contacts import log_contact
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.text import clean_line, fold

DESK = "reception.desk"
LATE_AFTER = timedelta(minutes=10)
RESTRICTED_DESK_WARNING = "Restricted — refer to duty manager"
SHOWN_STATUSES = ("booked", "arrived", "seen", "failed_to_attend")


@dataclass
class DeskRow:
    appointment_id: int
    starts_at: datetime
    person_id: int | None
    person_name: str
    date_of_birth: str
    staff_id: int
    staff_name: str
    kind: str
    status: str  # expected | arrived | seen | failed_to_attend
    arrived_at: datetime | None
    minutes_waited: int | None
    late: bool
    warnings: list[str] = field(default_factory=list)
    version: int = 1


@dataclass
class DeskMatch:
    person_id: int
    name: str
    date_of_birth: str
    appointment_id: int | None  # today's appointment at this office, if any
    warnings: list[str] = field(default_factory=list)


def desk_warnings(
    session: Session, actor: Actor, person: Person | None, case: CaseFile | None
) -> list[str]:
    """What the desk must know: desk text of active warnings, interpreter needs, and for a
    restricted case only that it must be referred to the duty manager."""
    out: list[str] = []
    if case is not None and not can_see(session, actor, case):
        out.append(RESTRICTED_DESK_WARNING)
    if person is None:
        return out
    rows = people.warnings_for(session, person.id or 0)
    for w in rows:
        text = w.desk_text or label(WARNING_KINDS, w.kind)
        if text not in out:
            out.append(text)
    if person.interpreter:
        needed = f"Interpreter: {person.language}"
        if not any(t.lower().startswith("interpreter") for t in out):
            out.append(needed)
    return out


def _row(session: Session, actor: Actor, appt: Appointment, now: datetime) -> DeskRow:
    person = session.get(Person, appt.person_id) if appt.person_id else None
    case = session.get(CaseFile, appt.case_id) if appt.case_id else None
    staff = session.get(Staff, appt.staff_id)
    status = "expected" if appt.status == "booked" else appt.status
    waited = None
    if appt.status == "arrived" and appt.arrived_at is not None:
        waited = max(0, int((now - appt.arrived_at).total_seconds() // 60))
    return DeskRow(
        appointment_id=appt.id or 0,
        starts_at=appt.starts_at,
        person_id=appt.person_id,
        person_name=person.full_name if person else "(no person)",
        date_of_birth=f"{person.date_of_birth:%d/%m/%Y}" if person and person.date_of_birth else "",
        staff_id=appt.staff_id,
        staff_name=staff.name if staff else "?",
        kind=diary.kind_label(appt.kind),
        status=status,
        arrived_at=appt.arrived_at,
        minutes_waited=waited,
        late=appt.status == "booked" and now > appt.starts_at + LATE_AFTER,
        warnings=desk_warnings(session, actor, person, case),
        version=appt.version,
    )


def expected_today(session: Session, actor: Actor, office_id: int) -> list[DeskRow]:
    """Today's appointments at `office_id`, in time order, with arrival state and wait times."""
    actor.require(DESK)
    now = clock.now()
    start = datetime.combine(now.date(), datetime.min.time())
    appts = session.exec(
        select(Appointment)
        .where(
            Appointment.office_id == office_id,
            col(Appointment.starts_at) >= start,
            col(Appointment.starts_at) < start + timedelta(days=1),
            col(Appointment.status).in_(SHOWN_STATUSES),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    return [_row(session, actor, a, now) for a in appts]


def desk_search(
    session: Session, actor: Actor, office_id: int, text: str, *, limit: int = 15
) -> list[DeskMatch]:
    """Type-ahead for the desk: today's expected people at this office first (by name, date of
    birth or case reference), then everyone (typo-tolerant), showing only what a desk needs."""
    actor.require(DESK)
    text = text.strip()
    if not text:
        return []
    today_rows = expected_today(session, actor, office_id)
    hits = search.search(session, actor, text, limit=limit, desk=True)
    hit_ids = [h.person_id for h in hits]
    wanted = fold(text)
    matches: list[DeskMatch] = []
    seen: set[int] = set()
    for row in today_rows:
        if row.person_id is None or (row.status != "expected" and row.status != "arrived"):
            continue
        by_name = wanted and wanted in fold(row.person_name)
        by_dob = text == row.date_of_birth
        if (row.person_id in hit_ids or by_name or by_dob) and row.person_id not in seen:
            seen.add(row.person_id)
            matches.append(
                DeskMatch(
                    row.person_id,
                    row.person_name,
                    row.date_of_birth,
                    row.appointment_id,
                    row.warnings,
                )
            )
    for hit in hits:
        if hit.person_id in seen:
            continue
        seen.add(hit.person_id)
        person = session.get(Person, hit.person_id)
        matches.append(
            DeskMatch(
                hit.person_id,
                hit.name,
                f"{hit.date_of_birth:%d/%m/%Y}" if hit.date_of_birth else "",
                None,
                desk_warnings(session, actor, person, None)
                + ([RESTRICTED_DESK_WARNING] if hit.restricted else []),
            )
        )
    return matches[:limit]


@dataclass
class CheckIn:
    appointment_id: int
    contact_entry_id: int | None
    notified: list[int]


def check_in(session: Session, actor: Actor, appointment_id: int) -> CheckIn:
    """The person has arrived: the appointment becomes arrived, "reported at reception" is logged
    on the case, and the member of staff they are seeing and the case owner are notified."""
    actor.require(DESK)
    appt = diary.mark_arrived(session, actor, appointment_id, notify_staff=False)
    entry: ContactEntry | None = None
    case = session.get(CaseFile, appt.case_id) if appt.case_id else None
    if case is not None:
        entry = log_contact(
            session,
            actor,
            case.id or 0,
            contact_type="reception",
            notes="Reported at reception",
            occurred_at=clock.now(),
            appointment_id=appt.id,
            capability=DESK,
        )
    person = session.get(Person, appt.person_id) if appt.person_id else None
    who = person.full_name if person else "Your visitor"
    text = f"{who} has arrived for {appt.starts_at:%H:%M} {diary.kind_label(appt.kind)}"
    recipients = [appt.staff_id] + ([case.owner_id] if case and case.owner_id else [])
    notified: list[int] = []
    for staff_id in dict.fromkeys(recipients):
        notify(session, staff_id, "arrival", text, case_id=appt.case_id)
        notified.append(staff_id)
    return CheckIn(appt.id or 0, entry.id if entry else None, notified)


def walk_in(
    session: Session,
    actor: Actor,
    office_id: int,
    *,
    person_id: int | None = None,
    name: str = "",
    reason: str,
) -> Task:
    """Someone came in without an appointment today: it is logged (on their latest open case, if
    they have one) and becomes an unallocated walk-in task in the office's duty queue."""
    actor.require(DESK)
    office = get(session, Office, office_id, "office")
    reason = clean_line("reason", reason, limit=300)
    person = get(session, Person, person_id, "person") if person_id is not None else None
    who = person.full_name if person else clean_line("name", name, limit=120)
    case = None
    if person is not None:
        case = session.exec(
            select(CaseFile)
            .where(
                CaseFile.subject_id == person.id,
                col(CaseFile.status).in_(("open", "referral", "transfer_pending")),
            )
            .order_by(col(CaseFile.id).desc())
        ).first()
    if case is not None:
        log_contact(
            session,
            actor,
            case.id or 0,
            contact_type="reception",
            notes=f"Walk-in at reception (no appointment): {reason}",
            capability=DESK,
        )
    return tasks.create_task(
        session,
        actor,
        kind="walk_in",
        title=f"Walk-in: {who}",
        details=reason,
        person_id=person.id if person else None,
        case_id=case.id if case is not None and can_see(session, actor, case) else None,
        office_id=office.id,
        due_date=clock.today(),
        priority=2,
        status="open",
        source=f"Reception, {office.name}",
    )


def not_arrived(session: Session, actor: Actor, office_id: int) -> list[DeskRow]:
    """Today's appointments at the office that started and never arrived."""
    now = clock.now()
    return [
        r
        for r in expected_today(session, actor, office_id)
        if r.status == "expected" and r.starts_at <= now
    ]


def close_session(
    session: Session, actor: Actor, office_id: int, appointment_ids: list[int]
) -> list[int]:
    """Mark the confirmed not-arrived appointments failed to attend: each logs its contact entry
    and raises a follow-up task for the owner (and enforcement when the case type's limit of
    unacceptable failures within its window is reached). Returns the contact entry ids."""
    actor.require(DESK)
    allowed = {r.appointment_id for r in not_arrived(session, actor, office_id)}
    unknown = [a for a in appointment_ids if a not in allowed]
    if unknown:
        raise ValidationError(
            "appointments", f"{unknown[0]} is not a today's not-arrived appointment here"
        )
    entries: list[int] = []
    for appt_id in appointment_ids:
        entry = diary.record_outcome(
            session,
            actor,
            appt_id,
            "failed_to_attend",
            notes="Did not arrive; marked at close of reception session",
            capability=DESK,
        )
        entries.append(entry.id or 0)
    return entries
