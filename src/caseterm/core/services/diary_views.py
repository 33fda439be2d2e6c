"""The diary as people read it: appointments for a member of staff, a team, a room, an office or
a case, as read models (`DiaryRow`) that serve the diary screens, the case view and the CLI."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    Office,
    Person,
    Room,
    Staff,
    Team,
)
from caseterm.core.models.vocab import ACTIVE_APPOINTMENT_STATUSES
from caseterm.core.services.access import can_see, require_visible, shown_person
from caseterm.core.services.common import get
from caseterm.core.services.diary_attendees import Attendee, attendees_of
from caseterm.core.services.diary_conflicts import MAX_LENGTH, booked_or_attending
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class AppointmentView:
    """An appointment's fields, detached from the database (same names as the table's)."""

    id: int
    case_id: int | None
    person_id: int | None
    staff_id: int
    room_id: int | None
    office_id: int | None
    starts_at: datetime
    ends_at: datetime
    kind: str
    status: str
    location: str
    notes: str
    series_id: int | None
    recurrence: str
    rescheduled_to_id: int | None
    arrived_at: datetime | None
    outcome_contact_id: int | None
    version: int

    @classmethod
    def of(cls, a: Appointment, *, hidden: bool = False) -> AppointmentView:
        """`hidden`: on a restricted case the actor may not see, so no notes or location."""
        return cls(
            id=a.id or 0,
            case_id=a.case_id,
            person_id=a.person_id,
            staff_id=a.staff_id,
            room_id=a.room_id,
            office_id=a.office_id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            kind=a.kind,
            status=a.status,
            location="" if hidden else a.location,
            notes="" if hidden else a.notes,
            series_id=a.series_id,
            recurrence=a.recurrence,
            rescheduled_to_id=a.rescheduled_to_id,
            arrived_at=a.arrived_at,
            outcome_contact_id=a.outcome_contact_id,
            version=a.version,
        )


@dataclass(frozen=True)
class DiaryRow:
    appointment: AppointmentView
    case_reference: str
    person_name: str
    staff_name: str
    room_name: str  # with its office: "PRE · Group room"
    restricted: bool
    attendees: tuple[Attendee, ...] = ()

    @property
    def attendee_names(self) -> str:
        """Who else comes, as one line ("Owen Other, Dr Patel (guest)")."""
        return ", ".join(a.shown for a in self.attendees)


def diary_range(
    session: Session,
    actor: Actor,
    *,
    start: datetime,
    end: datetime,
    staff_id: int | None = None,
    team_id: int | None = None,
    room_id: int | None = None,
    office_id: int | None = None,
    active_only: bool = False,
    kinds: Collection[str] = (),
) -> list[DiaryRow]:
    """Appointments overlapping start–end, by start time, for a member of staff, a team, a room
    or an office (all that match every filter given), of the `kinds` given (all if none). A
    member of staff's (or a team's) diary holds the meetings they attend as well as those booked
    with them. Appointments on restricted cases the actor may not see show as "Restricted" with
    no reference, notes or location."""
    actor.require("diary.read")
    window = (
        col(Appointment.starts_at) > start - MAX_LENGTH,
        col(Appointment.starts_at) < end,
        col(Appointment.ends_at) > start,
    )
    q = select(Appointment).where(*window)
    if staff_id is not None:
        q = q.where(col(Appointment.id).in_(booked_or_attending(window, [staff_id])))
    if team_id is not None:
        members = select(Staff.id).where(Staff.team_id == team_id)
        q = q.where(col(Appointment.id).in_(booked_or_attending(window, members)))
    if kinds:
        q = q.where(col(Appointment.kind).in_(list(kinds)))
    if room_id is not None:
        q = q.where(col(Appointment.room_id) == room_id)
    if office_id is not None:
        q = q.where(col(Appointment.office_id) == office_id)
    if active_only:
        q = q.where(col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES))
    appts = list(session.exec(q.order_by(col(Appointment.starts_at), col(Appointment.id))).all())
    return _diary_rows(session, actor, appts)


def _diary_day(
    session: Session,
    actor: Actor,
    *,
    day: date,
    staff_id: int | None = None,
    team_id: int | None = None,
    room_id: int | None = None,
    office_id: int | None = None,
    active_only: bool = False,
    kinds: Collection[str] = (),
) -> list[DiaryRow]:
    """One day of the diary (see diary_range)."""
    start = datetime.combine(day, time.min)
    return diary_range(
        session,
        actor,
        start=start,
        end=start + timedelta(days=1),
        staff_id=staff_id,
        team_id=team_id,
        room_id=room_id,
        office_id=office_id,
        active_only=active_only,
        kinds=kinds,
    )


def case_appointments(
    session: Session, actor: Actor, *, case_id: int, limit: int = 500
) -> list[DiaryRow]:
    """A case's appointments for its Diary section, latest first (all statuses)."""
    actor.require("diary.read")
    require_visible(session, actor, case_id, "diary")
    appts = session.exec(
        select(Appointment)
        .where(Appointment.case_id == case_id)
        .order_by(col(Appointment.starts_at).desc(), col(Appointment.id).desc())
        .limit(limit)
    ).all()
    return _diary_rows(session, actor, list(appts))


