"""The court list: a day's hearings (the appointment kinds a court or tribunal sits for) by
court (the room, or the location typed for a court elsewhere) and session (morning or
afternoon), for the officers who cover them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.rules.catalogue import COURT_LIST_KINDS, COURT_PM_FROM
from caseterm.core.services.diary_views import DiaryRow, diary_range
from caseterm.core.services.identity import Actor

NO_COURT = "court not given"
GONE = (AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED)  # no longer sitting


@dataclass(frozen=True)
class CourtSitting:
    """One court's morning or afternoon: its hearings by time."""

    court: str
    session: str  # "am" or "pm"
    hearings: tuple[DiaryRow, ...]


def _court_of(row: DiaryRow) -> str:
    """Where a hearing sits: its room (with the office), else the location typed."""
    if row.room_name:
        return row.room_name
    return row.appointment.location.strip() or NO_COURT


def court_list(
    session: Session, actor: Actor, *, day: date, office_id: int | None = None
) -> list[CourtSitting]:
    """The day's booked hearings (court hearings and tribunals, not cancelled or moved), by
    court then session (am before 13:00, pm from then), each by time. A hearing on a restricted
    case the actor may not see is listed as "Restricted" like the diary."""
    start = datetime.combine(day, time.min)
    rows = diary_range(
        session,
        actor,
        start=start,
        end=start + timedelta(days=1),
        office_id=office_id,
        kinds=COURT_LIST_KINDS,
    )
    sittings: dict[tuple[str, str], list[DiaryRow]] = {}
    for row in rows:
        if row.appointment.status in GONE or row.appointment.starts_at.date() != day:
            continue
        half = "pm" if row.appointment.starts_at.time() >= COURT_PM_FROM else "am"
        sittings.setdefault((_court_of(row), half), []).append(row)
    return [
        CourtSitting(court, half, tuple(found))
        for (court, half), found in sorted(
            sittings.items(), key=lambda kv: (kv[0][0].casefold(), kv[0][1])
        )
    ]
