"""What the diary's commands share: a room by name, an appointment as JSON."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, label
from caseterm.core.services import diary_views, org
from caseterm.core.text import listing, shorten


def room_by_name(session: Session, text: str) -> org.RoomInfo:
    """A room by name, or `OFFICE/Name` where two offices have a room of that name."""
    office_code, _, name = text.rpartition("/")
    rooms = org.list_rooms(session)
    offices = {o.id: o.code for o in org.list_offices(session)}
    matches = [
        r
        for r in rooms
        if r.name.casefold() == name.strip().casefold()
        and (not office_code or offices.get(r.office_id, "").casefold() == office_code.casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        which = listing([f"{offices.get(r.office_id, '?')}/{r.name}" for r in matches])
        raise ValidationError(
            "room", f"{shorten(text, 60)!r} is in more than one office; say which: {which}"
        )
    known = listing([f"{offices.get(r.office_id, '?')}/{r.name}" for r in rooms]) or "none"
    raise ValidationError("room", f"no room {shorten(text, 60)!r}; rooms: {known}")


def appointment_dict(row: diary_views.DiaryRow) -> dict[str, Any]:
    a = row.appointment
    return {
        "id": a.id,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "kind": a.kind,
        "kind_label": label(APPOINTMENT_KINDS, a.kind),
        "status": a.status,
        "case_reference": row.case_reference,
        "person_name": row.person_name,
        "staff_name": row.staff_name,
        "room_name": row.room_name,
        "location": a.location,
        "attendees": [w.shown for w in row.attendees],
        "series_id": a.series_id,
        "restricted": row.restricted,
        "version": a.version,
    }
