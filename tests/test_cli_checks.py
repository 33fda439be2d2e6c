"""`caseterm checks …` and `caseterm check …`: a co-ordinator sets a rate and draws the day's
sample; a checker fails an item (a rework task for the officer) and passes another; --json
throughout; refusals as one line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Task, WorkCheck
from caseterm.core.models.vocab import TaskKind
from tests.check_helpers import add_checker, day_of_work
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def test_rate_draw_fail_pass_and_accuracy(world: World, tmp_path: Path) -> None:
    add_checker(world)
    day_of_work(world)
    db = world.db.url
    team = world.team.code
    rate = run_cli(
        tmp_path,
        "checks",
        "rate",
        "set",
        "--team",
        team,
        "--kind",
        "task",
        "--percent",
        "30",
        "--json",
        db=db,
        user="boss",
    )
    assert rate.code == 0 and rate.json()["percent"] == 30
    listed = run_cli(tmp_path, "checks", "rate", "list", "--json", db=db, user="boss").json()
    assert [(r["team"], r["work_kind"], r["percent"]) for r in listed] == [(team, "task", 30)]
    dry = run_cli(
        tmp_path,
        "checks",
        "draw",
        "--date",
        "20/11/2026",
        "--dry-run",
        "--json",
        db=db,
        user="boss",
    ).json()
    assert [d["item_id"] for d in dry["drawn"]] == [1, 7, 8, 10, 13, 18]
    drawn = run_cli(
        tmp_path, "checks", "draw", "--date", "20/11/2026", "--json", db=db, user="boss"
    ).json()
    assert [d["item_id"] for d in drawn["drawn"]] == [1, 7, 8, 10, 13, 18]
    again = run_cli(
        tmp_path, "checks", "draw", "--date", "20/11/2026", "--json", db=db, user="boss"
    ).json()
    assert (again["drawn"], again["already"]) == ([], 6)

    mine = run_cli(tmp_path, "checks", "list", "--json", db=db, user="chk").json()
    assert [r["item_id"] for r in mine] == [13, 18]
    first, second = mine[0]["id"], mine[1]["id"]
    no_category = run_cli(tmp_path, "check", "fail", str(first), "--notes", "x", db=db, user="chk")
    assert no_category.code != 0
    assert no_category.one_error_line().startswith("caseterm: category: (none) is not one of")
    failed = run_cli(
        tmp_path,
        "check",
        "fail",
        str(first),
        "--category",
        "not_done",
        "--notes",
        "never phoned",
        "--json",
        db=db,
        user="chk",
    ).json()
    assert failed["status"] == "failed" and failed["rework_task_id"]
    passed = run_cli(tmp_path, "check", "pass", str(second), "--json", db=db, user="chk").json()
    assert passed["status"] == "passed"
    own = run_cli(tmp_path, "check", "pass", str(mine[0]["id"]), db=db, user="other")
    assert own.code != 0

    figures = run_cli(
        tmp_path,
        "checks",
        "accuracy",
        "--team",
        team,
        "--from",
        "23/11/2026",
        "--to",
        "23/11/2026",
        "--json",
        db=db,
        user="boss",
    ).json()
    assert figures["total"]["checked"] == 2 and figures["total"]["percent"] == 50.0
    assert [(o["officer"], o["failed"]) for o in figures["officers"]] == [("other", 1)]
    with world.db.read() as s:
        rework = s.exec(select(Task).where(Task.kind == TaskKind.REWORK)).one()
        assert rework.assignee_id == world.other.id and rework.details == "never phoned"
        assert len(s.exec(select(WorkCheck)).all()) == 6


def test_a_caseworker_cannot_set_rates(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path,
        "checks",
        "rate",
        "set",
        "--team",
        world.team.code,
        "--kind",
        "task",
        "--percent",
        "10",
        db=world.db.url,
        user="worker",
    )
    assert run.one_error_line() == (
        "caseterm: worker may not set sampling rates for checking colleagues' work "
        "(roles: caseworker; it needs one of: manager, system administrator)"
    )
