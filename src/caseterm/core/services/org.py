"""Offices, teams and rooms, and the case-type catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseType, Office, Room, Team
from caseterm.core.rules.catalogue import DEFAULT_CASE_TYPES
from caseterm.core.services import audit
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class OfficeInfo:
    id: int
    code: str
    name: str
    address: str
    phone: str = ""

    @classmethod
    def of(cls, o: Office) -> OfficeInfo:
        return cls(o.id or 0, o.code, o.name, o.address, o.phone)


@dataclass(frozen=True)
class TeamInfo:
    id: int
    code: str
    name: str
    office_id: int | None

    @classmethod
    def of(cls, t: Team) -> TeamInfo:
        return cls(t.id or 0, t.code, t.name, t.office_id)


@dataclass(frozen=True)
class RoomInfo:
    id: int
    office_id: int
    name: str
    office_code: str = ""

    @classmethod
    def of(cls, r: Room, office_code: str = "") -> RoomInfo:
        return cls(r.id or 0, r.office_id, r.name, office_code)

    @property
    def label(self) -> str:
        """The room as people read it everywhere: with its office ("PRE · Group room")."""
        return _room_label(self.office_code, self.name)


def _room_label(office_code: str, name: str) -> str:
    """A room with its office, so that four offices' "Group room" can be told apart."""
    return f"{office_code} · {name}" if office_code else name


@dataclass(frozen=True)
class CaseTypeInfo:
    id: int
    code: str
    name: str
    ref_prefix: str
    retention_years: int
    fta_limit: int
    fta_window_months: int
    active: bool

    @classmethod
    def of(cls, c: CaseType) -> CaseTypeInfo:
        return cls(
            c.id or 0,
            c.code,
            c.name,
            c.ref_prefix,
            c.retention_years,
            c.fta_limit,
            c.fta_window_months,
            c.active,
        )


def ensure_catalogue(session: Session) -> int:
    """Add any default case types missing from the catalogue; returns how many were added."""
    have = set(session.exec(select(CaseType.code)).all())
    added = 0
    for spec in DEFAULT_CASE_TYPES:
        if spec.code not in have:
            session.add(
                CaseType(
                    code=spec.code,
                    name=spec.name,
                    ref_prefix=spec.ref_prefix,
                    retention_years=spec.retention_years,
                    fta_limit=spec.fta_limit,
                    fta_window_months=spec.fta_window_months,
                )
            )
            added += 1
    session.flush()
    return added


def create_office(
    session: Session, actor: Actor, *, code: str, name: str, address: str = ""
) -> OfficeInfo:
    actor.require("staff.admin")
    code = clean_line("code", code, limit=20).upper()
    if session.exec(select(Office).where(Office.code == code)).first():
        raise ValidationError("code", f"office {code} already exists")
    office = Office(
        code=code,
        name=clean_line("name", name),
        address=clean_line("address", address, required=False),
    )
    session.add(office)
    session.flush()
    audit.record(
        session, actor, "office.create", "office", office.id, summary=f"office {code} {office.name}"
    )
    return OfficeInfo.of(office)


def create_team(
    session: Session, actor: Actor, *, code: str, name: str, office_id: int | None
) -> TeamInfo:
    actor.require("staff.admin")
    code = clean_line("code", code, limit=20).upper()
    if session.exec(select(Team).where(Team.code == code)).first():
        raise ValidationError("code", f"team {code} already exists")
    if office_id is not None and session.get(Office, office_id) is None:
        raise ValidationError("office", f"no office with id {office_id}")
    team = Team(code=code, name=clean_line("name", name), office_id=office_id)
    session.add(team)
    session.flush()
    audit.record(session, actor, "team.create", "team", team.id, summary=f"team {code} {team.name}")
    return TeamInfo.of(team)


def create_room(session: Session, actor: Actor, *, office_id: int, name: str) -> RoomInfo:
    actor.require("staff.admin")
    if session.get(Office, office_id) is None:
        raise ValidationError("office", f"no office with id {office_id}")
    office = get(session, Office, office_id, "office")
    room = Room(office_id=office_id, name=clean_line("name", name))
    session.add(room)
    session.flush()
    label = _room_label(office.code, room.name)
    audit.record(session, actor, "room.create", "room", room.id, summary=f"room {label}")
    return RoomInfo.of(room, office.code)


def get_office(session: Session, office_id: int) -> OfficeInfo:
    return OfficeInfo.of(get(session, Office, office_id, "office"))


def office_by_code(session: Session, code: str) -> OfficeInfo:
    office = session.exec(select(Office).where(Office.code == code.upper())).first()
    if office is None:
        codes = ", ".join(session.exec(select(Office.code)).all()) or "none yet"
        raise ValidationError("office", f"no office {code!r} (offices: {codes})")
    return OfficeInfo.of(office)


def team_by_code(session: Session, code: str) -> TeamInfo:
    team = session.exec(select(Team).where(Team.code == code.upper())).first()
    if team is None:
        raise ValidationError("team", f"no team {code!r}")
    return TeamInfo.of(team)


def list_offices(session: Session) -> list[OfficeInfo]:
    return [OfficeInfo.of(o) for o in session.exec(select(Office).order_by(Office.code)).all()]


def list_teams(session: Session) -> list[TeamInfo]:
    return [TeamInfo.of(t) for t in session.exec(select(Team).order_by(Team.code)).all()]


def list_rooms(session: Session, office_id: int | None = None) -> list[RoomInfo]:
    """Rooms with their office's code, by office then name."""
    q = (
        select(Room, Office.code)
        .join(Office, col(Office.id) == col(Room.office_id))
        .order_by(col(Office.code), col(Room.name))
    )
    if office_id is not None:
        q = q.where(Room.office_id == office_id)
    return [RoomInfo.of(r, code) for r, code in session.exec(q).all()]


def list_case_types(session: Session) -> list[CaseTypeInfo]:
    active = select(CaseType).where(col(CaseType.active).is_(True)).order_by(CaseType.code)
    return [CaseTypeInfo.of(c) for c in session.exec(active).all()]
