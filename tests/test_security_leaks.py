"""What a member of staff kept out of a restricted case must not learn elsewhere: the audit
journal about its subject, triage's duplicate suggestions, a subject access export, the
reception desk. Each place shows "restricted — ask OWNER" as search does, and writes the
refusal (or the view) to the access log with the real Unix login."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.errors import RestrictedError
from caseterm.core.models import AccessLog, Staff
from caseterm.core.services import cases, history, people
from caseterm.core.services.history import AuditQuery
from caseterm.core.services.identity import real_login
from tests.factories import World
from tests.test_cli_errors import run_cli

SECRETS = ("Siobhán", "O'Neill", "Shiv", "Brady", "X123456", "1988")


def deny(world: World, *logins: str) -> None:
    with world.db.write() as s:
        ids = [s.exec(select(Staff.id).where(Staff.login == x)).one() or 0 for x in logins]
        cases.restrict_case(s, world.manager, world.case.id or 0, deny=ids)


def access_rows(world: World) -> list[tuple[str, str, str, str]]:
    with world.db.read() as s:
        rows = s.exec(
            select(Staff.login, AccessLog.os_user, AccessLog.action, AccessLog.where)
            .join(Staff, col(Staff.id) == col(AccessLog.staff_id))
            .order_by(col(AccessLog.id))
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


# --- 3. the audit journal ---------------------------------------------------------------------


def test_person_history_hides_a_restricted_subject_and_logs_the_refusal(world: World) -> None:
    with world.db.write() as s:
        people.add_alias(s, world.clerk, world.person.id or 0, "Shiv", "Brady")
    deny(world, "other")
    with world.db.write() as s:
        rows = history.person_history(s, world.other, world.person.id or 0)
    assert rows and all(r.restricted and r.changes == [] for r in rows)
    assert {r.summary for r in rows} == {"restricted — ask Wendy Worker"}
    assert ("other", real_login(), "refused", "history") in access_rows(world)
    # The owner still reads it all.
    with world.db.write() as s:
        mine = history.person_history(s, world.worker, world.person.id or 0)
    assert any("Shiv" in r.summary or "Shiv" in str(r.changes) for r in mine)


def test_an_auditor_on_the_deny_list_searches_the_journal_masked(world: World) -> None:
    deny(world, "boss")
    with world.db.write() as s:
        rows = history.search_audit(s, world.manager, AuditQuery(person_id=world.person.id))
    assert rows and all(r.restricted for r in rows)
    assert not leaked(json.dumps([r.summary for r in rows] + [str(r.changes) for r in rows]))
    assert ("boss", real_login(), "refused", "history") in access_rows(world)


@pytest.mark.sqlite_only
def test_cli_audit_person_shows_a_denied_user_nothing_of_the_subject(
    world: World, tmp_path: Path
) -> None:
    with world.db.write() as s:
        people.add_alias(s, world.clerk, world.person.id or 0, "Shiv", "Brady")
    deny(world, "other")
    pid = str(world.person.id)
    for args in (("--json",), ()):
        run = run_cli(tmp_path, "audit", "--person", pid, *args, db=world.db.url, user="other")
        assert run.code == 0, run.err
        assert "restricted — ask Wendy Worker" in run.out
        assert leaked(run.out) == []
    assert ("other", real_login(), "refused", "history") in access_rows(world)
    shown = run_cli(tmp_path, "audit", "--person", pid, "--json", db=world.db.url, user="worker")
    assert "Shiv" in shown.out  # the owner sees it


# --- 2. the access log names the real Unix login ----------------------------------------------


def test_every_access_log_row_names_the_real_unix_login(world: World) -> None:
    deny(world, "other")
    with world.db.write() as s:
        cases.view_case(s, world.worker, world.case.id or 0)
        with contextlib.suppress(RestrictedError):
            cases.view_case(s, world.other, world.case.id or 0)
    rows = access_rows(world)
    assert ("worker", real_login(), "viewed", "case") in rows
    assert ("other", real_login(), "refused", "case") in rows
    assert all(os_user == real_login() for _, os_user, _, _ in rows)
