"""Where a case's paper file is (seed 000 "storage, maintenance"): in an office, in a cabinet
or on a shelf, in a storage box, or at the off-site archive with the date it can be retrieved
by. Each move is a new row: the newest is where it is now, the others its history. A closed
case's file may still be moved (that is when files go to storage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Office, Staff
from caseterm.core.models.case_lifecycle import FileLocation
from caseterm.core.models.vocab import FileLocationKind
from caseterm.core.rules.case_lifecycle import FILE_LOCATION_KINDS
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class LocationInfo:
    location_id: int
    case_id: int
    kind: str
    kind_label: str
    office: str | None
    place: str
    box: str
    retrieval_date: date | None
    note: str
    recorded_at: datetime
    recorded_by: str | None

    def describe(self) -> str:
        parts = [self.kind_label]
        parts += [p for p in (self.office, self.place, f"box {self.box}" if self.box else "") if p]
        if self.retrieval_date:
            parts.append(f"retrievable by {self.retrieval_date:%d/%m/%Y}")
        return ", ".join(parts)


def set_file_location(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    office_id: int | None = None,
    place: str = "",
    box: str = "",
    retrieval_date: date | None = None,
    note: str = "",
) -> LocationInfo:
    """Record where the paper file is now. An office or cabinet needs the office; a storage box
    its box number; the off-site archive a box number and the retrieval date."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    if kind not in FILE_LOCATION_KINDS:
        raise ValidationError(
            "kind", f"unknown file location {kind!r}; use one of {', '.join(FILE_LOCATION_KINDS)}"
        )
    if office_id is not None and session.get(Office, office_id) is None:
        raise ValidationError("office", f"no office with id {office_id}")
    if kind in (FileLocationKind.OFFICE, FileLocationKind.CABINET) and office_id is None:
        raise ValidationError("office", f"say which office the file is in ({kind})")
    if kind == FileLocationKind.CABINET and not place.strip():
        raise ValidationError("place", "name the cabinet or shelf")
    if kind in (FileLocationKind.BOX, FileLocationKind.OFFSITE) and not box.strip():
        raise ValidationError("box", "give the storage box number")
    if kind == FileLocationKind.OFFSITE and retrieval_date is None:
        raise ValidationError("retrieval_date", "an off-site file needs its retrieval date")
    if retrieval_date is not None and kind != FileLocationKind.OFFSITE:
        raise ValidationError("retrieval_date", "only an off-site file has a retrieval date")
    row = FileLocation(
        case_id=case_id,
        kind=kind,
        office_id=office_id,
        place=clean_line("place", place, required=False, limit=120),
        box=clean_line("box", box, required=False, limit=60),
        retrieval_date=retrieval_date,
        note=clean_line("note", note, required=False, limit=300),
        recorded_at=clock.now(),
        recorded_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    info = _info(session, row)
    audit.record(
        session,
        actor,
        "case.file_location",
        "case",
        case_id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: paper file: {info.describe()}",
        after={"kind": kind, "office_id": office_id, "place": row.place, "box": row.box},
    )
    return info


def _info(session: Session, row: FileLocation) -> LocationInfo:
    office = session.get(Office, row.office_id) if row.office_id is not None else None
    staff = session.get(Staff, row.recorded_by_id) if row.recorded_by_id is not None else None
    return LocationInfo(
        location_id=row.id or 0,
        case_id=row.case_id,
        kind=row.kind,
        kind_label=FILE_LOCATION_KINDS.get(row.kind, row.kind),
        office=office.name if office else None,
        place=row.place,
        box=row.box,
        retrieval_date=row.retrieval_date,
        note=row.note,
        recorded_at=row.recorded_at,
        recorded_by=staff.name if staff else None,
    )


def location_info(session: Session, row: FileLocation) -> LocationInfo:
    """One recorded place of a paper file as shown (the caller has checked access)."""
    return _info(session, row)


def file_locations(session: Session, actor: Actor, *, case_id: int) -> list[LocationInfo]:
    """Where the paper file has been, newest (where it is now) first."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    rows = session.exec(
        select(FileLocation)
        .where(FileLocation.case_id == case_id)
        .order_by(col(FileLocation.id).desc())
    ).all()
    return [_info(session, r) for r in rows]
