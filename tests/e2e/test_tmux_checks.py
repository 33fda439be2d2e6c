"""End to end in a real terminal, on the demo database: a co-ordinator sets a sampling rate and
draws a day's sample (the CLI, as cron would); the checker finds the sampled checks under Checks
awaiting me (`K`), fails one with a category and notes, and the rework task it raised goes to
the officer who did the work."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Staff, Task, Team, WorkCheck
from caseterm.core.models.vocab import TaskKind
from tests.cli import run_cli
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # a system administrator in her team: its only member who may check


def test_draw_then_fail_a_check_raises_rework(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        team = s.exec(select(Team).where(Team.id == me.team_id)).one()
        reworks_before = set(s.exec(select(Task.id).where(Task.kind == TaskKind.REWORK)).all())
        failed_before = set(s.exec(select(WorkCheck.id).where(WorkCheck.status == "failed")).all())
    rate = run_cli(
        tmp_path,
        "checks",
        "rate",
        "set",
        "--team",
        team.code,
        "--kind",
        "contact",
        "--percent",
        "10",
        db=str(path),
        user=LOGIN,
    )
    assert rate.code == 0, rate.err
    drawn = run_cli(
        tmp_path, "checks", "draw", "--date", "20/11/2026", "--json", db=str(path), user=LOGIN
    ).json()
    assert drawn["drawn"] and all(d["officer"] != d["checker"] for d in drawn["drawn"])
    mine = [d for d in drawn["drawn"] if d["checker"] == LOGIN]
    assert mine
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    term = Terminal(["--db", str(path)], env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("K")
        term.wait_for("Checks awaiting me", "sampled item(s) of work to check")
        term.wait_for(f"Contact entry #{mine[0]['item_id']}")
        term.keys("f")
        term.wait_for("which error?")
        term.keys("Enter")  # the first category offered
        term.wait_for("What was wrong?")
        term.keys("wrong case noted", literal=True)
        term.keys("Enter")
        term.wait_for("failed; rework task #")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        failed = s.exec(select(WorkCheck).where(WorkCheck.status == "failed")).all()
        (check,) = [c for c in failed if c.id not in failed_before]
        assert check.item_id == mine[0]["item_id"] and check.category == "wrong_type"
        reworks = s.exec(select(Task).where(Task.kind == TaskKind.REWORK)).all()
        (rework,) = [t for t in reworks if t.id not in reworks_before]
        assert rework.id == check.rework_task_id
        assert rework.assignee_id == check.officer_id != me.id
        assert rework.details == "wrong case noted"
    db.dispose()