def upcoming_for_case(
    session: Session, actor: Actor, *, case_id: int, limit: int = 10
) -> list[DiaryRow]:
    """A case's booked or arrived appointments that have not ended yet, soonest first."""
    actor.require("diary.read")
    require_visible(session, actor, case_id, "diary")
    appts = session.exec(
        select(Appointment)
        .where(
            Appointment.case_id == case_id,
            col(Appointment.ends_at) >= clock.now(),
            col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
        .limit(limit)
    ).all()
    return _diary_rows(session, actor, list(appts))


def _diary_rows(session: Session, actor: Actor, appts: list[Appointment]) -> list[DiaryRow]:
    def by_id(model: Any, ids: set[int]) -> dict[int, Any]:
        if not ids:
            return {}
        return {o.id: o for o in session.exec(select(model).where(col(model.id).in_(ids))).all()}

    cases = by_id(CaseFile, {a.case_id for a in appts if a.case_id is not None})
    people = by_id(Person, {a.person_id for a in appts if a.person_id is not None})
    staff = by_id(Staff, {a.staff_id for a in appts})
    rooms = by_id(Room, {a.room_id for a in appts if a.room_id is not None})
    offices = by_id(Office, {r.office_id for r in rooms.values()})
    attending = attendees_of(session, [a.id for a in appts if a.id is not None])
    visible: dict[int, bool] = {}
    rows = []
    for a in appts:
        case = cases.get(a.case_id or 0)
        hidden = False
        if case is not None and case.restricted:
            if case.id not in visible:
                visible[case.id] = can_see(session, actor, case)
            hidden = not visible[case.id]
        person = people.get(a.person_id or 0)
        rows.append(
            DiaryRow(
                appointment=AppointmentView.of(a, hidden=hidden),
                case_reference="" if hidden or case is None else case.reference,
                person_name=shown_person(
                    person.full_name if person else "", None, hidden=hidden
                ).name,
                staff_name=staff[a.staff_id].name if a.staff_id in staff else "",
                room_name=_room_label(rooms.get(a.room_id or 0), offices),
                restricted=hidden,
                attendees=tuple(
                    who
                    for who in attending.get(a.id or 0, ())
                    if not hidden or who.staff_id is not None  # guests are the case's business
                ),
            )
        )
    return rows


def _room_label(room: Room | None, offices: dict[int, Any]) -> str:
    if room is None:
        return ""
    office = offices.get(room.office_id)
    return f"{office.code} · {room.name}" if office is not None else room.name


def subject_name(session: Session, actor: Actor, *, kind: str, key: int) -> str:
    """The name of whose diary is shown: a member of staff, a team or a room."""
    actor.require("diary.read")
    if kind == "staff":
        return get(session, Staff, key, "staff").name
    if kind == "team":
        return get(session, Team, key, "team").name
    if kind == "room":
        room = get(session, Room, key, "room")
        return _room_label(room, {room.office_id: session.get(Office, room.office_id)})
    raise ValidationError("kind", f"unknown diary {kind!r}: use staff, team or room")


def booking_row(session: Session, actor: Actor, *, appointment_id: int) -> DiaryRow:
    """One booking as the diary lists it (for its agenda and minutes: `booking_documents`)."""
    actor.require("diary.read")
    appt = get(session, Appointment, appointment_id, "appointment")
    return _diary_rows(session, actor, [appt])[0]
