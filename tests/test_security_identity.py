"""Who is acting: the Unix login from the kernel, and the rule for `CASETERM_USER` (honoured
for root or on a database marked as a demo; refused otherwise, whatever the environment says).
The same rule is shown with a real non-root Unix user in tests/test_security_impersonation.py."""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.demo import build_demo
from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import AuditEvent, DatabaseInfo
from caseterm.core.services import contacts, identity
from caseterm.core.services.identity import real_login, resolve_actor
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.factories import World, build_world

Become = Callable[[str], None]


@pytest.fixture
def as_unix_user(monkeypatch: pytest.MonkeyPatch) -> Become:
    """Pretend this process runs as an ordinary Unix user with the given login."""

    def become(login: str) -> None:
        monkeypatch.setattr(identity, "real_login", lambda: login)
        monkeypatch.setattr(os, "geteuid", lambda: 4242)

    return become


def test_the_login_comes_from_the_kernel_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "someone-else")
    assert real_login() == pwd.getpwuid(os.geteuid()).pw_name


# On PostgreSQL the acting member of staff is the connection's database role, not the Unix
# login: tests/test_postgres_identity.py covers that.
@pytest.mark.sqlite_only
def test_no_override_means_the_real_login(world: World, as_unix_user: Become) -> None:
    as_unix_user("worker")
    with world.db.read() as s:
        actor = resolve_actor(s)
    assert (actor.login, actor.os_user) == ("worker", "worker")


@pytest.fixture
def real_world(db: Database) -> World:
    """The test organisation in a database that is not marked as a demo."""
    return build_world(db, demo=False)


@pytest.mark.sqlite_only
def test_an_ordinary_user_cannot_act_as_someone_else_on_a_real_database(
    real_world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("worker")
    monkeypatch.setenv("CASETERM_USER", "boss")
    monkeypatch.setenv("CASETERM_DEMO", "1")  # no longer means anything
    with pytest.raises(PermissionDeniedError) as err, real_world.db.read() as s:
        resolve_actor(s)
    assert str(err.value) == (
        "CASETERM_USER=boss refused: honoured only for root or on a demo database; "
        "unset it to work as worker"
    )


@pytest.mark.sqlite_only
def test_an_enrolled_system_administrator_may_not_act_as_someone_else_either(
    real_world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("root")  # enrolled as the world's system administrator, but not uid 0 here
    monkeypatch.setenv("CASETERM_USER", "desk")
    with pytest.raises(PermissionDeniedError, match="refused"), real_world.db.read() as s:
        resolve_actor(s)


@pytest.mark.sqlite_only
def test_on_a_demo_database_anyone_may_act_as_anyone_and_the_journal_keeps_the_real_login(
    world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("worker")
    monkeypatch.setenv("CASETERM_USER", "other")
    monkeypatch.delenv("CASETERM_DEMO", raising=False)
    with world.db.read() as s:
        assert identity._is_demo_database(s)
    with world.db.write() as s:
        actor = resolve_actor(s)
        entry = contacts.log_contact(s, actor, case_id=world.case.id or 0, contact_type="phone_in")
    assert (actor.login, actor.os_user) == ("other", "worker")
    with world.db.read() as s:
        event = s.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "contact_entry", AuditEvent.entity_id == entry.id
            )
        ).one()
    assert (event.staff_id, event.os_user) == (world.other.id, "worker")


def test_root_may_act_as_someone_else_on_a_real_database(
    real_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs to run as root (uid 0) to show root's override")
    monkeypatch.setenv("CASETERM_USER", "clerk")
    with real_world.db.read() as s:
        actor = resolve_actor(s)
    assert (actor.login, actor.os_user) == ("clerk", "root")


def test_the_demo_builder_marks_its_database_as_a_demo(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "demo.db")).db
    try:
        with db.read() as s:
            assert not identity._is_demo_database(s)  # a new database is a real one
        build_demo(db, login="demo-user")
        with db.read() as s:
            assert identity._is_demo_database(s)
            info = s.get(DatabaseInfo, 1)
        assert info is not None and info.marked_by == real_login()
    finally:
        db.dispose()
