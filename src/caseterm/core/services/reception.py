"""The reception desk: today's expected arrivals at one office, check-in, walk-ins and the close
of session. A desk sees names, times, whom they are seeing and desk warnings — never case
details, contact logs or restricted information beyond "refer to duty manager". An appointment
on a case the desk user may not see shows "Restricted" with no date of birth, exactly as the
diary and search show it (`access.shown_person`): the service returns masked rows, so no screen
can show more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    Office,
    Person,
    PersonName,
    PersonWarning,
    Staff,
)
from caseterm.core.models.vocab import AppointmentStatus, CaseStatus, Outcome
from caseterm.core.rules.catalogue import WARNING_KINDS, appointment_kind_label, label
from caseterm.core.services import diary, search, tasks
from caseterm.core.services.access import (
    can_see,
    hidden_people,
    hidden_restricted,
    shown_person,
)
from caseterm.core.services.common import get
from caseterm.core.services.contacts import ContactInfo, log_contact
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.services.task_info import TaskInfo
from caseterm.core.text import clean_line, fold

DESK = "reception.desk"
LATE_AFTER = timedelta(minutes=10)
RESTRICTED_DESK_WARNING = "Restricted — refer to duty manager"
SHOWN_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.SEEN,
    AppointmentStatus.FAILED_TO_ATTEND,
)


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


@dataclass(frozen=True)
class _Warning:
    """What the desk shows of one active warning."""

    kind: str
    desk_text: str


def _warnings_by_person(session: Session, person_ids: set[int]) -> dict[int, list[_Warning]]:
    """Active warnings of many people in one query."""
    out: dict[int, list[_Warning]] = {}
    if not person_ids:
        return out
    rows = session.execute(
        select(PersonWarning.person_id, PersonWarning.kind, PersonWarning.desk_text)
        .where(col(PersonWarning.person_id).in_(person_ids), col(PersonWarning.active).is_(True))
        .order_by(col(PersonWarning.id))
    ).all()
    for person_id, kind, desk_text in rows:
        out.setdefault(person_id, []).append(_Warning(kind, desk_text))
    return out


def _desk_needs(
    session: Session, person_ids: set[int]
) -> dict[int, tuple[bool, str, list[_Warning]]]:
    """Each person's interpreter need (whether, which language) and active warnings, in one
    query (the desk's search reads them on every key press)."""
    out: dict[int, tuple[bool, str, list[_Warning]]] = {}
    if not person_ids:
        return out
    rows = session.execute(
        select(  # type: ignore[call-overload]
            Person.id,
            Person.interpreter,
            Person.language,
            PersonWarning.kind,
            PersonWarning.desk_text,
        )
        .select_from(Person)
        .outerjoin(
            PersonWarning,
            and_(
                col(PersonWarning.person_id) == col(Person.id),
                col(PersonWarning.active).is_(True),
            ),
        )
        .where(col(Person.id).in_(person_ids))
        .order_by(col(PersonWarning.id))
    ).all()
    for person_id, interpreter, language, kind, desk_text in rows:
        _, _, warnings = out.setdefault(person_id, (bool(interpreter), language or "", []))
        if kind is not None:
            warnings.append(_Warning(kind, desk_text))
    return out


def _desk_texts(
    interpreter: bool, language: str, warnings: list[_Warning], restricted: bool
) -> list[str]:
    """What the desk must know: desk text of active warnings, interpreter needs, and for a
    restricted case only that it must be referred to the duty manager."""
    out: list[str] = [RESTRICTED_DESK_WARNING] if restricted else []
    for w in warnings:
        text = w.desk_text or label(WARNING_KINDS, w.kind)
        if text not in out:
            out.append(text)
    if interpreter and not any(t.lower().startswith("interpreter") for t in out):
        out.append(f"Interpreter: {language}")
    return out


@dataclass
class _Today:
    """One of today's appointments with what the desk shows of it (plain values: building
    ORM objects for a day's list costs more than the query)."""

    appointment_id: int
    starts_at: datetime
    status: str
    arrived_at: datetime | None
    kind: str
    version: int
    staff_id: int
    staff_name: str
    person_id: int | None
    person_name: str
    date_of_birth: str
    interpreter: bool
    language: str
    restricted: bool


def _today(
    session: Session,
    actor: Actor,
    office_id: int,
    *,
    waiting_only: bool = False,
    among: Any | None = None,
) -> list[_Today]:
    """Today's shown appointments at the office with their people, staff and whether the case
    is hidden from the actor: one query however long the day is, and one more only when some
    of its cases are restricted and not the actor's own (the access lists are then looked up
    for those cases together, `hidden_case_ids`; testing every row against them in the one
    query made PostgreSQL hash every case's access list on each of the desk's key presses).
    `waiting_only`: only people still expected or arrived (what the desk's search looks among;
    late in the day a small part of the day's list). `among`: a further condition on the rows
    (the desk's search: only those who might match what was typed)."""
    statuses: tuple[str, ...] = SHOWN_STATUSES
    only_people: list[Any] = []
    if waiting_only:
        statuses = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
        only_people = [col(Appointment.person_id).is_not(None)]
    if among is not None:
        only_people.append(among)
    start = datetime.combine(clock.today(), datetime.min.time())
    rows = session.execute(
        select(  # type: ignore[call-overload,misc]
            Appointment.id,
            Appointment.starts_at,
            Appointment.status,
            Appointment.arrived_at,
            Appointment.kind,
            Appointment.version,
            Appointment.staff_id,
            Appointment.person_id,
            Person.given_name,
            Person.family_name,
            Person.date_of_birth,
            Person.interpreter,
            Person.language,
            Staff.name,
            Appointment.case_id,
            CaseFile.restricted,
            CaseFile.owner_id,
            CaseFile.admin_owner_id,
        )
        .join(Person, col(Person.id) == col(Appointment.person_id), isouter=True)
        .join(Staff, col(Staff.id) == col(Appointment.staff_id))
        .join(CaseFile, col(CaseFile.id) == col(Appointment.case_id), isouter=True)
        .where(
            Appointment.office_id == office_id,
            col(Appointment.starts_at) >= start,
            col(Appointment.starts_at) < start + timedelta(days=1),
            col(Appointment.status).in_(statuses),
            *only_people,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    hidden = hidden_restricted(
        session,
        actor,
        cases=((r.case_id, r.restricted, r.owner_id, r.admin_owner_id) for r in rows),
    )
    out = []
    for r in rows:
        name = f"{r.given_name} {r.family_name}".strip() if r.person_id else "(no person)"
        shown = shown_person(name, r.date_of_birth, hidden=r.case_id in hidden)
        out.append(
            _Today(
                appointment_id=r.id,
                starts_at=r.starts_at,
                status=r.status,
                arrived_at=r.arrived_at,
                kind=r.kind,
                version=r.version,
                staff_id=r.staff_id,
                staff_name=r.name,
                person_id=r.person_id,
                person_name=shown.name,
                date_of_birth=f"{shown.date_of_birth:%d/%m/%Y}" if shown.date_of_birth else "",
                interpreter=bool(r.interpreter),
                language=r.language or "",
                restricted=shown.restricted,
            )
        )
    return out


def _row(t: _Today, warnings: list[_Warning], now: datetime) -> DeskRow:
    waited = None
    if t.status == "arrived" and t.arrived_at is not None:
        waited = max(0, int((now - t.arrived_at).total_seconds() // 60))
    return DeskRow(
        appointment_id=t.appointment_id,
        starts_at=t.starts_at,
        person_id=t.person_id,
        person_name=t.person_name,
        date_of_birth=t.date_of_birth,
        staff_id=t.staff_id,
        staff_name=t.staff_name,
        kind=appointment_kind_label(t.kind),
        status="expected" if t.status == AppointmentStatus.BOOKED else t.status,
        arrived_at=t.arrived_at,
        minutes_waited=waited,
        late=t.status == AppointmentStatus.BOOKED and now > t.starts_at + LATE_AFTER,
        warnings=_desk_texts(t.interpreter, t.language, warnings, t.restricted),
        version=t.version,
    )


def expected_today(session: Session, actor: Actor, *, office_id: int) -> list[DeskRow]:
    """Today's appointments at `office_id`, in time order, with arrival state and wait times."""
    actor.require(DESK)
    today = _today(session, actor, office_id)
    warnings = _warnings_by_person(session, {t.person_id for t in today if t.person_id})
    now = clock.now()
    return [_row(t, warnings.get(t.person_id or 0, []), now) for t in today]


def desk_search(
    session: Session, actor: Actor, *, office_id: int, text: str, limit: int = 10
) -> list[DeskMatch]:
    """Type-ahead for the desk: today's expected and waiting people at this office first (by
    name, date of birth or a search hit), then everyone (typo-tolerant), showing only what a
    desk needs: name, date of birth, today's appointment and desk warnings."""
    actor.require(DESK)
    text = text.strip()
    if not text:
        return []
    hits = search.search(session, actor, text=text, limit=limit, desk=True)
    hit_ids = {h.person_id for h in hits}
    wanted = fold(text)
    today = _today(
        session, actor, office_id, waiting_only=True, among=_might_match(hit_ids, wanted, text)
    )
    chosen: list[tuple[int, str, str, int | None, bool]] = []  # person, name, dob, appt, restricted
    seen: set[int] = set()
    for t in today:
        pid = t.person_id or 0
        matches = (
            pid in hit_ids or (wanted and wanted in fold(t.person_name)) or text == t.date_of_birth
        )
        if matches and pid not in seen:
            seen.add(pid)
            chosen.append((pid, t.person_name, t.date_of_birth, t.appointment_id, t.restricted))
    for hit in hits:
        if hit.person_id not in seen:
            seen.add(hit.person_id)
            dob = f"{hit.date_of_birth:%d/%m/%Y}" if hit.date_of_birth else ""
            chosen.append((hit.person_id, hit.name, dob, None, hit.restricted))
    chosen = chosen[:limit]
    needs = _desk_needs(session, {c[0] for c in chosen})
    return [
        DeskMatch(
            pid,
            name,
            dob,
            appt,
            _desk_texts(*needs.get(pid, (False, "", [])), restricted),
        )
        for pid, name, dob, appt, restricted in chosen
    ]


def _might_match(hit_ids: set[int], wanted: str, text: str) -> Any:
    """Today's appointments the desk's search may offer for what was typed, as a condition
    for the day's query (a large office's waiting list is not read whole on every key press):
    a person found by the search, whose name (as shown, folded) contains the text typed, born
    on the date typed, or on a restricted case (its masked name is matched as shown, below)."""
    found: list[Any] = [col(Appointment.person_id).in_(sorted(hit_ids))] if hit_ids else []
    if wanted:
        named = (
            select(PersonName.id)
            .where(
                col(PersonName.person_id) == col(Appointment.person_id),
                col(PersonName.kind) == "primary",  # the name shown: given and family, folded
                col(PersonName.folded).contains(wanted, autoescape=True),
            )
            .exists()
        )
        found.append(named)
    try:
        born = datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        born = None
    if born is not None:
        found.append(col(Person.date_of_birth) == born)
    found.append(col(CaseFile.restricted).is_(True))
    return or_(*found)


@dataclass
class CheckIn:
    appointment_id: int
    contact_entry_id: int | None
    notified: list[int]


def check_in(session: Session, actor: Actor, appointment_id: int) -> CheckIn:
    """The person has arrived: the appointment becomes arrived, "reported at reception" is logged
    on the case, and the member of staff they are seeing and the case owner are notified."""
    actor.require(DESK)
    appt = diary.mark_arrived(session, actor, appointment_id=appointment_id, notify_staff=False)
    entry: ContactInfo | None = None
    case = session.get(CaseFile, appt.case_id) if appt.case_id else None
    if case is not None:
        entry = log_contact(
            session,
            actor,
            case_id=case.id or 0,
            contact_type="reception",
            notes="Reported at reception",
            occurred_at=clock.now(),
            appointment_id=appt.id,
            capability=DESK,
        )
    person = session.get(Person, appt.person_id) if appt.person_id else None
    who = person.full_name if person else "Your visitor"
    text = f"{who} has arrived for {appt.starts_at:%H:%M} {appointment_kind_label(appt.kind)}"
    recipients = [appt.staff_id] + ([case.owner_id] if case and case.owner_id else [])
    notified: list[int] = []
    for staff_id in dict.fromkeys(recipients):
        notify(session, recipient_id=staff_id, kind="arrival", text=text, case_id=appt.case_id)
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
) -> TaskInfo:
    """Someone came in without an appointment today: it is logged (on their latest open case, if
    they have one) and becomes an unallocated walk-in task in the office's duty queue."""
    actor.require(DESK)
    office = get(session, Office, office_id, "office")
    reason = clean_line("reason", reason, limit=300)
    person = get(session, Person, person_id, "person") if person_id is not None else None
    if person is not None:
        # The task goes to the office's duty queue: no name the desk may not see goes with it.
        hidden = person.id in hidden_people(session, actor, person_ids=[person.id])
        who = shown_person(person.full_name, None, hidden=hidden).name
    else:
        who = clean_line("name", name, limit=120)
    case = None
    if person is not None:
        case = session.exec(
            select(CaseFile)
            .where(
                CaseFile.subject_id == person.id,
                col(CaseFile.status).in_(
                    (CaseStatus.OPEN, CaseStatus.REFERRAL, CaseStatus.TRANSFER_PENDING)
                ),
            )
            .order_by(col(CaseFile.id).desc())
        ).first()
    if case is not None:
        log_contact(
            session,
            actor,
            case_id=case.id or 0,
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
        status=CaseStatus.OPEN,
        source=f"Reception, {office.name}",
    )


def not_arrived(session: Session, actor: Actor, office_id: int) -> list[DeskRow]:
    """Today's appointments at the office that started and never arrived."""
    now = clock.now()
    return [
        r
        for r in expected_today(session, actor, office_id=office_id)
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
            appointment_id=appt_id,
            outcome=Outcome.FAILED_TO_ATTEND,
            notes="Did not arrive; marked at close of reception session",
            capability=DESK,
        )
        entries.append(entry.id or 0)
    return entries
