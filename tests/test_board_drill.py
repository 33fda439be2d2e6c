"""The lists behind the board's ageing buckets and its completed-per-person rows: exactly the
tasks each counts, as a list (`board_list`, `caseterm board --list`) and as a queue
(`board_queue`), with the bucket bounds on working days (a weekend does not age a task)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.services import board, board_drill, board_queue
from tests.cli import run_cli
from tests.factories import World
from tests.test_board import MONDAY, SUNDAY, WEEK_AGO, _complete, _task, at

BUCKETS = ["age_0_5", "age_6_10", "age_11_20", "age_over_20"]


@pytest.fixture
def aged(world: World) -> dict[str, int]:
    """Open team tasks made on days whose age on Monday 23/11 is 0, 5, 6, 6, 15, 20, 21 and 25
    working days; one old task done (not open work); Wendy completed two (Sunday, Monday) and
    Owen one (Monday)."""
    w = world
    made = {
        "today": MONDAY,  # 0
        "week ago": WEEK_AGO,  # 5
        "fri 13": date(2026, 11, 13),  # 6
        "mon 2": date(2026, 11, 2),  # 15
        "sun 15": date(2026, 11, 15),  # 6: a weekend does not age a task
        "mon 26 oct": date(2026, 10, 26),  # 20
        "fri 23 oct": date(2026, 10, 23),  # 21
        "mon 19 oct": date(2026, 10, 19),  # 25
    }
    ids = {name: _task(w, w.clerk, at(d), name) for name, d in sorted(made.items(), key=_day)}
    ids["done old"] = _task(w, w.clerk, at(date(2026, 10, 1)), "done old")
    ids["wendy sun"] = _task(w, w.clerk, at(date(2026, 11, 20)), "wendy sun")
    ids["wendy mon"] = _task(w, w.clerk, at(date(2026, 11, 20)), "wendy mon")
    ids["owen mon"] = _task(w, w.clerk, at(date(2026, 11, 20)), "owen mon")
    _complete(w, w.worker, at(date(2026, 11, 2)), ids["done old"])
    _complete(w, w.worker, at(SUNDAY, 15), ids["wendy sun"])
    _complete(w, w.worker, at(MONDAY, 10), ids["wendy mon"])
    _complete(w, w.other, at(MONDAY, 11), ids["owen mon"])
    clock.freeze(at(MONDAY, 12))
    return ids


def _day(item: tuple[str, date]) -> date:
    return item[1]


def test_each_bucket_lists_exactly_the_tasks_it_counts(world: World, aged: dict[str, int]) -> None:
    w = world
    want = {
        "age_0_5": {"today", "week ago"},
        "age_6_10": {"fri 13", "sun 15"},
        "age_11_20": {"mon 2", "mon 26 oct"},
        "age_over_20": {"fri 23 oct", "mon 19 oct"},
    }
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        shown = board.team_board(s, w.manager, scope=scope, day=MONDAY)
        for i, key in enumerate(BUCKETS):
            assert board_drill.ageing_figure(i) == key
            listed = board.board_list(s, w.manager, scope=scope, figure=key, day=MONDAY)
            assert {r.id for r in listed.rows} == {aged[n] for n in want[key]}, key
            assert len(listed.rows) == shown.ageing[i][1], key  # the board's own count
            page = board_queue.figure_queue_page(s, w.manager, scope=scope, figure=key, day=MONDAY)
            assert {r.task_id for r in page} == {aged[n] for n in want[key]}, key
            totals = board_queue.figure_totals(s, w.manager, scope=scope, figure=key, day=MONDAY)
            assert (totals.listed, totals.hidden, totals.label) == (
                len(want[key]),
                0,
                listed.label,
            )
    assert listed.label == "Open over 20 working days"


def test_a_person_lists_what_they_completed_yesterday_and_today(
    world: World, aged: dict[str, int]
) -> None:
    w = world
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        shown = board.team_board(s, w.manager, scope=scope, day=MONDAY)
        for person in shown.people:
            key = board_drill.person_figure(person.staff_id)
            listed = board.board_list(s, w.manager, scope=scope, figure=key, day=MONDAY)
            assert len(listed.rows) == person.completed_today + person.completed_yesterday
        wendy = board_drill.person_figure(w.worker.id or 0)
        listed = board.board_list(s, w.manager, scope=scope, figure=wendy, day=MONDAY)
        owen = board_queue.figure_queue_page(
            s, w.manager, scope=scope, figure=board_drill.person_figure(w.other.id or 0), day=MONDAY
        )
    assert {r.id for r in listed.rows} == {aged["wendy sun"], aged["wendy mon"]}
    assert [r.task_id for r in owen] == [aged["owen mon"]]


def test_an_unknown_list_is_refused_naming_the_choices(world: World) -> None:
    w = world
    with w.db.read() as s, pytest.raises(ValidationError) as refused:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        board.board_list(s, w.manager, scope=scope, figure="age_99", day=MONDAY)
    assert "no figure 'age_99'" in str(refused.value)
    assert "age_over_20" in str(refused.value) and "completed_by_ID" in str(refused.value)


def test_cli_lists_a_bucket_and_a_person(
    world: World, aged: dict[str, int], tmp_path: Path
) -> None:
    w = world

    def run(*args: str) -> tuple[int, str, str]:
        done = run_cli(
            tmp_path,
            "board",
            "--team",
            "PRE-OM",
            "--date",
            "23/11/2026",
            *args,
            db=w.db.url,
            user="boss",
        )
        return done.code, done.out, done.err

    code, out, err = run("--list", "age_11_20", "--json")
    assert (code, err) == (0, "")
    assert {r["id"] for r in json.loads(out)["list"]["rows"]} == {aged["mon 2"], aged["mon 26 oct"]}
    code, out, err = run("--list", f"completed_by_{w.other.id}")
    assert (code, err) == (0, "")
    assert "owen mon" in out and "wendy mon" not in out
    code, out, err = run("--list", "age_99")
    assert code != 0 and "no figure 'age_99'" in err
