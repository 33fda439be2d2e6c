"""Who is acting: the Unix login from the kernel, and the rule for `CASETERM_USER` (honoured
for root, for an enrolled system administrator, or with CASETERM_DEMO=1; refused otherwise).
The same rule is shown across real Unix users in tests/test_shared_host.py."""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import AuditEvent
from caseterm.core.services import contacts, identity
from caseterm.core.services.identity import real_login, resolve_actor
from tests.factories import World

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


@pytest.mark.sqlite_only
def test_an_ordinary_user_cannot_act_as_someone_else(
    world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("worker")
    monkeypatch.setenv("CASETERM_USER", "boss")
    monkeypatch.delenv("CASETERM_DEMO", raising=False)
    with pytest.raises(PermissionDeniedError) as err, world.db.read() as s:
        resolve_actor(s)
    assert "CASETERM_USER=boss is honoured only for root, a system administrator" in str(err.value)
    assert "unset it to work as worker" in str(err.value)


def test_demo_flag_allows_the_override_and_the_journal_keeps_the_real_login(
    world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("worker")
    monkeypatch.setenv("CASETERM_USER", "other")
    monkeypatch.setenv("CASETERM_DEMO", "1")
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


def test_a_system_administrator_may_act_as_someone_else(
    world: World, as_unix_user: Become, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_unix_user("root")  # enrolled as the world's system administrator, but not uid 0 here
    monkeypatch.setenv("CASETERM_USER", "desk")
    with world.db.read() as s:
        actor = resolve_actor(s)
    assert (actor.login, actor.os_user) == ("desk", "root")


def test_root_may_act_as_someone_else(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs to run as root (uid 0) to show root's override")
    monkeypatch.setenv("CASETERM_USER", "clerk")
    with world.db.read() as s:
        actor = resolve_actor(s)
    assert (actor.login, actor.os_user) == ("clerk", "root")
