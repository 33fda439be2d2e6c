"""Who is acting: the Unix login mapped to an enrolled, active member of staff.

The Unix login comes from the kernel (the process's user id), not from `$USER` or `$LOGNAME`,
which anyone can set. `CASETERM_USER=LOGIN` asks to act as another member of staff. An
environment variable must never grant an identity on a real database, so it is honoured only

- when the real Unix user is root (who can already do anything to the database file), or
- on a database made as a demo (`caseterm demo`, `caseterm --demo`), which says so inside
  itself (`database_info.demo`).

Otherwise it is refused in one line saying so. On PostgreSQL the member of staff is the database
role of the connection (which the server authenticated); there `CASETERM_USER` is honoured only
for the database's owner role or a superuser. None of this is a security boundary on SQLite:
anyone who can write the database file can change it without caseterm (see docs/security.md).
Every audit event and access-log row records the real Unix login (`os_user`) beside the member of
staff, so work done "as" someone else shows who really did it.
"""

from __future__ import annotations

import getpass
import os
import pwd
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from caseterm.core.errors import DisabledError, NotEnrolledError, PermissionDeniedError
from caseterm.core.models import DatabaseInfo, Staff, StaffRole
from caseterm.core.rules.roles import capability_label, roles_allowing, roles_text

OVERRIDE_ENV = "CASETERM_USER"


def real_login() -> str:
    """The Unix login of this process's effective user id (never taken from the environment)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid with no passwd entry (some containers)
        return getpass.getuser()


def _requested_login() -> str | None:
    """The `CASETERM_USER` override, if one is set and differs from the real login."""
    wanted = (os.environ.get(OVERRIDE_ENV) or "").strip()
    return wanted if wanted and wanted != real_login() else None


def os_login() -> str:
    """The login caseterm will act as: the override if one is requested, else the real login.
    Whether the override is allowed is decided by `resolve_actor`, which can see the staff list."""
    return _requested_login() or real_login()


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
                f"{self.login} may not {capability_label(capability)} "
                f"(roles: {roles_text(self.roles)}; it needs one of: "
                f"{roles_text(roles_allowing(capability))})"
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
        os_user=real_login(),
    )


def _is_demo_database(session: Session) -> bool:
    """Was this database made as a demo (marked so inside it by the demo builder)?"""
    try:
        info = session.get(DatabaseInfo, 1)
    except OperationalError:  # a schema from before the marker: a real database
        return False
    return bool(info is not None and info.demo)


def _override_allowed(session: Session) -> bool:
    """May this process act as someone else? Only root, or anyone on a demo database."""
    return os.geteuid() == 0 or _is_demo_database(session)


def _database_role(session: Session) -> str | None:
    """On PostgreSQL, the role the connection authenticated as; None on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return str(session.execute(text("SELECT current_user")).scalar_one())


def _role_owns_database(session: Session) -> bool:
    row = session.execute(
        text(
            "SELECT r.rolsuper OR pg_get_userbyid(d.datdba) = current_user "
            "FROM pg_database d, pg_roles r "
            "WHERE d.datname = current_database() AND r.rolname = current_user"
        )
    ).scalar()
    return bool(row)


def effective_login(session: Session) -> str:
    """The login to act as. On PostgreSQL: the connection's database role, which the server
    authenticated; `CASETERM_USER` is honoured there only for the database's owner role (or a
    superuser), who can change anything anyway. On SQLite: the real Unix login, or an allowed
    `CASETERM_USER` override."""
    role = _database_role(session)
    if role is not None:
        wanted = (os.environ.get(OVERRIDE_ENV) or "").strip()
        if not wanted or wanted == role:
            return role
        if _role_owns_database(session):
            return wanted
        raise PermissionDeniedError(
            f"{OVERRIDE_ENV}={wanted} is honoured on PostgreSQL only for the database's owner; "
            f"you are connected as the role {role}"
        )
    requested = _requested_login()
    if requested is None:
        return real_login()
    if not _override_allowed(session):
        raise PermissionDeniedError(
            f"{OVERRIDE_ENV}={requested} refused: honoured only for root or on a demo database; "
            f"unset it to work as {real_login()}"
        )
    return requested


def resolve_actor(session: Session, login: str | None = None) -> Actor:
    """The enrolled, active member of staff for `login` (default: this process's Unix login,
    or an allowed `CASETERM_USER` override)."""
    login = login or effective_login(session)
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise NotEnrolledError(login)
    if not staff.active:
        raise DisabledError(login)
    return actor_for(session, staff)
