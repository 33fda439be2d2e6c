"""The diary as people read it: appointments for a member of staff, a team, a room, an office or
a case, as read models (`DiaryRow`) that serve the diary screens, the case view and the CLI."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Subquery, func, union
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    AppointmentAttendee,
    CaseFile,
    Office,
    Person,
    Room,
    Staff,
    Team,
)
from caseterm.core.models.vocab import ACTIVE_APPOINTMENT_STATUSES
from caseterm.core.services.access import hidden_restricted, require_visible, shown_person
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
        """`hidden`: on a restricted case the actor may not see (`masked`)."""
        view = cls(
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
            location=a.location,
            notes=a.notes,
            series_id=a.series_id,
            recurrence=a.recurrence,
            rescheduled_to_id=a.rescheduled_to_id,
            arrived_at=a.arrived_at,
            outcome_contact_id=a.outcome_contact_id,
            version=a.version,
        )
        return view.masked() if hidden else view

    def masked(self) -> AppointmentView:
        """As shown to someone who may not see its case: no notes or location."""
        return replace(self, location="", notes="")


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
    offset: int = 0,
    limit: int | None = None,
) -> list[DiaryRow]:
    """Appointments overlapping start–end, by start time, for a member of staff, a team, a room
    or an office (all that match every filter given), of the `kinds` given (all if none); with
    `limit`, that many from `offset` (a page of a long range). A member of staff's (or a team's)
    diary holds the meetings they attend as well as those booked with them. Appointments on
    restricted cases the actor may not see show as "Restricted" with no reference, notes or
    location."""
    actor.require("diary.read")
    found = _found(start, end, staff_id, team_id, room_id, office_id, active_only, kinds)
    return _rows(session, actor, [_page_of(found, max(offset, 0), limit)], _BY_START)


@dataclass(frozen=True)
class DiaryPage:
    """A page of a diary's range (`diary_page`), with how many appointments the range holds
    in all, and per day and status."""

    rows: list[DiaryRow]
    total: int
    counts: dict[tuple[date, str], int]  # (the day it starts, status) → appointments

    @property
    def by_status(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (_, status), n in sorted(self.counts.items()):
            out[status] = out.get(status, 0) + n
        return out


def diary_page(
    session: Session,
    actor: Actor,
    *,
    start: datetime,
    end: datetime,
    offset: int = 0,
    limit: int = 100,
    staff_id: int | None = None,
    team_id: int | None = None,
    room_id: int | None = None,
    office_id: int | None = None,
    active_only: bool = False,
    kinds: Collection[str] = (),
) -> DiaryPage:
    """`limit` rows of `diary_range` from `offset`, and the count of the whole range by day and
    status (counted in the database, not read): what a screen shows of a large team's day or week
    costs a page, however many appointments the team has."""
    actor.require("diary.read")
    found = _found(start, end, staff_id, team_id, room_id, office_id, active_only, kinds)
    day = func.date(found.c.starts_at)
    counted = session.execute(
        select_columns(day, found.c.status, func.count()).group_by(day, found.c.status)
    ).all()
    counts = {(_as_date(on), str(status)): int(n) for on, status, n in counted}
    page = _page_of(found, max(offset, 0), max(limit, 0))
    rows = _rows(session, actor, [page], _BY_START)
    return DiaryPage(rows, sum(counts.values()), counts)


def _as_date(value: object) -> date:
    """`date(starts_at)` as the database gives it: a date (PostgreSQL) or its ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _found(
    start: datetime,
    end: datetime,
    staff_id: int | None,
    team_id: int | None,
    room_id: int | None,
    office_id: int | None,
    active_only: bool,
    kinds: Collection[str],
) -> Subquery:
    """The appointments overlapping start–end that a diary's filters match, as (id, starts_at,
    status). A member of staff's or a team's: those booked with them and those they attend.
    Those booked are read from `appointment (staff_id, starts_at, ends_at, status, id)` alone,
    so counting a large team's day and choosing its page read none of them from the table (only
    the appointments they attend, few, are looked up)."""
    window = (
        col(Appointment.starts_at) > start - MAX_LENGTH,
        col(Appointment.starts_at) < end,
        col(Appointment.ends_at) > start,
    )
    where: list[Any] = []
    if kinds:
        where.append(col(Appointment.kind).in_(list(kinds)))
    if room_id is not None:
        where.append(col(Appointment.room_id) == room_id)
    if office_id is not None:
        where.append(col(Appointment.office_id) == office_id)
    if active_only:
        where.append(col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES))
    fields = (col(Appointment.id), col(Appointment.starts_at), col(Appointment.status))
    if staff_id is None and team_id is None:
        return select_columns(*fields).where(*window, *where).subquery()
    team = select(Staff.id).where(Staff.team_id == team_id) if team_id is not None else None
    members: Any = [staff_id] if staff_id is not None else team
    if staff_id is not None and team is not None:  # both: one of them, with a team member
        where.append(col(Appointment.id).in_(booked_or_attending(window, team)))
    booked = select_columns(*fields).where(*window, col(Appointment.staff_id).in_(members), *where)
    attending = (
        select_columns(*fields)
        .join(AppointmentAttendee, col(AppointmentAttendee.appointment_id) == col(Appointment.id))
        .where(*window, col(AppointmentAttendee.staff_id).in_(members), *where)
    )
    return union(booked, attending).subquery()


