"""Clashes in the diary: an appointment overlapping another for the same member of staff, room
or person. Booking and moving refuse them unless told to go ahead; the forms show them first."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from caseterm.core.models import Appointment, CaseFile, Person, Room, Staff
from caseterm.core.models.vocab import ACTIVE_APPOINTMENT_STATUSES
from caseterm.core.rules.catalogue import appointment_kind_label

MAX_LENGTH = timedelta(hours=24)  # an appointment's longest; also bounds the range searched


def _span(a: Appointment, on: date | None = None) -> str:
    day = "" if on is None or a.starts_at.date() == on else f"{a.starts_at:%a %d/%m} "
    return f"{day}{a.starts_at:%H:%M}–{a.ends_at:%H:%M}"


def find_conflicts(
    session: Session,
    *,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime,
    room_id: int | None = None,
    person_id: int | None = None,
    exclude_id: int | None = None,
) -> list[str]:
    """Human-readable clashes with active (booked or arrived) appointments overlapping
    starts_at–ends_at for the same member of staff, room or person."""
    on = starts_at.date()
    out: list[str] = []
    checks: list[tuple[str, int | None]] = [
        ("staff", staff_id),
        ("room", room_id),
        ("person", person_id),
    ]
    for what, key in checks:
        if key is None:
            continue
        column = {
            "staff": col(Appointment.staff_id),
            "room": col(Appointment.room_id),
            "person": col(Appointment.person_id),
        }[what]
        q = select(Appointment).where(
            column == key,
            col(Appointment.starts_at) > starts_at - MAX_LENGTH,
            col(Appointment.starts_at) < ends_at,
            col(Appointment.ends_at) > starts_at,
            col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES),
        )
        if exclude_id is not None:
            q = q.where(col(Appointment.id) != exclude_id)
        for a in session.exec(q.order_by(col(Appointment.starts_at))).all():
            out.append(_describe_clash(session, what, a, on))
    return out


def _describe_clash(session: Session, what: str, a: Appointment, on: date) -> str:
    if what == "room":
        room = session.get(Room, a.room_id)
        return f"{room.name if room else 'the room'} is booked {_span(a, on)}"
    if what == "person":
        person = session.get(Person, a.person_id)
        name = person.full_name if person else "the person"
        day = "" if a.starts_at.date() == on else f"{a.starts_at:%a %d/%m} "
        return f"{name} has {day}{a.starts_at:%H:%M} {appointment_kind_label(a.kind)}"
    staff = session.get(Staff, a.staff_id)
    case = session.get(CaseFile, a.case_id) if a.case_id else None
    ref = f" ({case.reference})" if case else ""
    name = staff.name if staff else "the member of staff"
    return f"{name} already has {_span(a, on)} {appointment_kind_label(a.kind)}{ref}"
