"""Enrolling staff. The first member of a new database becomes its system administrator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import ROLES, Office, Staff, StaffRole, Team
from caseterm.core.services import audit
from caseterm.core.services.common import touch
from caseterm.core.services.identity import Actor, actor_for
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class StaffInfo:
    """A member of staff as the TUI and the CLI see them (same field names as the table's)."""

    id: int
    login: str
    name: str
    email: str
    team_id: int | None
    office_id: int | None
    active: bool
    version: int
    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, s: Staff, roles: list[str] | tuple[str, ...] = ()) -> StaffInfo:
        return cls(
            s.id or 0,
            s.login,
            s.name,
            s.email,
            s.team_id,
            s.office_id,
            s.active,
            s.version,
            tuple(roles),
        )


def count_staff(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Staff)).one())


def _check_roles(roles: list[str]) -> list[str]:
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise ValidationError("roles", f"unknown role {bad[0]!r}; choose from {', '.join(ROLES)}")
    return sorted(set(roles))


def add_staff(
    session: Session,
    actor: Actor | None,
    *,
    login: str,
    name: str,
    roles: list[str] | None = None,
    team_code: str | None = None,
    office_code: str | None = None,
) -> StaffInfo:
    """Enrol a member of staff. Needs a system administrator, except for the very first member
    of a new database, who becomes its system administrator."""
    first = count_staff(session) == 0
    if not first:
        if actor is None:
            raise ValidationError("actor", "only a system administrator can enrol staff")
        actor.require("staff.admin")
    login = clean_line("login", login, limit=64)
    if session.exec(select(Staff).where(Staff.login == login)).first():
        raise ValidationError("login", f"{login!r} is already enrolled")
    role_list = _check_roles(list(roles or ["caseworker"]))
    if first and "sysadmin" not in role_list:
        role_list.append("sysadmin")
    staff = Staff(login=login, name=clean_line("name", name))
    if team_code:
        team = session.exec(select(Team).where(Team.code == team_code)).first()
        if team is None:
            raise ValidationError("team", f"no team {team_code!r}")
        staff.team_id = team.id
        staff.office_id = team.office_id
    if office_code:
        office = session.exec(select(Office).where(Office.code == office_code)).first()
        if office is None:
            raise ValidationError("office", f"no office {office_code!r}")
        staff.office_id = office.id
    session.add(staff)
    session.flush()
    assert staff.id is not None
    for role in role_list:
        session.add(StaffRole(staff_id=staff.id, role=role))
    session.flush()
    audit.record(
        session,
        actor or actor_for(session, staff),
        "staff.add",
        "staff",
        staff.id,
        summary=f"enrolled {login} ({', '.join(role_list)})",
        after={"login": login, "name": staff.name, "roles": role_list},
    )
    return StaffInfo.of(staff, role_list)


def _find_staff(session: Session, login: str) -> Staff:
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise NotFoundError("staff", login)
    return staff


def _roles_of(session: Session, staff_id: int | None) -> list[str]:
    return sorted(session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff_id)).all())


def find_staff(session: Session, login: str) -> StaffInfo:
    staff = _find_staff(session, login)
    return StaffInfo.of(staff, _roles_of(session, staff.id))


def list_staff(session: Session) -> list[StaffInfo]:
    """Everyone enrolled, by login, with their roles."""
    staff = session.exec(select(Staff).order_by(Staff.login)).all()
    roles: dict[int, list[str]] = {}
    for row in session.exec(select(StaffRole)).all():
        roles.setdefault(row.staff_id, []).append(row.role)
    return [StaffInfo.of(s, sorted(roles.get(s.id or 0, []))) for s in staff]


def set_active(session: Session, actor: Actor, *, login: str, active: bool) -> StaffInfo:
    actor.require("staff.admin")
    staff = _find_staff(session, login)
    if not active and staff.id == actor.id:
        raise ValidationError("login", "you cannot disable yourself")
    before = staff.active
    staff.active = active
    touch(staff, actor.id)
    audit.record(
        session,
        actor,
        "staff.enable" if active else "staff.disable",
        "staff",
        staff.id,
        summary=f"{'enabled' if active else 'disabled'} {login}",
        before={"active": before},
        after={"active": active},
    )
    return StaffInfo.of(staff, _roles_of(session, staff.id))


def set_roles(session: Session, actor: Actor, *, login: str, roles: list[str]) -> list[str]:
    actor.require("staff.admin")
    staff = _find_staff(session, login)
    assert staff.id is not None
    new = _check_roles(roles)
    if not new:
        raise ValidationError("roles", "give at least one role")
    old = sorted(session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff.id)).all())
    if staff.id == actor.id and "sysadmin" in old and "sysadmin" not in new:
        raise ValidationError("roles", "you cannot remove your own system administrator role")
    for row in session.exec(select(StaffRole).where(StaffRole.staff_id == staff.id)).all():
        session.delete(row)
    session.flush()
    for role in new:
        session.add(StaffRole(staff_id=staff.id, role=role))
    audit.record(
        session,
        actor,
        "staff.roles",
        "staff",
        staff.id,
        summary=f"roles of {login}: {', '.join(new)}",
        before={"roles": old},
        after={"roles": new},
    )
    return new