def _page_of(found: Subquery, offset: int, limit: int | None) -> Any:
    """The condition "one of `found`", or of its page (by start, from `offset`, `limit` of them)
    chosen from `found`'s own columns before any appointment is read."""
    ids = select_columns(found.c.id)
    if limit is not None or offset:
        ids = ids.order_by(found.c.starts_at, found.c.id).offset(offset).limit(limit)
    return col(Appointment.id).in_(ids.scalar_subquery())


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
    latest = (col(Appointment.starts_at).desc(), col(Appointment.id).desc())
    return _rows(session, actor, [col(Appointment.case_id) == case_id], latest, limit=limit)


def upcoming_for_case(
    session: Session, actor: Actor, *, case_id: int, limit: int = 10
) -> list[DiaryRow]:
    """A case's booked or arrived appointments that have not ended yet, soonest first."""
    actor.require("diary.read")
    require_visible(session, actor, case_id, "diary")
    where = [
        col(Appointment.case_id) == case_id,
        col(Appointment.ends_at) >= clock.now(),
        col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES),
    ]
    return _rows(session, actor, where, _BY_START, limit=limit)


_BY_START = (col(Appointment.starts_at), col(Appointment.id))

# An appointment's fields in AppointmentView's order, then what its row shows of the others.
_VIEW_COLUMNS = tuple(col(getattr(Appointment, f.name)) for f in fields(AppointmentView))
_ROW_COLUMNS = (
    *_VIEW_COLUMNS,
    col(CaseFile.reference),
    col(CaseFile.restricted),
    col(Person.given_name),
    col(Person.family_name),
    col(Staff.name),
    col(Room.name),
    col(Office.code),
)


def _rows(
    session: Session,
    actor: Actor,
    where: list[Any],
    order: tuple[Any, ...],
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[DiaryRow]:
    """The diary rows of the appointments matching `where`, in `order`: one query of plain
    columns with their case, person, member of staff and room (building ORM objects for a
    large team's day cost more than reading it), the attendees in one more, and the access
    lists only of restricted cases not the actor's own. A diary's page is chosen before it
    comes here (`_page_of`), so only its rows are joined."""
    query = (
        select_columns(*_ROW_COLUMNS, col(CaseFile.owner_id), col(CaseFile.admin_owner_id))
        .select_from(Appointment)
        .outerjoin(CaseFile, col(CaseFile.id) == col(Appointment.case_id))
        .outerjoin(Person, col(Person.id) == col(Appointment.person_id))
        .outerjoin(Staff, col(Staff.id) == col(Appointment.staff_id))
        .outerjoin(Room, col(Room.id) == col(Appointment.room_id))
        .outerjoin(Office, col(Office.id) == col(Room.office_id))
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    found = session.execute(query).all()
    width = len(_VIEW_COLUMNS)
    hidden_cases = hidden_restricted(
        session,
        actor,
        cases=((r.case_id, r.restricted, r.owner_id, r.admin_owner_id) for r in found),
    )
    attending = attendees_of(session, [r.id for r in found])
    rows = []
    for r in found:
        view = AppointmentView(*r[:width])
        reference, _, given, family, staff_name, room_name, office_code = r[width : width + 7]
        hidden = view.case_id in hidden_cases
        if hidden:
            view = view.masked()
        name = f"{given or ''} {family or ''}".strip()
        rows.append(
            DiaryRow(
                appointment=view,
                case_reference="" if hidden or reference is None else reference,
                person_name=shown_person(name, None, hidden=hidden).name,
                staff_name=staff_name or "",
                room_name=_room_label(office_code, room_name),
                restricted=hidden,
                attendees=tuple(
                    who
                    for who in attending.get(view.id, ())
                    if not hidden or who.staff_id is not None  # guests are the case's business
                ),
            )
        )
    return rows


def _room_label(office_code: str | None, name: str | None) -> str:
    """A room with its office's code ("PRE · Group room"); no room, nothing."""
    if name is None:
        return ""
    return f"{office_code} · {name}" if office_code is not None else name


def subject_name(session: Session, actor: Actor, *, kind: str, key: int) -> str:
    """The name of whose diary is shown: a member of staff, a team or a room."""
    actor.require("diary.read")
    if kind == "staff":
        return get(session, Staff, key, "staff").name
    if kind == "team":
        return get(session, Team, key, "team").name
    if kind == "room":
        room = get(session, Room, key, "room")
        office = session.get(Office, room.office_id)
        return _room_label(office.code if office is not None else None, room.name)
    raise ValidationError("kind", f"unknown diary {kind!r}: use staff, team or room")


def booking_row(session: Session, actor: Actor, *, appointment_id: int) -> DiaryRow:
    """One booking as the diary lists it (for its agenda and minutes: `booking_documents`)."""
    actor.require("diary.read")
    get(session, Appointment, appointment_id, "appointment")
    return _rows(session, actor, [col(Appointment.id) == appointment_id], _BY_START)[0]
