"""Roles are enforced by the services, and so by every command built on them: reception cannot
read a case or its contact log, a caseworker cannot enrol staff, and disabled or unknown logins
are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from caseterm.core.errors import DisabledError, NotEnrolledError, PermissionDeniedError
from caseterm.core.models import ROLES, AuditEvent, Staff
from caseterm.core.rules.roles import CAPABILITIES
from caseterm.core.services import cases, contacts, history, privacy, retention, staff
from caseterm.core.services.identity import resolve_actor
from tests.cli import run_cli
from tests.factories import World


def test_every_capability_names_only_known_roles() -> None:
    for capability, roles in CAPABILITIES.items():
        assert roles <= set(ROLES), capability


def test_the_roles_table_in_docs_matches_the_code() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "security.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| capability |"))
    columns = [c.strip() for c in header.strip("|").split("|")][1:]
    table = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            name = cells[0].split("`")[1]
            table[name] = frozenset(r for r, mark in zip(columns, cells[1:], strict=True) if mark)
    assert table == CAPABILITIES


def test_reception_sees_the_diary_but_no_case_or_contact_log(world: World) -> None:
    desk = world.desk
    assert desk.has("diary.read") and desk.has("reception.desk")
    with (
        pytest.raises(PermissionDeniedError, match="desk may not read cases"),
        world.db.write() as s,
    ):
        cases.view_case(s, desk, reference_or_id=world.case.id or 0)
    with pytest.raises(PermissionDeniedError), world.db.read() as s:
        contacts.list_contacts(s, desk, case_id=world.case.id or 0)
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        contacts.log_contact(s, desk, case_id=world.case.id or 0, contact_type="phone_in")
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        history.case_history(s, desk, case_id=world.case.id or 0)


def test_caseworker_cannot_enrol_staff_or_change_roles(world: World) -> None:
    with world.db.read() as s:
        before = s.exec(select(func.count()).select_from(Staff)).one()
    with pytest.raises(PermissionDeniedError, match="manage staff accounts"), world.db.write() as s:
        staff.add_staff(s, world.worker, login="mate", name="Mate", roles=["sysadmin"])
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        staff.set_roles(s, world.worker, login="worker", roles=["sysadmin"])
    with world.db.read() as s:
        assert s.exec(select(func.count()).select_from(Staff)).one() == before
        assert resolve_actor(s, "worker").roles == frozenset({"caseworker"})


def test_only_auditors_search_the_journal_and_only_dp_roles_export(world: World) -> None:
    with pytest.raises(PermissionDeniedError), world.db.read() as s:
        history.search_audit(s, world.worker, query=history.AuditQuery())
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        privacy.export_person(s, world.worker, person_id=world.person.id or 0, reason="SAR-1")
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        retention.run_retention(s, world.clerk)
    with world.db.read() as s:
        assert history.search_audit(s, world.manager, query=history.AuditQuery(limit=5))


def test_disabled_and_unknown_logins_are_refused(world: World) -> None:
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="other", active=False)
    with pytest.raises(DisabledError, match="'other' is disabled"), world.db.read() as s:
        resolve_actor(s, "other")
    with pytest.raises(NotEnrolledError, match="caseterm staff add ghost"), world.db.read() as s:
        resolve_actor(s, "ghost")
    with world.db.write() as s:
        staff.set_active(s, world.admin, login="other", active=True)
    with world.db.read() as s:
        assert resolve_actor(s, "other").login == "other"


def test_a_sysadmin_cannot_lock_themselves_out(world: World) -> None:
    with pytest.raises(Exception, match="cannot disable yourself"), world.db.write() as s:
        staff.set_active(s, world.admin, login="root", active=False)
    with pytest.raises(Exception, match="own system administrator role"), world.db.write() as s:
        staff.set_roles(s, world.admin, login="root", roles=["caseworker"])


# --- the same through the command line, as each user ------------------------------------------


@pytest.mark.sqlite_only
def test_cli_refuses_by_role(world: World, tmp_path: Path) -> None:
    url, ref = world.db.url, world.case.reference
    desk = run_cli(tmp_path, "case", "show", ref, db=url, user="desk")
    assert desk.code == 1 and "desk may not read cases" in desk.one_error_line()
    history_run = run_cli(tmp_path, "audit", "--case", ref, db=url, user="desk")
    assert history_run.code == 1 and "may not read cases" in history_run.one_error_line()
    enrol = run_cli(tmp_path, "staff", "add", "mate", "--name", "Mate", db=url, user="worker")
    assert enrol.code == 1 and "worker may not manage staff accounts" in enrol.one_error_line()
    export = run_cli(
        tmp_path, "person", "export", str(world.person.id), "--reason", "x", db=url, user="worker"
    )
    assert export.code == 1 and "may not handle data-protection requests" in export.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(Staff).where(Staff.login == "mate")).first() is None
        assert not s.exec(select(AuditEvent).where(AuditEvent.action == "person.export")).all()


@pytest.mark.sqlite_only
def test_cli_staff_admin_and_disabled_login(world: World, tmp_path: Path) -> None:
    url = world.db.url
    added = run_cli(
        tmp_path, "staff", "add", "newbie", "--name", "Nat New", "--roles", "reception",
        db=url, user="root",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "enrolled newbie (Nat New): reception" in added.out
    roles = run_cli(
        tmp_path, "staff", "roles", "newbie", "reception,caseworker", db=url, user="root"
    )
    assert roles.code == 0 and "newbie: caseworker, reception" in roles.out
    off = run_cli(tmp_path, "staff", "disable", "newbie", db=url, user="root")
    assert off.code == 0, off.err
    refused = run_cli(tmp_path, "staff", "list", db=url, user="newbie")
    assert refused.code == 1
    assert "'newbie' is disabled in caseterm" in refused.one_error_line()
    listed = run_cli(tmp_path, "staff", "list", "--json", db=url, user="worker")
    assert listed.code == 0, listed.err
    rows = {r["login"]: r for r in listed.json()}
    assert rows["newbie"]["active"] is False
    assert rows["newbie"]["roles"] == ["caseworker", "reception"]
    assert rows["worker"]["team"] == "PRE-OM"
    unknown = run_cli(tmp_path, "staff", "list", db=url, user="ghost")
    assert unknown.code == 1 and "'ghost' is not enrolled" in unknown.one_error_line()


@pytest.mark.sqlite_only
def test_cli_first_member_enrols_themselves_and_becomes_sysadmin(tmp_path: Path) -> None:
    url = str(tmp_path / "new.db")
    other = run_cli(tmp_path, "staff", "add", "someone", "--name", "S", db=url, user="alice")
    assert other.code == 1 and "enrols themselves" in other.one_error_line()
    first = run_cli(tmp_path, "staff", "add", "alice", "--name", "Alice A", db=url, user="alice")
    assert first.code == 0, first.err
    assert "sysadmin" in first.out
    second = run_cli(tmp_path, "staff", "add", "bob", "--name", "Bob B", db=url, user="bob")
    assert second.code == 1 and "'bob' is not enrolled" in second.one_error_line()
