"""`caseterm board`, `caseterm report`, `queue show --csv/--xlsx` and `diary --ics` through
`main(argv)`: JSON for scripts, files for cron and the office's own tools, one line and a
non-zero exit on any error."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseterm.core.services import tasks
from tests.cli import run_cli
from tests.factories import World, book


def run(home: Path, world: World, *args: str, user: str = "boss") -> tuple[int, str, str]:
    done = run_cli(home, *args, db=world.db.url, user=user)
    return done.code, done.out, done.err


@pytest.fixture
def board_world(world: World, frozen_clock: datetime) -> World:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="general", title="File papers", team_id=world.team.id
        )
        tasks.complete_task(s, world.worker, task_id=task.id or 0)
    return world


def test_board_json(board_world: World, tmp_path: Path) -> None:
    code, out, err = run(tmp_path, board_world, "board", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["scope"]["code"] == "PRE-OM" and data["day"] == "2026-11-23"
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["received"]["today"] == 1 and figures["completed"]["today"] == 1
    assert data["people"] == [
        {
            "staff_id": board_world.worker.id,
            "name": "Wendy Worker",
            "completed_today": 1,
            "completed_yesterday": 0,
        }
    ]
    code, out, _ = run(tmp_path, board_world, "board", "--list", "completed")
    assert code == 0 and "File papers" in out


def test_report_list_and_a_spreadsheet_for_cron(board_world: World, tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, board_world, "report", "list", "--json")
    assert code == 0 and "throughput" in [r["name"] for r in json.loads(out)]
    target = tmp_path / "t.xlsx"
    code, out, err = run(
        tmp_path, board_world, "report", "throughput", "--office", "PRE",
        "--from", "23/11/2026", "--xlsx", str(target),
    )  # fmt: skip
    assert (code, err) == (0, "") and target.exists()
    assert out.strip() == f"wrote {target}: Throughput per person, 5 rows and a chart"


def test_a_whole_queue_to_csv_and_a_diary_to_icalendar(board_world: World, tmp_path: Path) -> None:
    from icalendar import Calendar

    w = board_world
    with w.db.write() as s:
        for n in range(3):
            tasks.create_task(
                s, w.clerk, kind="general", title=f"Mine {n}", assignee_id=w.worker.id
            )
    target = tmp_path / "mine.csv"
    code, out, err = run(
        tmp_path, w, "queue", "show", "my_work", "--csv", str(target), user="worker"
    )
    assert (code, err) == (0, "")
    assert out.strip() == f"wrote {target}: My work, 3 items"
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Task,Due,Overdue,Priority,Kind,Title")
    assert len(lines) == 4 and stat.S_IMODE(target.stat().st_mode) == 0o600
    start = datetime(2026, 11, 24, 10, 0)
    book(w, start)
    ics = tmp_path / "diary.ics"
    code, out, err = run(tmp_path, w, "diary", "24/11/2026", "--ics", str(ics), user="worker")
    assert (code, err) == (0, "")
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart").replace(tzinfo=None) == start
    assert event.decoded("dtend").replace(tzinfo=None) == start + timedelta(minutes=45)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "nope"], "caseterm: report: no report 'nope'; choose from caseload"),
        (["report", "ageing", "--team", "XX"], "caseterm: team: no team 'XX'"),
        (
            ["report", "ageing", "--from", "01/02/2026", "--to", "01/01/2026"],
            "caseterm: period: the period ends (01/01/2026) before it starts (01/02/2026)",
        ),
        (["report", "ageing", "--csv", "/no/such/dir/x.csv"], "caseterm: --csv: directory"),
        (
            ["report", "ageing", "--from", "01/01/2026"],
            "caseterm: --from: 01/01/2026 is before the first record (23/11/2026): nothing is "
            "recorded for earlier days; start on or after 23/11/2026",
        ),
        (
            ["report", "ageing", "--to", "30/11/2026"],
            "caseterm: --to: 30/11/2026 is after today (23/11/2026): nothing is recorded for "
            "days to come; choose today or earlier",
        ),
        (  # without --from the refusal names the day typed, not the default start worked out
            ["report", "ageing", "--to", "01/01/2040"],
            "caseterm: --to: 01/01/2040 is after today (23/11/2026): nothing is recorded for "
            "days to come; choose today or earlier",
        ),
        (["board", "--date", "01/01/2026"], "caseterm: --date: 01/01/2026 is before the first"),
        (["board", "--list", "bogus"], "caseterm: figure: no figure 'bogus'"),
        (["queue", "show", "my_work", "--xlsx", "/no/such/q.xlsx"], "caseterm: --xlsx: directory"),
        (["diary", "--ics", "/no/such/d.ics"], "caseterm: --ics: directory"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    board_world: World, tmp_path: Path, args: list[str], message: str
) -> None:
    code, out, err = run(tmp_path, board_world, *args)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(message)
