"""Offices, teams and rooms, and the case-type catalogue."""

from __future__ import annotations

from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseType, Office, Room, Team
from caseterm.core.rules.catalogue import DEFAULT_CASE_TYPES
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line


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
) -> Office:
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
    return office


def create_team(
    session: Session, actor: Actor, *, code: str, name: str, office_id: int | None
) -> Team:
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
    return team


def create_room(session: Session, actor: Actor, *, office_id: int, name: str) -> Room:
    actor.require("staff.admin")
    if session.get(Office, office_id) is None:
        raise ValidationError("office", f"no office with id {office_id}")
    room = Room(office_id=office_id, name=clean_line("name", name))
    session.add(room)
    session.flush()
    audit.record(session, actor, "room.create", "room", room.id, summary=f"room {room.name}")
    return room


def office_by_code(session: Session, code: str) -> Office:
    office = session.exec(select(Office).where(Office.code == code.upper())).first()
    if office is None:
        codes = ", ".join(session.exec(select(Office.code)).all()) or "none yet"
        raise ValidationError("office", f"no office {code!r} (offices: {codes})")
    return office


def team_by_code(session: Session, code: str) -> Team:
    team = session.exec(select(Team).where(Team.code == code.upper())).first()
    if team is None:
        raise ValidationError("team", f"no team {code!r}")
    return team


def list_offices(session: Session) -> list[Office]:
    return list(session.exec(select(Office).order_by(Office.code)).all())


def list_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(Team.code)).all())


def list_rooms(session: Session, office_id: int | None = None) -> list[Room]:
    q = select(Room).order_by(Room.name)
    if office_id is not None:
        q = q.where(Room.office_id == office_id)
    return list(session.exec(q).all())


def list_case_types(session: Session) -> list[CaseType]:
    return list(
        session.exec(
            select(CaseType).where(col(CaseType.active).is_(True)).order_by(CaseType.code)
        ).all()
    )
