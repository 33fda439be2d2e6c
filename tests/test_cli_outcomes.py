"""`caseterm board` and `caseterm report` for deadlines and letters, through `main(argv)`."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

from caseterm.core import clock
from tests.cli import run_cli
from tests.factories import World
from tests.test_board_outcomes import MONDAY, _built


def test_board_lists_and_reports_for_deadlines_and_letters(world: World, tmp_path: Path) -> None:
    w = _built(world)
    clock.freeze(datetime.combine(MONDAY, time(12)))

    def run(*args: str) -> tuple[int, str, str]:
        done = run_cli(tmp_path, *args, db=w.db.url, user="boss")
        return done.code, done.out, done.err

    code, out, err = run("board", "--json")
    assert (code, err) == (0, "")
    figures = {f["key"]: f for f in json.loads(out)["figures"]}
    assert (figures["deadlines_met"]["today"], figures["deadlines_missed"]["today"]) == (2, 1)
    assert (figures["letters_issued"]["today"], figures["letters_checked"]["today"]) == (1, 2)
    code, out, _ = run("board", "--list", "deadlines_missed")
    assert code == 0 and "3 working days late" in out and (w.case.reference or "") in out
    code, out, _ = run("report", "list", "--json")
    assert {"deadlines", "letters"} <= {r["name"] for r in json.loads(out)}
    code, out, err = run("report", "deadlines", "--from", "23/11/2026", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)["rows"]
    assert [(r["clock"], r["met"], r["late"], r["waived"]) for r in rows] == [
        ("Pre-sentence report", 2, 1, 1)
    ]
    target = tmp_path / "letters.xlsx"
    code, out, err = run("report", "letters", "--from", "16/11/2026", "--xlsx", str(target))
    assert (code, err) == (0, "") and target.exists()
