"""Who is acting: the OS login mapped to an enrolled, active member of staff."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlmodel import Session, select

from caseterm.core.errors import DisabledError, NotEnrolledError, PermissionDeniedError
from caseterm.core.models import Staff, StaffRole
from caseterm.core.rules.roles import roles_allowing


def os_login() -> str:
    """The Unix login. `CASETERM_USER` overrides it for demos and tests; on SQLite that is no
    weaker than the file permissions themselves (see README, "Security")."""
    return os.environ.get("CASETERM_USER") or getpass.getuser()


@dataclass(frozen=True)
class Actor:
    id: int
    login: str
    name: str
    roles: frozenset[str]
    team_id: int | None
    office_id: int | None
    os_user: str = ""

    def has(self, capability: str) -> bool:
        return bool(self.roles & roles_allowing(capability))

    def require(self, capability: str) -> None:
        if not self.has(capability):
            raise PermissionDeniedError(
                f"{self.login} may not {capability.replace('.', ' ')} "
                f"(roles: {', '.join(sorted(self.roles)) or 'none'})"
            )


def roles_of(session: Session, staff_id: int) -> frozenset[str]:
    rows = session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff_id)).all()
    return frozenset(rows)


def actor_for(session: Session, staff: Staff) -> Actor:
    assert staff.id is not None
    return Actor(
        id=staff.id,
        login=staff.login,
        name=staff.name,
        roles=roles_of(session, staff.id),
        team_id=staff.team_id,
        office_id=staff.office_id,
        os_user=getpass.getuser(),
    )


def resolve_actor(session: Session, login: str | None = None) -> Actor:
    """The enrolled, active member of staff for `login` (default: the OS login)."""
    login = login or os_login()
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise NotEnrolledError(login)
    if not staff.active:
        raise DisabledError(login)
    return actor_for(session, staff)
