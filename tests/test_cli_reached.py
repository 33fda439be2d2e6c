"""Commands that reach services no command reached before: `task reopen`, `reviews add|list|
cancel`, `case transfers` and `org list|add-office|add-team|add-room` (run in this process,
each checked in the database)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import AuditEvent, Office, ReviewSchedule, Room, Task, Team
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import case_transfer, org, tasks
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _actions(world: World) -> list[str]:
    with world.db.read() as s:
        return list(s.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all())


# --- task reopen -----------------------------------------------------------------------------


def test_task_reopen_reopens_a_done_task_and_refuses_an_open_one(
    world: World, tmp_path: Path
) -> None:
    with world.db.write() as s:
        task = tasks.create_task(
            s,
            world.clerk,
            kind="general",
            title="Ring the employer",
            case_id=world.case.id,
            assignee_id=world.worker.id,
        )
        tasks.complete_task(s, world.worker, task_id=task.id or 0, outcome="rang")
    task_id = str(task.id)
    done = run_cli(
        tmp_path, "task", "reopen", task_id, "--reason", "no answer", "--json", db=world.db.url
    )
    assert done.code == 0, done.err
    assert done.json()["status"] == "open" and done.json()["assignee"] == "Wendy Worker"
    with world.db.read() as s:
        stored = s.get(Task, task.id)
        assert stored is not None and stored.status == "open"
    assert _actions(world)[-1] == "task.reopen"

    again = run_cli(tmp_path, "task", "reopen", task_id, db=world.db.url)
    assert again.code != 0
    assert "not closed" in again.one_error_line()


# --- reviews add | list | cancel -------------------------------------------------------------


def test_reviews_add_list_and_cancel(world: World, tmp_path: Path) -> None:
    ref = world.case.reference
    added = run_cli(
        tmp_path,
        "reviews", "add", ref, "--kind", "Bring forward", "--description", "Chase the report",
        "--working-days", "5", "--json",
        db=world.db.url,
    )  # fmt: skip
    assert added.code == 0, added.err
    review = added.json()
    assert (review["kind"], review["status"], review["working_days"]) == (
        "bring_forward",
        "pending",
        5,
    )
    with world.db.read() as s:
        stored = s.get(ReviewSchedule, review["id"])
        assert stored is not None and stored.description == "Chase the report"
        assert stored.due_date == date.fromisoformat(review["due_date"])

    listed = run_cli(tmp_path, "reviews", "list", ref, "--json", db=world.db.url)
    assert listed.code == 0, listed.err
    assert [r["id"] for r in listed.json()] == [review["id"]]

    cancelled = run_cli(
        tmp_path, "reviews", "cancel", str(review["id"]), "--reason", "report came in",
        db=world.db.url,
    )  # fmt: skip
    assert cancelled.code == 0, cancelled.err
    assert f"cancelled review {review['id']} on {ref}" in cancelled.out
    with world.db.read() as s:
        stored = s.get(ReviewSchedule, review["id"])
        assert stored is not None and stored.status == "cancelled"
    assert _actions(world)[-2:] == ["review.schedule", "review.cancel"]


def test_reviews_add_needs_a_date_and_a_right_to_change_cases(world: World, tmp_path: Path) -> None:
    ref = world.case.reference
    no_date = run_cli(tmp_path, "reviews", "add", ref, "--description", "x", db=world.db.url)
    assert no_date.code == 2
    assert "--due" in no_date.one_error_line()
    past = run_cli(
        tmp_path, "reviews", "add", ref, "--description", "x", "--due", "01/01/2020",
        db=world.db.url,
    )  # fmt: skip
    assert past.code != 0
    assert "in the past" in past.one_error_line()
    desk = run_cli(
        tmp_path, "reviews", "add", ref, "--description", "x", "--working-days", "3",
        db=world.db.url, user="desk",
    )  # fmt: skip
    assert desk.code != 0
    assert CAPABILITY_LABELS["case.write"] in desk.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(ReviewSchedule)).all() == []


# --- case transfers --------------------------------------------------------------------------


def test_case_transfers_lists_every_transfer_newest_first(world: World, tmp_path: Path) -> None:
    none = run_cli(tmp_path, "case", "transfers", world.case.reference, db=world.db.url)
    assert none.code == 0, none.err
    assert none.out.strip() == "no transfers"
    with world.db.write() as s:
        made = case_transfer.transfer_out(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            office_id=world.other_office.id or 0,
            team_id=None,
            reason="moved to Lancaster",
            papers_sent=True,
            appointments_moved=True,
            tasks_handed_over=True,
        )
    shown = run_cli(tmp_path, "case", "transfers", world.case.reference, "--json", db=world.db.url)
    assert shown.code == 0, shown.err
    [row] = shown.json()
    assert (row["transfer_id"], row["status"], row["to_office"]) == (
        made.transfer_id,
        "pending",
        "Lancaster",
    )


# --- org ---------------------------------------------------------------------------------------


def test_org_adds_an_office_a_team_and_a_room(world: World, tmp_path: Path) -> None:
    def cli(*args: str) -> dict[str, object]:
        result = run_cli(tmp_path, "org", *args, "--json", db=world.db.url, user="root")
        assert result.code == 0, result.err
        data: dict[str, object] = result.json()
        return data

    office = cli("add-office", "bla", "Blackburn", "--address", "1 King Street, Blackburn")
    team = cli("add-team", "BLA-OM", "Blackburn offender management", "--office", "BLA")
    room = cli("add-room", "Interview 2", "--office", "bla")
    with world.db.read() as s:
        stored_office = s.get(Office, office["id"])
        stored_team = s.get(Team, team["id"])
        stored_room = s.get(Room, room["id"])
    assert stored_office is not None and stored_office.code == "BLA"
    assert stored_team is not None and stored_team.office_id == office["id"]
    assert stored_room is not None and stored_room.office_id == office["id"]
    assert _actions(world)[-3:] == ["office.create", "team.create", "room.create"]
    listed = cli("list")
    assert "BLA" in [o["code"] for o in listed["offices"]]  # type: ignore[attr-defined]
    plain = run_cli(tmp_path, "org", "list", db=world.db.url)
    assert "Blackburn offender management" in plain.out


def test_org_refuses_a_clerk_and_a_duplicate(world: World, tmp_path: Path) -> None:
    clerk = run_cli(
        tmp_path, "org", "add-office", "BLA", "Blackburn", db=world.db.url, user="clerk"
    )
    assert clerk.code != 0
    assert CAPABILITY_LABELS["staff.admin"] in clerk.one_error_line()
    twice = run_cli(
        tmp_path, "org", "add-office", "pre", "Preston again", db=world.db.url, user="root"
    )
    assert twice.code != 0
    assert "office PRE already exists" in twice.one_error_line()
    no_office = run_cli(
        tmp_path, "org", "add-room", "Hall", "--office", "XYZ", db=world.db.url, user="root"
    )
    assert no_office.code != 0
    assert "no office 'XYZ'" in no_office.one_error_line()
    with world.db.read() as s:
        assert [o.code for o in org.list_offices(s)] == ["LAN", "PRE"]
        assert "Hall" not in [r.name for r in org.list_rooms(s)]
