"""The diary: book (once or recurring), reschedule, cancel, mark arrived and record outcomes of
appointments, with clash detection for staff, room and person; day and range views.

Recording an outcome logs a contact entry linked to the appointment and applies the breach rule:
a failure to attend raises a follow-up task for the case owner, and reaching the case type's
limit of unacceptable absences within its window raises one enforcement task.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from types import EllipsisType

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ConflictError, ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    Person,
    Room,
    Staff,
)
from caseterm.core.models.vocab import (
    ACTIVE_APPOINTMENT_STATUSES,
    AppointmentKind,
    AppointmentStatus,
    ContactType,
    Outcome,
)
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, OUTCOMES
from caseterm.core.rules.catalogue import appointment_kind_label as kind_label
from caseterm.core.rules.recurrence import MAX_OCCURRENCES, occurrence_starts
from caseterm.core.services import audit, raised_tasks
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import check_version, ensure_case_open, get, touch
from caseterm.core.services.contacts import APPOINTMENT_RESULTS, ContactInfo, log_contact
from caseterm.core.services.diary_attendees import add_attendees, attendee_list, check_attendees
from caseterm.core.services.diary_conflicts import MAX_LENGTH, find_conflicts
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.text import clean_line, clean_notes

PAST_SLACK = timedelta(days=1)  # a booking may be entered up to a day after it happened
# Outcomes an appointment can have, and those that mean the person did not come.
APPOINTMENT_OUTCOMES = APPOINTMENT_RESULTS
ABSENT_OUTCOMES = frozenset({Outcome.FAILED_TO_ATTEND, Outcome.UNACCEPTABLE_ABSENCE})
CONTACT_TYPE_FOR_KIND: dict[str, str] = {
    AppointmentKind.COURT_HEARING: ContactType.COURT,
    AppointmentKind.TRIBUNAL: ContactType.COURT,
}
APPOINTMENT_FIELDS = (
    "case_id",
    "person_id",
    "staff_id",
    "room_id",
    "office_id",
    "starts_at",
    "ends_at",
    "kind",
    "status",
    "location",
    "series_id",
    "recurrence",
    "rescheduled_to_id",
    "arrived_at",
    "outcome_contact_id",
)


def _check_times(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    starts_at, ends_at = starts_at.replace(microsecond=0), ends_at.replace(microsecond=0)
    if ends_at <= starts_at:
        raise ValidationError("ends_at", "must be after the start")
    if ends_at - starts_at > MAX_LENGTH:
        raise ValidationError("ends_at", "an appointment lasts at most 24 hours")
    if starts_at < clock.now() - PAST_SLACK:
        raise ValidationError("starts_at", "is more than a day in the past")
    return starts_at, ends_at


def _check_staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise ValidationError("staff", f"no member of staff with id {staff_id}")
    if not staff.active:
        raise ValidationError("staff", f"{staff.name} is disabled")
    return staff


def _check_room(session: Session, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    room = session.get(Room, room_id)
    if room is None:
        raise ValidationError("room", f"no room with id {room_id}")
    return room


def book_appointment(
    session: Session,
    actor: Actor,
    *,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    case_id: int | None = None,
    person_id: int | None = None,
    room_id: int | None = None,
    office_id: int | None = None,
    location: str = "",
    notes: str = "",
    recurrence: str = "",
    occurrences: int = 1,
    until: date | None = None,
    attendee_ids: Sequence[int] = (),
    guests: Sequence[str] = (),
    allow_conflicts: bool = False,
) -> list[AppointmentView]:
    """Book an appointment, or a series (daily, weekly, fortnightly or monthly; `occurrences`
    times or `until` a date; up to 52) sharing a series id, with other staff (`attendee_ids`)
    and people outside caseterm (`guests`) attending. The person defaults to the case subject,
    the office to the room's or the staff member's. Any clash of the staff, an attendee, the
    room or the person in any occurrence refuses the whole booking with ConflictError listing
    them all, unless `allow_conflicts`; a disabled attendee is refused."""
    actor.require("diary.write")
    starts_at, ends_at = _check_times(starts_at, ends_at)
    if kind not in APPOINTMENT_KINDS:
        raise ValidationError(
            "kind", f"unknown kind {kind!r}; use one of {', '.join(APPOINTMENT_KINDS)}"
        )
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise ValidationError("occurrences", f"must be between 1 and {MAX_OCCURRENCES}")
    starts = occurrence_starts(starts_at, recurrence, occurrences=occurrences, until=until)
    staff = _check_staff(session, staff_id)
    attending = check_attendees(
        session, staff_id=staff_id, attendee_ids=attendee_ids, guests=guests
    )
    room = _check_room(session, room_id)
    case = get(session, CaseFile, case_id, "case") if case_id is not None else None
    if case is not None:
        ensure_can_see(session, actor, case, "diary")
        ensure_case_open(case, "book an appointment")
    if person_id is not None:
        get(session, Person, person_id, "person")
    elif case is not None:
        person_id = case.subject_id
    if room is not None and office_id is not None and room.office_id != office_id:
        raise ValidationError("room", f"{room.name} is in another office")
    if office_id is None:
        office_id = room.office_id if room is not None else staff.office_id
    location = clean_line("location", location, required=False, limit=200)
    notes = clean_notes("notes", notes, limit=2000)
    length = ends_at - starts_at
    clashes: list[str] = []
    for start in starts:
        found = find_conflicts(
            session,
            staff_id=staff_id,
            starts_at=start,
            ends_at=start + length,
            room_id=room_id,
            person_id=person_id,
            attendee_ids=attending.staff_ids,
        )
        prefix = f"{start:%d/%m/%Y}: " if len(starts) > 1 else ""
        clashes.extend(prefix + c for c in found)
    if clashes and not allow_conflicts:
        raise ConflictError(clashes)
    booked: list[Appointment] = []
    for start in starts:
        appt = Appointment(
            case_id=case_id,
            person_id=person_id,
            staff_id=staff_id,
            room_id=room_id,
            office_id=office_id,
            starts_at=start,
            ends_at=start + length,
            kind=kind,
            location=location,
            notes=notes,
            recurrence=recurrence,
            series_id=booked[0].id if booked else None,
            updated_by_id=actor.id,
        )
        session.add(appt)
        session.flush()
        if len(starts) > 1 and not booked:
            appt.series_id = appt.id
        add_attendees(session, appt.id or 0, attending)
        booked.append(appt)
    session.flush()
    over = f" (booked over {len(clashes)} clash(es): {'; '.join(clashes)})" if clashes else ""
    others = len(attending.staff_ids) + len(attending.guests)
    over += f" and {others} attendee(s)" if others else ""
    for appt in booked:
        audit.record(
            session,
            actor,
            "diary.book",
            "appointment",
            appt.id,
            case_id=case_id,
            person_id=person_id,
            summary=f"{kind_label(kind)} {appt.starts_at:%d/%m/%Y %H:%M} with {staff.name}{over}",
            after=audit.snapshot(appt, APPOINTMENT_FIELDS),
        )
    more = f" (+{len(starts) - 1} more)" if len(starts) > 1 else ""
    when = f"{starts_at:%a %d/%m %H:%M}{more}"
    for who in dict.fromkeys((staff_id, *attending.staff_ids)):
        if who != actor.id:
            notify(
                session,
                recipient_id=who,
                kind="diary",
                text=f"{actor.name} booked you a {kind_label(kind)} on {when}",
                case_id=case_id,
            )
    return [AppointmentView.of(a) for a in booked]


def _load(
    session: Session,
    actor: Actor,
    appointment_id: int,
    expected_version: int | None,
    *,
    check_access: bool = True,
) -> tuple[Appointment, dict[str, object]]:
    appt = get(session, Appointment, appointment_id, "appointment")
    if check_access and appt.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, appt.case_id, "case"), "diary")
    check_version(session, appt, expected_version, f"appointment {appt.id}")
    return appt, audit.snapshot(appt, APPOINTMENT_FIELDS)


def _finish(
    session: Session,
    actor: Actor,
    appt: Appointment,
    before: dict[str, object],
    action: str,
    summary: str,
) -> Appointment:
    touch(appt, actor.id)
    old, new = audit.changed(before, audit.snapshot(appt, APPOINTMENT_FIELDS))
    audit.record(
        session,
        actor,
        action,
        "appointment",
        appt.id,
        case_id=appt.case_id,
        person_id=appt.person_id,
        summary=f"{kind_label(appt.kind)} {appt.starts_at:%d/%m/%Y %H:%M}: {summary}",
        before=old,
        after=new,
    )
    session.flush()
    return appt


def _require_status(appt: Appointment, allowed: tuple[str, ...], doing: str) -> None:
    if appt.status not in allowed:
        raise ValidationError(
            "status", f"cannot {doing} appointment {appt.id}: it is {appt.status.replace('_', ' ')}"
        )


def reschedule_appointment(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    starts_at: datetime,
    ends_at: datetime,
    room_id: int | EllipsisType | None = ...,
    staff_id: int | EllipsisType = ...,
    expected_version: int | None = None,
    allow_conflicts: bool = False,
) -> AppointmentView:
    """Move a booked appointment: the old one becomes "rescheduled" and points to a new booked
    one (same case, person, kind and series) at the new time. Room and staff stay unless given
    (room None means no room). Clashes refuse it unless `allow_conflicts`."""
    actor.require("diary.write")
    old, before = _load(session, actor, appointment_id, expected_version)
    _require_status(old, (AppointmentStatus.BOOKED,), "reschedule")
    starts_at, ends_at = _check_times(starts_at, ends_at)
    new_room = old.room_id if isinstance(room_id, EllipsisType) else room_id
    new_staff = old.staff_id if isinstance(staff_id, EllipsisType) else staff_id
    staff = _check_staff(session, new_staff)
    room = _check_room(session, new_room)
    attending = attendee_list(session, old.id or 0)
    clashes = find_conflicts(
        session,
        staff_id=new_staff,
        starts_at=starts_at,
        ends_at=ends_at,
        room_id=new_room,
        person_id=old.person_id,
        exclude_id=old.id,
        attendee_ids=attending.staff_ids,
    )
    if clashes and not allow_conflicts:
        raise ConflictError(clashes)
    office_id = (
        room.office_id
        if room is not None
        else old.office_id
        if new_room is None and new_staff == old.staff_id
        else staff.office_id
    )
    new = Appointment(
        case_id=old.case_id,
        person_id=old.person_id,
        staff_id=new_staff,
        room_id=new_room,
        office_id=office_id,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=old.kind,
        location=old.location,
        notes=old.notes,
        series_id=old.series_id,
        recurrence=old.recurrence,
        updated_by_id=actor.id,
    )
    session.add(new)
    session.flush()
    add_attendees(session, new.id or 0, attending)
    audit.record(
        session,
        actor,
        "diary.book",
        "appointment",
        new.id,
        case_id=new.case_id,
        person_id=new.person_id,
        summary=f"{kind_label(new.kind)} {starts_at:%d/%m/%Y %H:%M} with {staff.name} "
        f"(rescheduled from {old.starts_at:%d/%m/%Y %H:%M})",
        after=audit.snapshot(new, APPOINTMENT_FIELDS),
    )
    old.status = AppointmentStatus.RESCHEDULED
    old.rescheduled_to_id = new.id
    over = f" over clash: {'; '.join(clashes)}" if clashes else ""
    _finish(
        session,
        actor,
        old,
        before,
        "diary.reschedule",
        f"moved to {starts_at:%d/%m/%Y %H:%M}{over}",
    )
    for who in {old.staff_id, new_staff} - {actor.id}:
        notify(
            session,
            recipient_id=who,
            kind="diary",
            text=f"{actor.name} moved a {kind_label(new.kind)} from {old.starts_at:%a %d/%m %H:%M} "
            f"to {starts_at:%a %d/%m %H:%M}",
            case_id=new.case_id,
        )
    return AppointmentView.of(new)


def cancel_appointment(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    reason: str,
    expected_version: int | None = None,
) -> AppointmentView:
    """Cancel a booked (or arrived) appointment, giving the reason; it is added to the notes."""
    actor.require("diary.write")
    appt, before = _load(session, actor, appointment_id, expected_version)
    _require_status(appt, ACTIVE_APPOINTMENT_STATUSES, "cancel")
    why = clean_line("reason", reason)
    appt.status = AppointmentStatus.CANCELLED
    line = f"Cancelled {clock.now():%d/%m/%Y %H:%M} by {actor.name}: {why}"
    appt.notes = clean_notes("notes", f"{appt.notes}\n{line}" if appt.notes else line, limit=2000)
    if appt.staff_id != actor.id:
        notify(
            session,
            recipient_id=appt.staff_id,
            kind="diary",
            text=(
                f"{actor.name} cancelled your {appt.starts_at:%a %d/%m %H:%M} "
                f"{kind_label(appt.kind)}"
            ),
            case_id=appt.case_id,
        )
    return AppointmentView.of(
        _finish(session, actor, appt, before, "diary.cancel", f"cancelled: {why}")
    )


def mark_arrived(
    session: Session, actor: Actor, *, appointment_id: int, notify_staff: bool = True
) -> AppointmentView:
    """Reception: the person for today's booked appointment has arrived. Notifies the member of
    staff (unless `notify_staff` is False); logs no contact entry (the check-in does that)."""
    actor.require("reception.desk")
    appt = get(session, Appointment, appointment_id, "appointment")
    before = audit.snapshot(appt, APPOINTMENT_FIELDS)
    _require_status(appt, (AppointmentStatus.BOOKED,), "check in")
    if appt.starts_at.date() != clock.today():
        raise ValidationError("appointment", f"is on {appt.starts_at:%d/%m/%Y}, not today")
    appt.status = AppointmentStatus.ARRIVED
    appt.arrived_at = clock.now()
    if notify_staff:
        case = session.get(CaseFile, appt.case_id) if appt.case_id else None
        ref = f" ({case.reference})" if case else ""
        notify(
            session,
            recipient_id=appt.staff_id,
            kind="arrival",
            text=f"Your {appt.starts_at:%H:%M} {kind_label(appt.kind)} has arrived{ref}",
            case_id=appt.case_id,
        )
    return AppointmentView.of(
        _finish(session, actor, appt, before, "diary.arrived", f"arrived {clock.now():%H:%M}")
    )


def record_outcome(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    outcome: str,
    notes: str = "",
    expected_version: int | None = None,
    capability: str = "diary.write",
) -> ContactInfo:
    """Record what happened at an appointment: logs a contact entry (court for hearings and
    tribunals, face to face otherwise) linked to it, and sets it seen, or failed to attend for
    a failure to attend or an unacceptable absence. A failure to attend raises a follow-up task
    for the case owner; reaching the case type's limit of unacceptable absences within its window
    raises one enforcement task. `capability` lets the reception desk ("reception.desk") record
    the not-arrived at close of session."""
    actor.require(capability)
    # The desk records the not-arrived without seeing the case (as it checks people in).
    desk = capability != "diary.write"
    appt, before = _load(session, actor, appointment_id, expected_version, check_access=not desk)
    _require_status(appt, ACTIVE_APPOINTMENT_STATUSES, "record the outcome of")
    if outcome not in APPOINTMENT_OUTCOMES:
        raise ValidationError(
            "outcome",
            f"use one of {', '.join(OUTCOMES[o] for o in APPOINTMENT_OUTCOMES)}",
        )
    if appt.case_id is None:
        raise ValidationError("appointment", "has no case, so there is no contact log to record in")
    if appt.starts_at > clock.now():
        raise ValidationError(
            "appointment",
            f"starts at {appt.starts_at:%H:%M on %d/%m/%Y}: its outcome can be recorded once it "
            "has started",
        )
    case = get(session, CaseFile, appt.case_id, "case")
    entry = log_contact(
        session,
        actor,
        case_id=appt.case_id,
        contact_type=CONTACT_TYPE_FOR_KIND.get(appt.kind, ContactType.FACE_TO_FACE),
        outcome=outcome,
        notes=notes,
        occurred_at=appt.starts_at,  # the contact happened (or not) at the appointment
        appointment_id=appt.id,
        capability=capability if desk else "contact.log",
    )
    appt.status = (
        AppointmentStatus.FAILED_TO_ATTEND if outcome in ABSENT_OUTCOMES else AppointmentStatus.SEEN
    )
    appt.outcome_contact_id = entry.id
    _finish(session, actor, appt, before, "diary.outcome", OUTCOMES[outcome])
    if outcome == Outcome.FAILED_TO_ATTEND:
        raised_tasks.raise_fta_follow_up(session, actor, case=case, entry_id=entry.id or 0)
    raised_tasks.raise_enforcement_if_due(session, actor, appt.case_id)
    return entry
