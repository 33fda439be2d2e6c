"""Acting on one occurrence of a recurring booking "and the rest of the series": cancel them
all, or move them all by the same shift. (When occurrences fall: diary_recurrence.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from caseterm.core.errors import ConflictError, ValidationError
from caseterm.core.models import Appointment, CaseFile
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import check_version, get
from caseterm.core.services.diary import cancel_appointment, reschedule_appointment
from caseterm.core.services.diary_attendees import attendee_staff_ids
from caseterm.core.services.diary_conflicts import find_conflicts
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class SeriesChange:
    """What acting on the rest of a series did: the appointments changed (and, for a move,
    the new ones booked in their place)."""

    changed_ids: tuple[int, ...]
    new_ids: tuple[int, ...] = ()


def _rest_of_series(session: Session, appt: Appointment) -> list[Appointment]:
    """This occurrence and every later booked one of its series (just itself if no series)."""
    if appt.series_id is None:
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


def _open(
    session: Session, actor: Actor, appointment_id: int, expected_version: int | None
) -> Appointment:
    actor.require("diary.write")
    appt = get(session, Appointment, appointment_id, "appointment")
    if appt.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, appt.case_id, "case"), "diary")
    check_version(session, appt, expected_version, f"appointment {appt.id}")
    if appt.status != AppointmentStatus.BOOKED:
        raise ValidationError(
            "status", f"appointment {appt.id} is {appt.status.replace('_', ' ')}, not booked"
        )
    return appt


def cancel_rest_of_series(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    reason: str,
    expected_version: int | None = None,
) -> SeriesChange:
    """Cancel this occurrence and every later booked one of its series, each with the reason
    and its own journal entry (diary.cancel)."""
    appt = _open(session, actor, appointment_id, expected_version)
    ids = [a.id or 0 for a in _rest_of_series(session, appt)]
    for i in ids:
        cancel_appointment(session, actor, appointment_id=i, reason=reason)
    return SeriesChange(tuple(ids))


def move_rest_of_series(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    starts_at: datetime,
    ends_at: datetime,
    expected_version: int | None = None,
    allow_conflicts: bool = False,
) -> SeriesChange:
    """Move this occurrence to starts_at–ends_at and every later booked one of its series by
    the same shift (and to the same length). Clashes of any of them, for the member of staff,
    the attendees, the room or the person, refuse the whole move (ConflictError naming each)
    unless `allow_conflicts`; each move is journalled as a reschedule."""
    appt = _open(session, actor, appointment_id, expected_version)
    shift = starts_at.replace(microsecond=0) - appt.starts_at
    length = ends_at - starts_at
    rest = _rest_of_series(session, appt)
    moving = {a.id or 0 for a in rest}
    clashes: list[str] = []
    for a in rest:
        new_start = a.starts_at + shift
        found = find_conflicts(
            session,
            staff_id=a.staff_id,
            starts_at=new_start,
            ends_at=new_start + length,
            room_id=a.room_id,
            person_id=a.person_id,
            attendee_ids=attendee_staff_ids(session, a.id or 0),
            exclude_ids=moving,
        )
        clashes.extend(f"{new_start:%d/%m/%Y}: {c}" for c in found)
    if clashes and not allow_conflicts:
        raise ConflictError(clashes)
    new_ids: list[int] = []
    for a in rest:
        new = reschedule_appointment(
            session,
            actor,
            appointment_id=a.id or 0,
            starts_at=a.starts_at + shift,
            ends_at=a.starts_at + shift + length,
            allow_conflicts=True,
        )
        new_ids.append(new.id or 0)
    return SeriesChange(tuple(sorted(moving)), tuple(new_ids))


def appointment_length(session: Session, actor: Actor, *, appointment_id: int) -> timedelta:
    """How long an appointment lasts (a move keeps it unless told otherwise)."""
    actor.require("diary.read")
    appt = get(session, Appointment, appointment_id, "appointment")
    return appt.ends_at - appt.starts_at
