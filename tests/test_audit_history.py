"""Reading the audit journal: a case's history with old → new, a person's, a member of staff's
day, filtered searches — through the services and `caseterm audit`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.services import case_edit, contacts, history, people
from caseterm.core.services.history import AuditQuery
from caseterm.core.storage.database import Database
from tests.cli import run_cli
from tests.conftest import FROZEN
from tests.factories import World, build_world, close_now

YESTERDAY = FROZEN - timedelta(days=1)


@pytest.fixture
def busy_world(db: Database) -> Iterator[World]:
    """Built a month ago; yesterday the clerk added an alias; today (FROZEN) the case was
    reassigned and closed."""
    clock.freeze(FROZEN - timedelta(days=30))
    world = build_world(db)
    clock.freeze(YESTERDAY)
    with world.db.write() as s:
        people.add_alias(
            s, world.clerk, person_id=world.person.id or 0, given="Siobhan", family="Brady"
        )
    clock.freeze(FROZEN)
    with world.db.write() as s:
        case_edit.edit_case(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            owner_id=world.other.id,
            expected_version=None,
        )
    clock.freeze(FROZEN + timedelta(minutes=5))
    with world.db.write() as s:
        close_now(s, world.worker, world.case.id or 0)
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="internal",
            to_closed_case=True,
        )
    try:
        yield world
    finally:
        clock.freeze(None)


CHECKLIST = ("case.closure_start", "case.closure_step")  # closing goes through its checklist


def main_events(actions: list[str]) -> list[str]:
    """The actions less the closure checklist's own events (asserted where they matter)."""
    return [a for a in actions if a not in CHECKLIST]


def test_case_history_shows_who_changed_what_old_to_new(busy_world: World) -> None:
    w = busy_world
    with w.db.write() as s:
        every = history.case_history(s, w.worker, case_id=w.case.id or 0)
    assert {"case.closure_start", "case.closure_step"} <= {r.action for r in every}
    rows = [r for r in every if r.action not in CHECKLIST]
    assert [r.action for r in rows] == ["contact.log", "case.closed", "case.edit", "case.open"]
    assign = rows[2]
    assert (assign.login, assign.staff_name, assign.at) == ("clerk", "Claire Clerk", FROZEN)
    owner = {c.field: c for c in assign.changes}["owner_id"]
    assert (owner.old, owner.new) == (w.worker.id, w.other.id)
    assert (owner.old_text, owner.new_text) == ("Wendy Worker", "Owen Other")
    closed = {c.field: (c.old, c.new) for c in rows[1].changes}
    assert closed["status"] == ("open", "closed")
    assert closed["status_reason"] == ("", "Order or work completed")
    assert all(r.case_reference == w.case.reference for r in rows)
    assert rows[0].os_user  # the Unix login is recorded beside the member of staff


def test_person_history_includes_their_cases(busy_world: World) -> None:
    w = busy_world
    with w.db.read() as s:
        rows = history.person_history(s, w.worker, person_id=w.person.id or 0)
    actions = [r.action for r in rows]
    assert "person.alias" in actions and "person.create" in actions and "case.closed" in actions
    assert actions[-1] == "person.create"


def test_a_staff_members_day(busy_world: World) -> None:
    w = busy_world
    with w.db.read() as s:
        today = history.staff_day(s, w.clerk, login="clerk", day=FROZEN.date())
        yesterday = history.staff_day(s, w.clerk, login="clerk", day=YESTERDAY.date())
        as_manager = history.staff_day(s, w.manager, login="clerk", day=FROZEN.date())
    assert [r.action for r in today] == ["case.edit"]
    assert [r.action for r in yesterday] == ["person.alias"]
    assert as_manager == today
    with pytest.raises(PermissionDeniedError), w.db.read() as s:
        history.staff_day(s, w.worker, login="clerk", day=FROZEN.date())


def test_search_filters(busy_world: World) -> None:
    w = busy_world
    with w.db.read() as s:

        def actions(**kw: Any) -> list[str]:
            found = history.search_audit(s, w.manager, query=AuditQuery(**kw))
            return main_events([r.action for r in found])

        assert actions(action="case", day=FROZEN.date()) == ["case.closed", "case.edit"]
        assert actions(action="case.open") == ["case.open"]
        assert actions(staff_login="worker") == ["contact.log", "case.closed"]
        assert actions(case_reference=w.case.reference.lower(), limit=2) == [
            "contact.log",
            "case.closed",
        ]
        assert actions(person_id=w.person.id, day=YESTERDAY.date()) == ["person.alias"]
        assert actions(day=date(2001, 1, 1)) == []
        with pytest.raises(ValidationError, match="limit"):
            actions(limit=0)
        with pytest.raises(ValidationError, match="no member of staff"):
            actions(staff_login="ghost")


def test_access_log_is_for_auditors(busy_world: World) -> None:
    w = busy_world
    with pytest.raises(PermissionDeniedError), w.db.read() as s:
        history.access_log(s, w.worker)
    with w.db.read() as s:
        assert history.access_log(s, w.manager) == []


@pytest.mark.sqlite_only
def test_cli_audit(busy_world: World, tmp_path: Path) -> None:
    w = busy_world
    url, ref = w.db.url, w.case.reference
    case_rows = run_cli(tmp_path, "audit", "--case", ref, "--json", db=url, user="worker")
    assert case_rows.code == 0, case_rows.err
    data = case_rows.json()
    assert main_events([r["action"] for r in data])[:3] == [
        "contact.log",
        "case.closed",
        "case.edit",
    ]
    edit = next(r for r in data if r["action"] == "case.edit")
    owner = next(c for c in edit["changes"] if c["field"] == "owner_id")
    assert (owner["old_text"], owner["new_text"]) == ("Wendy Worker", "Owen Other")
    text = run_cli(tmp_path, "audit", "--case", ref, db=url, user="worker")
    assert "owner_id: Wendy Worker → Owen Other" in text.out
    own_day = run_cli(tmp_path, "audit", "--day", "today", "--json", db=url, user="worker")
    assert own_day.code == 0, own_day.err
    assert main_events([r["action"] for r in own_day.json()]) == ["contact.log", "case.closed"]
    others_day = run_cli(
        tmp_path, "audit", "--staff", "clerk", "--day", "yesterday", "--json", db=url, user="boss"
    )
    assert [r["action"] for r in others_day.json()] == ["person.alias"]
    nosy = run_cli(tmp_path, "audit", "--staff", "clerk", "--day", "today", db=url, user="worker")
    assert nosy.code == 1 and "may not read the audit journal" in nosy.one_error_line()
    family = run_cli(tmp_path, "audit", "--action", "person", "--json", db=url, user="boss")
    assert {r["action"] for r in family.json()} == {"person.create", "person.alias"}


def test_history_row_times_are_naive_local(busy_world: World) -> None:
    with busy_world.db.read() as s:
        rows = history.search_audit(s, busy_world.manager, query=AuditQuery(limit=1))
    assert isinstance(rows[0].at, datetime) and rows[0].at.tzinfo is None
