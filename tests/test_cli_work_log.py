"""`caseterm contact correct|list`, `caseterm task add|priority`, `task complete --on-behalf`,
and outcomes given by their labels."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect
from sqlmodel import select

from caseterm.core.models import ContactEntry, Task
from caseterm.core.services import contacts, tasks
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _entry(world: World, notes: str = "rang") -> int:
    with world.db.write() as s:
        entry = contacts.log_contact(
            s, world.worker, case_id=world.case.id or 0, contact_type="phone_in", notes=notes
        )
        return entry.id or 0


def test_contact_add_takes_the_outcome_label(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "contact",
        "add",
        world.case.reference,
        "--type",
        "Face to face",
        "--outcome",
        "Attended - complied",
        "--json",
        db=world.db.url,
    )
    assert run.code == 0, run.err
    assert run.json()["outcome"] == "attended_complied"


def test_contact_correct_json_and_refusal(world: World, tmp_path: Path) -> None:
    first = _entry(world)
    run = run_cli(
        tmp_path,
        "contact",
        "correct",
        str(first),
        "--reason",
        "wrong person",
        "--notes",
        "rang the daughter",
        "--outcome",
        "no answer",
        "--json",
        db=world.db.url,
    )
    assert run.code == 0, run.err
    data = run.json()
    assert data["corrects"] == first and data["correction_reason"] == "wrong person"
    assert data["outcome"] == "no_answer" and data["notes"] == "rang the daughter"
    again = run_cli(tmp_path, "contact", "correct", str(first), "--reason", "x", db=world.db.url)
    assert again.code != 0 and "already corrected" in again.one_error_line()
    with world.db.read() as s:
        assert len(s.exec(select(ContactEntry)).all()) == 2


def test_contact_list_whole_log_and_all(world: World, tmp_path: Path) -> None:
    ids = [_entry(world, f"call {n}") for n in range(3)]
    with world.db.write() as s:
        contacts.correct_contact(s, world.worker, entry_id=ids[0], reason="typo", notes="call 0!")
    current = run_cli(tmp_path, "contact", "list", world.case.reference, "--json", db=world.db.url)
    assert current.code == 0, current.err
    listed = json.loads(current.out)
    assert len(listed) == 3 and ids[0] not in [e["id"] for e in listed]
    everything = run_cli(
        tmp_path, "contact", "list", world.case.reference, "--all", "--json", db=world.db.url
    )
    rows = {e["id"]: e for e in json.loads(everything.out)}
    assert len(rows) == 4 and rows[ids[0]]["corrected_by"] is not None
    text = run_cli(tmp_path, "contact", "list", world.case.reference, "--all", db=world.db.url)
    assert f"#{ids[0]} " in text.out and "corrected by" in text.out


def test_contact_list_pages_through_a_long_log(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        first = contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="sms",
            notes="text 0",
            occurred_at=datetime(2026, 1, 1, 9, 0),
        )
        # The other 1,099 as copies of that row in one statement: the listing is under test,
        # not logging (1,100 log_contact calls were most of this test's time on PostgreSQL).
        row = s.get_one(ContactEntry, first.id)
        copied = {a.key: getattr(row, a.key) for a in inspect(ContactEntry).column_attrs}
        del copied["id"]
        s.execute(insert(ContactEntry), [{**copied, "notes": f"text {n}"} for n in range(1, 1100)])
    run = run_cli(tmp_path, "contact", "list", world.case.reference, "--json", db=world.db.url)
    listed = json.loads(run.out)
    assert len(listed) == 1100 and len({e["id"] for e in listed}) == 1100


def test_task_add_priority_and_team_named(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "task",
        "add",
        world.case.reference,
        "--kind",
        "General",
        "--title",
        "Chase the court",
        "--due",
        "+3",
        "--priority",
        "2",
        "--team",
        "pre-om",
        "--json",
        db=world.db.url,
    )
    assert run.code == 0, run.err
    data = run.json()
    assert data["team"] == "PRE-OM" and data["assignee"] is None
    assert data["due_date"] == "2026-11-26" and data["priority"] == 2
    prio = run_cli(tmp_path, "task", "priority", str(data["id"]), "1", db=world.db.url)
    assert prio.code == 0 and "priority 1" in prio.out
    assign = run_cli(
        tmp_path,
        "task",
        "assign",
        str(data["id"]),
        "--team",
        "PRE-OM",
        user="clerk",
        db=world.db.url,
    )
    assert "PRE-OM (Preston offender management)" in assign.out
    with world.db.read() as s:
        task = s.get(Task, data["id"])
        assert task is not None
        assert (task.case_id, task.priority, task.due_date) == (
            world.case.id,
            1,
            date(2026, 11, 26),
        )
    bad = run_cli(tmp_path, "task", "priority", str(data["id"]), "9", db=world.db.url)
    assert bad.code != 0 and "priority" in bad.one_error_line()


def test_task_complete_on_behalf(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="general", title="Chase", assignee_id=world.other.id
        )
    refused = run_cli(tmp_path, "task", "complete", str(task.id), db=world.db.url)
    assert refused.code != 0 and "assigned to Owen Other" in refused.one_error_line()
    done = run_cli(
        tmp_path, "task", "complete", str(task.id), "--on-behalf", "--json", db=world.db.url
    )
    assert done.code == 0, done.err
    assert done.json()["completed_on_behalf"] is True and done.json()["status"] == "done"
