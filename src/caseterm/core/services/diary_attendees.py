"""Who comes to a booking besides the member of staff it is with: other staff (by id, checked
for clashes like the one it is booked with) and people outside caseterm by name (guests).
Booking and moving call these; the diary views read them back for each appointment."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import AppointmentAttendee, Staff
from caseterm.core.text import clean_line

MAX_ATTENDEES = 30  # a meeting's attendees besides the one it is booked with


@dataclass(frozen=True)
class Attendee:
    """One attendee as shown: a member of staff (with id and login) or a guest (no id)."""

    name: str
    staff_id: int | None = None
    login: str = ""

    @property
    def shown(self) -> str:
        return self.name if self.staff_id is not None else f"{self.name} (guest)"


@dataclass(frozen=True)
class AttendeeList:
    """Attendees checked for booking: staff ids (active, not the one it is booked with) and
    guests' names, each once."""

    staff_ids: tuple[int, ...] = ()
    guests: tuple[str, ...] = ()


def check_attendees(
    session: Session, *, staff_id: int, attendee_ids: Sequence[int], guests: Sequence[str]
) -> AttendeeList:
    """Refuses an unknown or disabled member of staff (naming them) and a blank or over-long
    guest name; drops repeats and the member of staff the booking is with."""
    ids = [i for i in dict.fromkeys(attendee_ids) if i != staff_id]
    names = [clean_line("guest", g, limit=120) for g in guests]
    names = list(dict.fromkeys(names))
    if len(ids) + len(names) > MAX_ATTENDEES:
        raise ValidationError("attendees", f"at most {MAX_ATTENDEES} besides the member of staff")
    found = {s.id: s for s in session.exec(select(Staff).where(col(Staff.id).in_(ids))).all()}
    for i in ids:
        member = found.get(i)
        if member is None:
            raise ValidationError("attendee", f"no member of staff with id {i}")
        if not member.active:
            raise ValidationError("attendee", f"{member.name} ({member.login}) is disabled")
    return AttendeeList(tuple(ids), tuple(names))


def add_attendees(session: Session, appointment_id: int, attendees: AttendeeList) -> None:
    """Write the (checked) attendees of one appointment."""
    for i in attendees.staff_ids:
        session.add(AppointmentAttendee(appointment_id=appointment_id, staff_id=i))
    for name in attendees.guests:
        session.add(AppointmentAttendee(appointment_id=appointment_id, guest_name=name))


def attendee_list(session: Session, appointment_id: int) -> AttendeeList:
    """An appointment's attendees as booked (to carry them over when it is moved)."""
    rows = session.exec(
        select(AppointmentAttendee)
        .where(AppointmentAttendee.appointment_id == appointment_id)
        .order_by(col(AppointmentAttendee.id))
    ).all()
    return AttendeeList(
        tuple(r.staff_id for r in rows if r.staff_id is not None),
        tuple(r.guest_name for r in rows if r.staff_id is None),
    )


def attendee_staff_ids(session: Session, appointment_id: int) -> tuple[int, ...]:
    """The staff attending an appointment (besides the one it is booked with)."""
    return attendee_list(session, appointment_id).staff_ids


def attendees_of(session: Session, appointment_ids: Collection[int]) -> dict[int, list[Attendee]]:
    """Each appointment's attendees, staff first (by name) then guests, in one query."""
    if not appointment_ids:
        return {}
    rows = session.execute(
        select_columns(
            col(AppointmentAttendee.appointment_id),
            col(AppointmentAttendee.guest_name),
            col(Staff.id),
            col(Staff.name),
            col(Staff.login),
        )
        .join(Staff, col(Staff.id) == col(AppointmentAttendee.staff_id), isouter=True)
        .where(col(AppointmentAttendee.appointment_id).in_(list(appointment_ids)))
        .order_by(col(AppointmentAttendee.id))
    ).all()
    out: dict[int, list[Attendee]] = {}
    for appointment_id, guest_name, staff_id, name, login in rows:
        who = Attendee(name, staff_id, login) if staff_id is not None else Attendee(guest_name)
        out.setdefault(appointment_id, []).append(who)
    for found in out.values():
        found.sort(key=lambda a: (a.staff_id is None, a.name.casefold()))
    return out
