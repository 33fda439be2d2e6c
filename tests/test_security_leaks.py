"""What a member of staff kept out of a restricted case must not learn elsewhere: the audit
journal about its subject, triage's duplicate suggestions, a subject access export, the
reception desk. Each place shows "restricted — ask OWNER" as search does, and writes the
refusal (or the view) to the access log with the real Unix login."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.models import AccessLog, AuditEvent, Staff
from caseterm.core.services import (
    cases,
    diary_views,
    history,
    people,
    privacy,
    reception,
    search,
    tasks,
    triage,
)
from caseterm.core.services.history import AuditQuery
from caseterm.core.services.identity import real_login
from caseterm.core.services.triage_suggestions import TriageItem
from tests.cli import run_cli
from tests.factories import World, book

SECRETS = ("Siobhán", "O'Neill", "Shiv", "Brady", "X123456", "1988")


def deny(world: World, *logins: str) -> None:
    with world.db.write() as s:
        ids = [s.exec(select(Staff.id).where(Staff.login == x)).one() or 0 for x in logins]
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, deny=ids)


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
        people.add_alias(
            s, world.clerk, person_id=world.person.id or 0, given="Shiv", family="Brady"
        )
    deny(world, "other")
    with world.db.write() as s:
        rows = history.person_history(s, world.other, person_id=world.person.id or 0)
    assert rows and all(r.restricted and r.changes == [] for r in rows)
    assert {r.summary for r in rows} == {"restricted — ask Wendy Worker"}
    assert ("other", real_login(), "refused", "history") in access_rows(world)
    # The owner still reads it all.
    with world.db.write() as s:
        mine = history.person_history(s, world.worker, person_id=world.person.id or 0)
    assert any("Shiv" in r.summary or "Shiv" in str(r.changes) for r in mine)


def test_an_auditor_on_the_deny_list_searches_the_journal_masked(world: World) -> None:
    deny(world, "boss")
    with world.db.write() as s:
        rows = history.search_audit(s, world.manager, query=AuditQuery(person_id=world.person.id))
    assert rows and all(r.restricted for r in rows)
    assert not leaked(json.dumps([r.summary for r in rows] + [str(r.changes) for r in rows]))
    assert ("boss", real_login(), "refused", "history") in access_rows(world)


@pytest.mark.sqlite_only
def test_cli_audit_person_shows_a_denied_user_nothing_of_the_subject(
    world: World, tmp_path: Path
) -> None:
    with world.db.write() as s:
        people.add_alias(
            s, world.clerk, person_id=world.person.id or 0, given="Shiv", family="Brady"
        )
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
        cases.view_case(s, world.worker, reference_or_id=world.case.id or 0)
        with contextlib.suppress(RestrictedError):
            cases.view_case(s, world.other, reference_or_id=world.case.id or 0)
    rows = access_rows(world)
    assert ("worker", real_login(), "viewed", "case") in rows
    assert ("other", real_login(), "refused", "case") in rows
    assert all(os_user == real_login() for _, os_user, _, _ in rows)


# --- 4. triage duplicate suggestions ----------------------------------------------------------


def _referral_with_open_tasks(world: World) -> int:
    """Open tasks on the restricted case, and an incoming referral naming its subject."""
    with world.db.write() as s:
        for title in ("Review due", "Chase court papers"):
            tasks.create_task(
                s,
                world.worker,
                kind="general",
                title=title,
                case_id=world.case.id,
                person_id=world.person.id,
            )
        item = tasks.create_task(
            s,
            world.clerk,
            kind="new_referral",
            title="Referral",
            status="untriaged",
            about_name="Siobhan O'Neill Brady",
            about_dob=world.person.date_of_birth,
        )
    return item.id or 0


def _triage_text(item: TriageItem) -> str:
    return json.dumps(
        {
            "suggestions": [(m.name, str(m.date_of_birth), m.reasons) for m in item.suggestions],
            "cases": {k: [c.status for c in v] for k, v in item.suggested_cases.items()},
            "warnings": {k: [w.text for w in v] for k, v in item.warnings.items()},
            "tasks": {k: [t.title for t in v] for k, v in item.open_tasks.items()},
        },
        ensure_ascii=False,
    )


def test_triage_suggestions_hide_a_restricted_subject_and_log_it(world: World) -> None:
    item_id = _referral_with_open_tasks(world)
    deny(world, "other")
    with world.db.write() as s:
        item = triage.load_item(s, world.other, task_id=item_id)
    pid = world.person.id or 0
    match = next(m for m in item.suggestions if m.person_id == pid)
    assert (match.name, match.date_of_birth) == ("Restricted", None)
    assert match.reasons == ["restricted — ask Wendy Worker"]
    assert item.open_tasks[pid] == [] and item.warnings[pid] == []
    assert [c.restricted for c in item.suggested_cases[pid]] == [True]
    text = _triage_text(item)
    assert "Review due" not in text and "Chase court papers" not in text
    assert leaked(text) == [], text
    assert ("other", real_login(), "refused", "triage") in access_rows(world)


def test_triage_suggestions_show_an_allowed_reader_and_log_the_view(world: World) -> None:
    item_id = _referral_with_open_tasks(world)
    deny(world, "boss")  # restricted, but not from the clerk
    with world.db.write() as s:
        item = triage.load_item(s, world.clerk, task_id=item_id)
    pid = world.person.id or 0
    assert {t.title for t in item.open_tasks[pid]} == {"Review due", "Chase court papers"}
    assert ("clerk", real_login(), "viewed", "triage") in access_rows(world)


# --- 5. subject access export -----------------------------------------------------------------


def export_log(world: World) -> list[tuple[str, str, str]]:
    with world.db.read() as s:
        rows = s.exec(
            select(Staff.login, AccessLog.action, AccessLog.reason)
            .join(Staff, col(Staff.id) == col(AccessLog.staff_id))
            .where(AccessLog.where == "export")
            .order_by(col(AccessLog.id))
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_manager_on_the_deny_list_is_refused_the_export_and_it_is_logged(world: World) -> None:
    deny(world, "boss")
    with world.db.write() as s, pytest.raises(RestrictedError) as err:
        privacy.export_person(s, world.manager, person_id=world.person.id or 0, reason="SAR-7")
    assert str(err.value) == f"{world.case.reference} is restricted — ask Wendy Worker"
    assert export_log(world) == [("boss", "refused", "SAR-7")]
    with world.db.read() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "person.export")).all() == []


def test_the_system_administrator_exports_a_restricted_subject_with_a_reason(
    world: World,
) -> None:
    deny(world, "boss", "root")
    with world.db.write() as s:
        data = privacy.export_person(s, world.admin, person_id=world.person.id or 0, reason="SAR-8")
    assert data["reason"] == "SAR-8" and data["person"]["family_name"] == "O'Neill-Brady"
    assert export_log(world) == [("root", "viewed", "SAR-8")]
    with world.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
    assert event.summary.endswith(": SAR-8") and json.loads(event.after) == {"reason": "SAR-8"}


def test_an_export_needs_a_reason(world: World) -> None:
    with world.db.write() as s, pytest.raises(ValidationError, match="reason"):
        privacy.export_person(s, world.admin, person_id=world.person.id or 0, reason="  ")


@pytest.mark.sqlite_only
def test_cli_export_needs_a_reason_and_keeps_a_refusal(world: World, tmp_path: Path) -> None:
    pid, url = str(world.person.id), world.db.url
    bare = run_cli(tmp_path, "person", "export", pid, db=url, user="boss")
    assert bare.code == 2 and "--reason" in bare.err
    deny(world, "boss")
    refused = run_cli(tmp_path, "person", "export", pid, "--reason", "SAR-9", db=url, user="boss")
    assert refused.code == 1 and leaked(refused.out) == []
    assert "restricted — ask Wendy Worker" in refused.err
    assert export_log(world) == [("boss", "refused", "SAR-9")]


# --- 6. the reception desk: one masking policy with the diary and search ----------------------


def test_the_desk_masks_a_restricted_arrival_as_the_diary_and_search_do(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, deny=[world.desk.id or 0])
    at = frozen_clock.replace(hour=11, minute=0)
    book(world, at)
    with world.db.write() as s:
        (row,) = reception.expected_today(s, world.desk, office_id=world.office.id or 0)
        (entry,) = diary_views._diary_day(s, world.desk, day=at.date(), office_id=world.office.id)
        hits = search.search(s, world.desk, text="Siobhan O'Neill-Brady", desk=True)
        matches = reception.desk_search(
            s, world.desk, office_id=world.office.id or 0, text="Siobhan"
        )
    assert (row.person_name, row.date_of_birth) == ("Restricted", "")
    assert row.warnings == [reception.RESTRICTED_DESK_WARNING]
    assert entry.person_name == row.person_name
    assert [(h.name, h.date_of_birth) for h in hits] == [("Restricted", None)]
    assert all((m.name, m.date_of_birth) == ("Restricted", "") for m in matches)
    assert leaked(json.dumps([str(row), str(entry), str(hits), str(matches)])) == []
    # Whoever may see the case sees the name at the desk as in the diary.
    with world.db.read() as s:
        (clerk_row,) = reception.expected_today(s, world.clerk, office_id=world.office.id or 0)
    assert (clerk_row.person_name, clerk_row.date_of_birth) == (
        "Siobhán O'Neill-Brady",
        "12/04/1988",
    )


def test_a_walk_in_of_a_restricted_subject_names_no_one_in_the_duty_queue(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, deny=[world.desk.id or 0])
    with world.db.write() as s:
        task = reception.walk_in(
            s, world.desk, world.office.id or 0, person_id=world.person.id, reason="lost letter"
        )
    assert task.title == "Walk-in: Restricted" and task.case_id is None
