"""On PostgreSQL the acting member of staff is the connection's database role; staff roles and
restricted cases hold through the same services as on SQLite."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import select

from caseterm.core.errors import NotEnrolledError, PermissionDeniedError, RestrictedError
from caseterm.core.models import AuditEvent
from caseterm.core.services import cases, contacts, staff
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.pg_roles import current_actor, database_login, grant_staff_group
from tests import pg
from tests.factories import World, build_world


@dataclass
class Roles:
    world: World
    login: str  # a login role enrolled as a caseworker
    stranger: str  # a login role with table access but no staff record

    def connect(self, login: str) -> Database:
        url = make_url(self.world.db.url).set(username=login, password="pw-" + login)
        return Database(url.render_as_string(hide_password=False))


@pytest.fixture
def roles(pg_server: pg.Dropper, pg_template: str) -> Iterator[Roles]:
    tag = secrets.token_hex(4)
    group, login, stranger = f"ct_staff_{tag}", f"ct_cw_{tag}", f"ct_x_{tag}"
    name = pg.create_database(template=pg_template)
    db = open_database(pg.url_for(name)).db
    world = build_world(db)
    grant_staff_group(db, group)
    for role in (login, stranger):
        pg.admin(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}' IN ROLE {group}")
    with db.write() as s:
        staff.add_staff(
            s, world.admin, login=login, name="Pat Role", roles=["caseworker"], team_code="PRE-OM"
        )
    try:
        yield Roles(world, login, stranger)
    finally:
        # Roles are server-wide: drop the database holding their privileges first, then them.
        db.dispose()
        pg.drop_database(name)
        for role in (login, stranger, group):
            pg.admin(f"DROP ROLE IF EXISTS {role}")


def test_the_database_role_is_the_member_of_staff(
    roles: Roles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASETERM_USER", "root")  # not honoured on PostgreSQL
    db = roles.connect(roles.login)
    try:
        with db.read() as s:
            assert database_login(s) == roles.login
            actor = current_actor(s)
        assert actor.login == roles.login
        assert actor.roles == frozenset({"caseworker"})
    finally:
        db.dispose()


def test_a_role_without_a_staff_record_is_refused(roles: Roles) -> None:
    db = roles.connect(roles.stranger)
    try:
        with pytest.raises(NotEnrolledError), db.read() as s:
            current_actor(s)
    finally:
        db.dispose()


def test_staff_role_works_through_services_and_is_audited_as_itself(roles: Roles) -> None:
    case_id = roles.world.case.id or 0
    db = roles.connect(roles.login)
    try:
        with db.write() as s:
            actor = current_actor(s)
            entry = contacts.log_contact(
                s, actor, case_id=case_id, contact_type="phone_in", notes="hi"
            )
        with pytest.raises(PermissionDeniedError), db.write() as s:
            staff.add_staff(s, current_actor(s), login="x", name="X", roles=["manager"])
        with db.read() as s:
            event = s.exec(
                select(AuditEvent).where(
                    AuditEvent.entity == "contact_entry", AuditEvent.entity_id == entry.id
                )
            ).one()
        assert event.staff_id == actor.id
    finally:
        db.dispose()


def test_restricted_case_holds_for_a_database_role(roles: Roles) -> None:
    world = roles.world
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    db = roles.connect(roles.login)
    try:
        with pytest.raises(RestrictedError), db.write() as s:
            cases.view_case(s, current_actor(s), reference_or_id=world.case.id or 0)
    finally:
        db.dispose()


def test_on_sqlite_the_os_login_is_the_member_of_staff(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(str(tmp_path) + "/c.db").db
    try:
        build_world(db)  # a demo database: the override is honoured for any Unix user
        monkeypatch.setenv("CASETERM_USER", "worker")
        with db.read() as s:
            assert current_actor(s).login == "worker"
    finally:
        db.dispose()


def test_a_staff_role_cannot_create_or_upgrade_the_schema_and_is_told_who_can(
    roles: Roles,
) -> None:
    from caseterm.core.errors import DatabaseError
    from caseterm.core.storage import migrate

    with roles.world.db.engine.begin() as conn:  # as the owner: pretend the schema is older
        conn.execute(
            text("UPDATE alembic_version SET version_num = :v"), {"v": previous_revision()}
        )
    url = roles.connect(roles.login).url
    with pytest.raises(DatabaseError, match="only its owner role caseterm_test can run"):
        open_database(url)
    assert migrate.current_revision(roles.world.db) == previous_revision()  # nothing tried

    empty = pg.create_database()
    try:
        empty_url = make_url(url).set(database=empty).render_as_string(hide_password=False)
        with pytest.raises(DatabaseError, match="may not create tables"):
            open_database(empty_url)
    finally:
        pg.drop_database(empty)


def previous_revision() -> str:
    from alembic.script import ScriptDirectory

    from caseterm.core.storage.migrate import head_revision
    from caseterm.core.storage.migrations import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(head_revision())
    assert head is not None and isinstance(head.down_revision, str)
    return head.down_revision


def test_default_identity_is_the_connection_role(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseterm.core.errors import NotEnrolledError
    from caseterm.core.services.identity import resolve_actor
    from caseterm.core.storage.opening import open_database
    from tests.factories import build_world

    db = open_database(pg_url).db
    try:
        build_world(db)
        monkeypatch.delenv("CASETERM_USER", raising=False)
        with db.read() as s:
            role = database_login(s)
            with pytest.raises(NotEnrolledError) as err:
                resolve_actor(s)  # the Unix login plays no part on PostgreSQL
            assert err.value.login == role
            monkeypatch.setenv("CASETERM_USER", "worker")  # honoured: this role owns the database
            assert resolve_actor(s).login == "worker"
    finally:
        db.dispose()


def test_a_staff_role_cannot_act_as_someone_else(
    roles: Roles, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseterm.core.errors import PermissionDeniedError
    from caseterm.core.services.identity import resolve_actor

    monkeypatch.setenv("CASETERM_USER", "boss")
    db = roles.connect(roles.login)
    try:
        with (
            db.read() as s,
            pytest.raises(PermissionDeniedError, match="only for the database's owner"),
        ):
            resolve_actor(s)
        monkeypatch.delenv("CASETERM_USER")
        with db.read() as s:
            assert resolve_actor(s).login == roles.login
    finally:
        db.dispose()
