"""`caseterm queue save|delete`: people's own queues from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import SavedQueue
from caseterm.core.services import tasks
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _task(world: World, kind: str, assignee: int | None) -> None:
    with world.db.write() as s:
        tasks.create_task(
            s,
            world.clerk,
            kind=kind,
            title=f"A {kind}",
            case_id=world.case.id,
            assignee_id=assignee,
            due_date=date(2026, 11, 20),
        )


def test_save_then_show_then_delete(world: World, tmp_path: Path) -> None:
    _task(world, "letter_to_issue", world.worker.id)
    _task(world, "check_request", world.worker.id)
    _task(world, "letter_to_issue", world.other.id)  # someone else's
    _task(world, "general", world.worker.id)  # another kind
    saved = run_cli(
        tmp_path,
        "queue",
        "save",
        "My letters and checks",
        "--kind",
        "letter_to_issue,Check request",
        "--assigned",
        "me",
        "--due-within",
        "7",
        "--json",
        db=world.db.url,
    )
    assert saved.code == 0, saved.err
    shown = json.loads(saved.out)
    assert (shown["name"], shown["count"], shown["shared"]) == ("My letters and checks", 2, False)
    with world.db.read() as s:
        row = s.exec(select(SavedQueue)).one()
    assert row.owner_id == world.worker.id and not row.shared
    assert json.loads(row.filters) == {
        "kinds": ["letter_to_issue", "check_request"],
        "assignee": "me",
        "status": "open",
        "due_within_days": 7,
        "case_type": None,
    }
    listed = run_cli(tmp_path, "queue", "show", "my letters and checks", db=world.db.url)
    assert listed.code == 0, listed.err
    assert "My letters and checks: 2 items" in listed.out
    gone = run_cli(tmp_path, "queue", "delete", shown["key"], db=world.db.url)
    assert gone.code == 0, gone.err
    assert gone.out.strip() == f"deleted queue {shown['key']} 'My letters and checks'"
    with world.db.read() as s:
        assert s.exec(select(SavedQueue)).all() == []


def test_refusals_write_nothing(world: World, tmp_path: Path) -> None:
    url = world.db.url
    ok = run_cli(tmp_path, "queue", "save", "Mine", "--shared", db=url)
    assert ok.code == 0, ok.err
    again = run_cli(tmp_path, "queue", "save", "Mine", db=url)
    assert again.one_error_line() == "caseterm: name: you already have a queue called 'Mine'"
    bad_type = run_cli(tmp_path, "queue", "save", "X", "--case-type", "ZZ", db=url)
    assert bad_type.code == 1
    assert bad_type.one_error_line().startswith(
        "caseterm: Case type: unknown case type 'ZZ'; use one of "
    )
    builtin = run_cli(tmp_path, "queue", "delete", "my_work", db=url)
    assert builtin.one_error_line() == (
        "caseterm: queue: 'My work' is built in and cannot be deleted"
    )
    # another member of staff sees the shared queue but may not delete it
    theirs = run_cli(tmp_path, "queue", "delete", "Mine", db=url, user="other")
    assert theirs.code == 1 and "caseterm: " in theirs.one_error_line()
    with world.db.read() as s:
        assert [q.name for q in s.exec(select(SavedQueue))] == ["Mine"]
