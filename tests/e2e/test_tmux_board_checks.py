"""Sampled checks on the team board end to end in a real terminal (tmux) on the demo database:
a day's sample is drawn and one check passed (the CLI, as cron and a checker would), then `B`
shows "Checks passed", `enter` lists the check behind it, and the board's reports (`p`) run
throughput and accuracy per person, then arrears."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import CaseFile, Staff, Team, WorkCheck
from caseterm.core.services import board, reports
from caseterm.core.services.identity import resolve_actor
from tests.cli import run_cli
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # a system administrator: may check and read accuracy


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_passed_check_on_the_board_its_list_and_the_accuracy_report(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime, size: tuple[int, int]
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        team = s.exec(select(Team).where(Team.id == me.team_id)).one()

    def cli(*args: str) -> dict[str, object]:
        done = run_cli(tmp_path, *args, "--json", db=str(path), user=LOGIN)
        assert done.code == 0, done.err
        return dict(done.json()) if done.out.strip().startswith("{") else {}

    cli("checks", "rate", "set", "--team", team.code, "--kind", "contact", "--percent", "10")
    drawn = cli("checks", "draw", "--date", "20/11/2026")["drawn"]
    assert isinstance(drawn, list)
    mine = [d for d in drawn if d["checker"] == LOGIN]
    assert mine
    cli("check", "pass", str(mine[0]["id"]))
    with db.read() as s:  # the demo has no other decided check: the board counts this one
        actor = resolve_actor(s, LOGIN)
        scope = board.resolve_scope(s, actor, team=team.code)
        assert board.team_board(s, actor, scope=scope).figure("checks_passed").today == 1
        check = s.get(WorkCheck, mine[0]["id"])
        assert check is not None and check.status == "passed" and check.case_id is not None
        reference = s.get(CaseFile, check.case_id).reference  # type: ignore[union-attr]
    db.dispose()
    width, height = size
    term = Terminal(
        ["--db", str(path)], caseterm_env(LOGIN, frozen_clock, tmp_path), width=width, height=height
    )
    try:
        term.wait_for("My work ·")
        term.keys("B")
        term.wait_for("Team board", "Work received", "Passed checks/week")
        for _ in range(11):  # down to "Checks passed"
            term.keys("Down")
        term.wait_for("Checks passed")
        term.keys("Enter")
        # the check's case, and (where the column is wide enough) the item of work
        what = f"Contact entry #{mine[0]['item_id']}" if width >= 120 else "Contact ent"
        term.wait_for("Checks passed ·", "1 listed.", reference, what)
        term.keys("Escape")
        term.wait_for("Open work")
        term.keys("p")
        term.wait_for("Caseload per officer")
        names = [r.name for r in reports.list_reports()]
        assert names[names.index("accuracy") + 1] == "arrears"
        for _ in range(names.index("accuracy")):
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Throughput and accuracy per person: team")
        term.keys("Down")  # the next report: arrears
        term.keys("Enter")
        term.wait_for("Arrears: team", "Instalments missed", "Up to date")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
