"""End to end in a real terminal at 80×24, on the demo database: a day's contact entries are
sampled; the checker opens Checks awaiting me (`K`), moves to the sampled checks, opens one
(`enter`) to read the entry in words with its checklist, fails it under the third category
with notes, and goes back; the rework task goes to the officer who logged the entry."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Staff, Task, Team, WorkCheck
from caseterm.core.services import checks
from caseterm.core.services.identity import actor_for
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # a system administrator in her team: its only member who may check


def test_open_a_sampled_check_and_fail_it_under_a_category(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.write() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        team = s.exec(select(Team).where(Team.id == me.team_id)).one()
        actor = actor_for(s, me)
        checks.set_rate(s, actor, team=team.code, work_kind="contact", percent=10)
        drawn = checks.draw_checks(s, actor, day=date(2026, 11, 20))
    assert any(d.checker == LOGIN for d in drawn.drawn)
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("K")
        term.wait_for("Checks awaiting me", "sampled item(s) of work to check")
        term.wait_for("Contact entry #")
        term.keys("Tab")  # from the letters to the sampled checks
        term.keys("Enter")
        shown = term.wait_for("The work checked", "Wrong contact type or outcome")
        found = re.search(r"Sampled check #(\d+) · Contact entry #(\d+)", shown)
        assert found, shown
        check_id, entry_id = int(found[1]), int(found[2])
        assert f"Contact #{entry_id} " in shown and "Notes missing or unclear" in shown
        term.keys("Down", "Down")  # the third category: logged on the wrong case
        term.keys("f")
        term.wait_for("“Logged on the wrong case”: what was wrong?")
        term.keys("belongs on the brother's case", literal=True)
        term.keys("Enter")
        term.wait_for(f"Check #{check_id} failed; rework task #")
        term.keys("Escape")
        term.wait_for("sampled item(s) of work to check", f"Check #{check_id} failed")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        check = s.get(WorkCheck, check_id)
        assert check is not None and check.item_id == entry_id
        assert (check.status, check.category) == ("failed", "wrong_case")
        assert check.checked_by_id == me.id and check.notes == "belongs on the brother's case"
        rework = s.get(Task, check.rework_task_id)
        assert rework is not None and rework.assignee_id == check.officer_id != me.id
    db.dispose()
