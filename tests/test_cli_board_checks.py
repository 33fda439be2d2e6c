"""`caseterm board` and `caseterm report accuracy` for the sampled checks, through `main(argv)`."""

from __future__ import annotations

import json
from pathlib import Path

from caseterm.core import clock
from tests.cli import run_cli
from tests.factories import World
from tests.test_board_checks import MONDAY, at, built


def test_board_checks_and_the_accuracy_report(world: World, tmp_path: Path) -> None:
    w = built(world)
    clock.freeze(at(MONDAY, 16))

    def run(*args: str) -> tuple[int, str, str]:
        done = run_cli(tmp_path, *args, db=w.db.url, user="boss")
        return done.code, done.out, done.err

    code, out, err = run("board", "--json")
    assert (code, err) == (0, "")
    figures = {f["key"]: f for f in json.loads(out)["figures"]}
    assert (figures["checks_passed"]["today"], figures["checks_passed"]["today_week_ago"]) == (3, 1)
    assert (figures["checks_failed"]["today"], figures["checks_failed"]["yesterday"]) == (1, 1)
    code, out, _ = run("board", "--list", "checks_failed", "--date", "22/11/2026")
    assert code == 0 and "Contact entry #5: Notes missing or unclear" in out
    code, out, _ = run("board")
    line = next(ln for ln in out.splitlines() if "Checks passed" in ln)
    assert line.split()[2:4] == ["3", "+2"]
    code, out, _ = run("report", "list", "--json")
    assert "accuracy" in {r["name"] for r in json.loads(out)}
    code, out, err = run("report", "accuracy", "--from", "16/11/2026", "--json")
    assert (code, err) == (0, "")
    rows = {r["officer"]: r for r in json.loads(out)["rows"]}
    assert (rows["Wendy Worker"]["checked"], rows["Wendy Worker"]["accuracy"]) == (4, 75.0)
    assert rows["Owen Other"]["accuracy"] == 50.0
    target = tmp_path / "accuracy.csv"
    code, out, err = run("report", "accuracy", "--from", "16/11/2026", "--csv", str(target))
    assert (code, err) == (0, "")
    assert "Officer,Tasks completed,Per working day,Checks decided,Passed,Failed,Accuracy (%)" in (
        target.read_text(encoding="utf-8-sig")
    )
    code, out, err = run("report", "accuracy", "--from", "16/11/2026", "--to", "01/11/2026")
    assert code != 0 and "ends (01/11/2026) before it starts (16/11/2026)" in err
