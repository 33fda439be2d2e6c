"""`caseterm board` and `caseterm report` in-process through `main(argv)`: JSON for scripts,
files for cron, one line and a non-zero exit on any error."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from caseterm.cli.main import main
from caseterm.core.services import tasks
from tests.factories import World


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, world: World, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("CASETERM_USER", "boss")
    code = main(["--db", world.db.url, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def board_world(world: World, frozen_clock: datetime) -> World:
    with world.db.write() as s:
        task = tasks.create_task(
            s, world.clerk, kind="general", title="File papers", team_id=world.team.id
        )
        tasks.complete_task(s, world.worker, task_id=task.id or 0)
    return world


def test_board_json(
    board_world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, monkeypatch, board_world, "board", "--json")
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
    code, out, _ = run(capsys, monkeypatch, board_world, "board", "--list", "completed")
    assert code == 0 and "File papers" in out


def test_report_list_and_a_spreadsheet_for_cron(
    board_world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    code, out, _ = run(capsys, monkeypatch, board_world, "report", "list", "--json")
    assert code == 0 and "throughput" in [r["name"] for r in json.loads(out)]
    target = tmp_path / "t.xlsx"
    code, out, err = run(
        capsys, monkeypatch, board_world, "report", "throughput", "--office", "PRE",
        "--from", "16/11/2026", "--xlsx", str(target),
    )  # fmt: skip
    assert (code, err) == (0, "") and target.exists()
    assert out.strip() == f"wrote {target}: Throughput per person, 5 rows and a chart"


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
        (["board", "--list", "bogus"], "caseterm: figure: no figure 'bogus'"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    board_world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    code, out, err = run(capsys, monkeypatch, board_world, *args)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(message)
