"""`caseterm queue list|show`, `caseterm diary` and `caseterm task …` (run in this process)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import AccessLog, AuditEvent, Task
from caseterm.core.services import cases, diary, tasks
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _tasks(world: World, n: int, **kw: object) -> list[int]:
    ids = []
    with world.db.write() as s:
        for i in range(n):
            task = tasks.create_task(
                s,
                world.clerk,
                kind="papers_to_chase",
                title=f"Chase papers {i}",
                case_id=world.case.id,
                due_date=date(2026, 11, 20 + i),
                **kw,  # type: ignore[arg-type]
            )
            ids.append(task.id or 0)
    return ids


def _book(world: World, day: int, hour: int, staff_id: int) -> None:
    with world.db.write() as s:
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=staff_id,
            starts_at=datetime(2026, 11, day, hour, 0),
            ends_at=datetime(2026, 11, day, hour, 45),
            kind="supervision",
            case_id=world.case.id,
            room_id=world.room.id,
        )


def test_queue_list(world: World, tmp_path: Path) -> None:
    _tasks(world, 3, assignee_id=world.worker.id)
    result = run_cli(tmp_path, "queue", "list", "--json", db=world.db.url)
    assert result.code == 0, result.err
    by_key = {q["key"]: q for q in result.json()}
    assert by_key["my_work"] == {
        "key": "my_work",
        "name": "My work",
        "count": 3,
        "overdue": 3,  # due on the 20th, 21st and 22nd; today is the 23rd
        "builtin": True,
        "shared": False,
        "owner_name": "",
    }
    text = run_cli(tmp_path, "queue", "list", db=world.db.url)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0].split() == ["KEY", "NAME", "ITEMS", "OVERDUE", "OWNER"]
    assert any(line.startswith("my_work") and " My work " in line for line in lines)


def test_queue_show_by_key_or_name_with_paging(world: World, tmp_path: Path) -> None:
    ids = _tasks(world, 5, assignee_id=world.worker.id)
    result = run_cli(
        tmp_path,
        "queue",
        "show",
        "MY WORK",
        "--limit",
        "2",
        "--offset",
        "1",
        "--json",
        db=world.db.url,
    )
    assert result.code == 0, result.err
    data = result.json()
    assert (data["key"], data["count"], data["offset"], data["limit"]) == ("my_work", 5, 1, 2)
    assert [i["task_id"] for i in data["items"]] == ids[1:3]
    first = data["items"][0]
    assert first["case_reference"] == world.case.reference
    assert first["subject_name"] == "Siobhán O'Neill-Brady" and first["overdue"] is True
    assert first["kind_label"] == "Papers to chase" and first["due_date"] == "2026-11-21"
    text = run_cli(tmp_path, "queue", "show", "my_work", db=world.db.url)
    assert text.code == 0, text.err
    assert text.out.splitlines()[0] == "My work: 5 items, 3 overdue; showing 1–5"
    assert "Chase papers 4" in text.out and "21/11/2026 !" in text.out


def test_queue_show_unknown_lists_choices(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "queue", "show", "inbox", db=world.db.url)
    assert result.code == 1
    line = result.one_error_line()
    assert "queue: no queue 'inbox'; choose from my_work (My work)" in line
    assert "incoming (Incoming)" in line


def test_diary_defaults_to_me_today(world: World, tmp_path: Path) -> None:
    _book(world, 23, 14, world.worker.id or 0)
    _book(world, 23, 9, world.other.id or 0)
    _book(world, 24, 9, world.worker.id or 0)
    result = run_cli(tmp_path, "diary", db=world.db.url)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Diary of Wendy Worker: Monday 23/11/2026 — 1 appointments"
    )
    assert "14:00–14:45  Supervision  " + world.case.reference in result.out
    as_json = run_cli(tmp_path, "diary", "tomorrow", "--json", db=world.db.url)
    data = as_json.json()
    assert (data["from"], data["to"], data["whose"]) == ("2026-11-24", "2026-11-24", "Wendy Worker")
    assert [a["starts_at"] for a in data["appointments"]] == ["2026-11-24T09:00:00"]
    assert data["appointments"][0]["room_name"] == "PRE · Interview 1"


def test_diary_for_team_room_staff_and_week(world: World, tmp_path: Path) -> None:
    _book(world, 23, 14, world.worker.id or 0)
    _book(world, 23, 9, world.other.id or 0)
    _book(world, 26, 9, world.other.id or 0)

    def starts(*args: str) -> list[str]:
        result = run_cli(tmp_path, "diary", *args, "--json", db=world.db.url)
        assert result.code == 0, result.err
        return [a["starts_at"][5:16] for a in result.json()["appointments"]]

    assert starts("--team", "pre-om") == ["11-23T09:00", "11-23T14:00"]
    assert starts("23/11/2026", "--room", "interview 1") == ["11-23T09:00", "11-23T14:00"]
    assert starts("--staff", "other", "--week") == ["11-23T09:00", "11-26T09:00"]
    assert starts("thu", "--office", "PRE") == ["11-26T09:00"]
    bad = run_cli(tmp_path, "diary", "--room", "Broom cupboard", db=world.db.url)
    assert bad.code == 1
    assert "no room 'Broom cupboard'; rooms: PRE/Interview 1" in bad.one_error_line()
    bad_day = run_cli(tmp_path, "diary", "31/11/2026", db=world.db.url)
    assert "date: 31/11/2026 is not a real date" in bad_day.one_error_line()


def test_diary_hides_restricted_cases(world: World, tmp_path: Path) -> None:
    _book(world, 23, 14, world.other.id or 0)
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    result = run_cli(tmp_path, "diary", "--json", db=world.db.url, user="other")
    (appt,) = result.json()["appointments"]
    assert appt["restricted"] is True and appt["person_name"] == "Restricted"
    assert appt["case_reference"] == ""
    assert "Siobhán" not in result.out and "O'Neill" not in result.out


def test_task_take_complete_assign(world: World, tmp_path: Path) -> None:
    (task_id,) = _tasks(world, 1)
    took = run_cli(tmp_path, "task", "take", str(task_id), "--json", db=world.db.url)
    assert took.code == 0, took.err
    assert took.json()["assignee"] == "Wendy Worker"
    late = run_cli(tmp_path, "task", "take", str(task_id), db=world.db.url, user="other")
    assert late.code == 1
    assert late.one_error_line() == f"caseterm: task {task_id} was already taken by Wendy Worker"
    handed = run_cli(tmp_path, "task", "assign", str(task_id), "--to", "other", db=world.db.url)
    assert handed.code == 0, handed.err
    assert handed.out.strip() == f"assigned task {task_id} to Owen Other: Chase papers 0"
    done = run_cli(
        tmp_path,
        "task",
        "complete",
        str(task_id),
        "--outcome",
        "papers in",
        db=world.db.url,
        user="other",
    )
    assert done.code == 0, done.err
    with world.db.read() as s:
        task = s.exec(select(Task).where(Task.id == task_id)).one()
        actions = [
            e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "task")).all()
        ]
    assert (task.status, task.outcome, task.completed_by_id) == (
        "done",
        "papers in",
        world.other.id,
    )
    assert actions[-3:] == ["task.take", "task.assign", "task.complete"]
    again = run_cli(tmp_path, "task", "complete", str(task_id), db=world.db.url)
    assert "was already done by Owen Other" in again.one_error_line()
    missing = run_cli(tmp_path, "task", "assign", str(task_id), db=world.db.url)
    assert "give --to LOGIN or --team CODE" in missing.one_error_line()


def test_task_on_restricted_case(world: World, tmp_path: Path) -> None:
    (task_id,) = _tasks(world, 1)
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    result = run_cli(tmp_path, "task", "take", str(task_id), db=world.db.url, user="other")
    assert result.code == 3
    assert result.one_error_line() == f"{world.case.reference} is restricted — ask Wendy Worker"
    with world.db.read() as s:
        assert s.exec(select(Task).where(Task.id == task_id)).one().assignee_id is None
        log = s.exec(select(AccessLog)).all()
    assert [(r.staff_id, r.action) for r in log] == [(world.other.id, "refused")]


@pytest.mark.sqlite_only
def test_output_cut_short_by_a_closed_pipe_ends_quietly(world: World, tmp_path: Path) -> None:
    """`caseterm queue show my_work --json | head`: no traceback when head stops reading."""
    with world.db.write() as s:
        for i in range(400):
            tasks.create_task(
                s,
                world.clerk,
                kind="general",
                title=f"A task with a reasonably long title, number {i}",
                assignee_id=world.worker.id,
            )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(CASETERM_USER="worker", CASETERM_CONFIG=str(tmp_path / "none.toml"))
    env.update(CASETERM_RESIDENT="off")  # the suite starts no resident process
    command = [sys.executable, "-m", "caseterm", "--db", world.db.url, "queue", "show"]
    with subprocess.Popen(
        [*command, "my_work", "--limit", "400", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.read(100).startswith(b"{")
        child.stdout.close()
        err = child.stderr.read().decode()
        code = child.wait(timeout=120)
    assert code == 141
    assert err == ""
