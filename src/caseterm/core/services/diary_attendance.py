"""Changing who attends a booking already made: staff (by login) and people outside caseterm (by
name) added or removed, on one appointment or on it and every later booked occurrence of its
series. Staff added are checked like a booking's (active, no clash unless told to go ahead);
each appointment changed is journalled with who attended before and after, and the staff added
or removed are told."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from caseterm.core.errors import ConflictError, ValidationError
from caseterm.core.models import Appointment, AppointmentAttendee, CaseFile, Staff
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.rules.catalogue import appointment_kind_label
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import check_version, get, touch
from caseterm.core.services.diary_attendees import (
    MAX_ATTENDEES,
    AttendeeList,
    add_attendees,
    attendee_list,
    check_attendees,
)
from caseterm.core.services.diary_conflicts import find_conflicts
from caseterm.core.services.identity import Actor
from caseterm.core.services.notifications import notify
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class AttendeesChanged:
    """What changing the attendees did: the appointments changed, who was added and removed
    (names as shown), and each appointment's attendees now."""

    changed_ids: tuple[int, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    now: tuple[str, ...]  # the first appointment's attendees afterwards


def _targets(session: Session, appt: Appointment, rest: bool) -> list[Appointment]:
    """This appointment, and with `rest` every later booked occurrence of its series."""
    if not rest or appt.series_id is None:
        return [appt]
    later = session.exec(
        select(Appointment)
        .where(
            Appointment.series_id == appt.series_id,
            col(Appointment.starts_at) > appt.starts_at,
            Appointment.status == AppointmentStatus.BOOKED,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    return [appt, *later]


def _staff_by_login(session: Session, logins: Sequence[str]) -> dict[str, Staff]:
    wanted = [clean_line("attendee", w, limit=64) for w in logins]
    found = {
        s.login.casefold(): s
        for s in session.exec(
            select(Staff).where(col(Staff.login).in_([w.casefold() for w in wanted] + wanted))
        ).all()
    }
    out: dict[str, Staff] = {}
    for w in wanted:
        member = found.get(w.casefold())
        if member is None:
            raise ValidationError("attendee", f"no member of staff with login {w!r}")
        out[w] = member
    return out


def _shown(session: Session, attending: AttendeeList) -> list[str]:
    names = {
        s.id: s.name
        for s in session.exec(
            select(Staff).where(col(Staff.id).in_(list(attending.staff_ids)))
        ).all()
    }
    return [names.get(i, f"staff {i}") for i in attending.staff_ids] + [
        f"{g} (guest)" for g in attending.guests
    ]


def change_attendees(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    add: Sequence[str] = (),
    guests: Sequence[str] = (),
    remove: Sequence[str] = (),
    rest: bool = False,
    expected_version: int | None = None,
    allow_conflicts: bool = False,
) -> AttendeesChanged:
    """Add staff (`add`, by login) and guests (`guests`, by name) to a booked appointment, and
    remove attendees (`remove`: a login of a member of staff attending, or a guest's name); with
    `rest`, on it and every later booked occurrence of its series. An unknown or disabled
    member of staff, someone to remove who does not attend, or a clash of a member of staff
    added (unless `allow_conflicts`: ConflictError naming each) refuses all of it."""
    actor.require("diary.write")
    appt = get(session, Appointment, appointment_id, "appointment")
    if appt.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, appt.case_id, "case"), "diary")
    check_version(session, appt, expected_version, f"appointment {appt.id}")
    if appt.status != AppointmentStatus.BOOKED:
        raise ValidationError(
            "status", f"appointment {appt.id} is {appt.status.replace('_', ' ')}, not booked"
        )
    if not (add or guests or remove):
        raise ValidationError("attendees", "name someone to add or remove")
    adding = _staff_by_login(session, add)
    checked = check_attendees(
        session,
        staff_id=appt.staff_id,
        attendee_ids=[s.id or 0 for s in adding.values()],
        guests=guests,
    )
    for member in adding.values():
        if member.id == appt.staff_id:
            raise ValidationError("attendee", f"the appointment is booked with {member.name}")
    before = attendee_list(session, appt.id or 0)
    removing_ids: set[int] = set()
    removing_guests: set[str] = set()
    attending_staff = {
        s.login.casefold(): s
        for s in session.exec(select(Staff).where(col(Staff.id).in_(list(before.staff_ids)))).all()
    }
    for who in remove:
        key = clean_line("remove", who, limit=120)
        going = attending_staff.get(key.casefold())
        guest = next((g for g in before.guests if g.casefold() == key.casefold()), None)
        if going is not None:
            removing_ids.add(going.id or 0)
        elif guest is not None:
            removing_guests.add(guest)
        else:
            raise ValidationError("remove", f"{key!r} does not attend this appointment")
    both = set(checked.staff_ids) & removing_ids
    both_guests = {g.casefold() for g in checked.guests} & {g.casefold() for g in removing_guests}
    if both or both_guests:
        raise ValidationError("attendees", "the same person is both added and removed")
    targets = _targets(session, appt, rest)
    clashes: list[str] = []
    plans: list[tuple[Appointment, AttendeeList, AttendeeList]] = []
    for a in targets:
        now = attendee_list(session, a.id or 0) if a is not appt else before
        new_ids = tuple(i for i in checked.staff_ids if i not in now.staff_ids)
        new_guests = tuple(
            g for g in checked.guests if g.casefold() not in {n.casefold() for n in now.guests}
        )
        kept_ids = [i for i in now.staff_ids if i not in removing_ids]
        kept_guests = [g for g in now.guests if g not in removing_guests]
        if len(kept_ids) + len(kept_guests) + len(new_ids) + len(new_guests) > MAX_ATTENDEES:
            raise ValidationError(
                "attendees", f"at most {MAX_ATTENDEES} besides the member of staff"
            )
        prefix = f"{a.starts_at:%d/%m/%Y}: " if len(targets) > 1 else ""
        for sid in new_ids:
            found = find_conflicts(
                session, staff_id=sid, starts_at=a.starts_at, ends_at=a.ends_at, exclude_id=a.id
            )
            clashes.extend(prefix + c for c in found)
        plans.append((a, now, AttendeeList(new_ids, new_guests)))
    if clashes and not allow_conflicts:
        raise ConflictError(clashes)
    changed: list[int] = []
    for a, now, new in plans:
        gone_ids = [i for i in now.staff_ids if i in removing_ids]
        gone_guests = [g for g in now.guests if g in removing_guests]
        if not (new.staff_ids or new.guests or gone_ids or gone_guests):
            continue  # this occurrence already has them (or never had them)
        if gone_ids:
            session.execute(
                delete(AppointmentAttendee).where(
                    col(AppointmentAttendee.appointment_id) == a.id,
                    col(AppointmentAttendee.staff_id).in_(gone_ids),
                )
            )
        if gone_guests:
            session.execute(
                delete(AppointmentAttendee).where(
                    col(AppointmentAttendee.appointment_id) == a.id,
                    col(AppointmentAttendee.staff_id).is_(None),
                    col(AppointmentAttendee.guest_name).in_(gone_guests),
                )
            )
        add_attendees(session, a.id or 0, new)
        touch(a, actor.id)
        session.add(a)
        session.flush()
        after = attendee_list(session, a.id or 0)
        over = f" (over clash: {'; '.join(clashes)})" if clashes else ""
        audit.record(
            session,
            actor,
            "diary.attendees",
            "appointment",
            a.id,
            case_id=a.case_id,
            person_id=a.person_id,
            summary=f"{appointment_kind_label(a.kind)} {a.starts_at:%d/%m/%Y %H:%M}: attendees "
            f"{', '.join(_shown(session, after)) or 'none'}{over}",
            before={"attendees": _shown(session, now)},
            after={"attendees": _shown(session, after)},
        )
        changed.append(a.id or 0)
    if not changed:
        raise ValidationError("attendees", "they already attend: nothing to change")
    when = f"{appt.starts_at:%a %d/%m %H:%M}" + (" and the rest of its series" if rest else "")
    what = appointment_kind_label(appt.kind)
    for sid in dict.fromkeys(checked.staff_ids):
        if sid != actor.id:
            notify(
                session,
                recipient_id=sid,
                kind="diary",
                text=f"{actor.name} added you to a {what} on {when}",
                case_id=appt.case_id,
            )
    for sid in removing_ids - {actor.id}:
        notify(
            session,
            recipient_id=sid,
            kind="diary",
            text=f"{actor.name} took you off a {what} on {when}",
            case_id=appt.case_id,
        )
    added = _shown(session, AttendeeList(checked.staff_ids, checked.guests))
    removed = _shown(session, AttendeeList(tuple(removing_ids), tuple(removing_guests)))
    return AttendeesChanged(
        changed_ids=tuple(changed),
        added=tuple(added),
        removed=tuple(removed),
        now=tuple(_shown(session, attendee_list(session, appt.id or 0))),
    )
