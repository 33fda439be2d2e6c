"""Identity on PostgreSQL: who you are is the database role your connection authenticated as.

On SQLite the acting member of staff is the Unix login, and the file's permissions guard the
data. On PostgreSQL the server authenticates the role (password, peer, certificate), so the
role (`current_user`) is mapped to `staff.login`, and `CASETERM_USER` is not honoured: any
connection could otherwise claim to be anyone. Staff roles and restricted cases then hold through
the same services as on SQLite.

Each member of staff gets a login role named like their staff login, member of one group role
holding the table privileges (`grant_staff_group`); see docs/postgresql.md.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from caseterm.core.errors import DatabaseError
from caseterm.core.services.identity import Actor, resolve_actor
from caseterm.core.storage.database import Database

STAFF_GROUP = "caseterm_staff"


def database_login(session: Session) -> str:
    """The role this session's connection acts as."""
    return str(session.execute(text("SELECT current_user")).scalar_one())


def resolve_database_actor(session: Session) -> Actor:
    """The enrolled, active member of staff whose login is the connection's role
    (NotEnrolledError / DisabledError otherwise)."""
    return resolve_actor(session, database_login(session))


def current_actor(session: Session) -> Actor:
    """The acting member of staff: the database role on PostgreSQL, else the OS login."""
    if session.get_bind().dialect.name == "postgresql":
        return resolve_database_actor(session)
    return resolve_actor(session)


def _quote(session: Session, name: str) -> str:
    return str(session.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar_one())


def grant_staff_group(db: Database, group: str = STAFF_GROUP) -> None:
    """Create (if need be) the group role staff log in through, and give it what caseterm needs
    on every table and sequence, now and after future migrations. Run it as the role that owns
    the schema (the one that ran the migrations), after `caseterm db upgrade`."""
    if db.engine.dialect.name != "postgresql":
        raise DatabaseError("database roles exist only on PostgreSQL")
    with db.engine.begin() as conn, Session(bind=conn) as session:
        exists = session.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :g"), {"g": group}
        ).first()
        role = _quote(session, group)
        if exists is None:
            session.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ):
            session.execute(text(statement))
