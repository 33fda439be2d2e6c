"""The queues behind the board's task figures: the same tasks as the figure's list, in queue
order, as queue rows; paged from SQL; restricted cases counted and never listed."""

from __future__ import annotations

from datetime import date

import pytest

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.services import board, board_queue, cases
from caseterm.core.services.board_lists import TASK_FIGURES
from caseterm.core.services.identity import Actor
from tests.factories import World
from tests.test_board import MONDAY, SUNDAY, WEEK_AGO, _complete, _task, at


@pytest.fixture
def week(world: World) -> dict[str, int]:
    """As tests/test_board.py's `busy`: A (Wendy's, due 18/11, made a week ago, done today),
    D (Wendy's, made Friday, done Sunday), B (nobody's, due 30/11) and C (Owen's, due 20/11,
    overdue), both made today; and E (nobody's, due 19/11, made Friday: overdue, unallocated)."""
    w = world
    a = _task(w, w.clerk, at(WEEK_AGO), "A", assignee_id=w.worker.id, due_date=date(2026, 11, 18))
    d = _task(w, w.clerk, at(date(2026, 11, 20)), "D", assignee_id=w.worker.id)
    e = _task(w, w.clerk, at(date(2026, 11, 20), 11), "E", due_date=date(2026, 11, 19))
    _complete(w, w.worker, at(SUNDAY, 15), d)
    b = _task(w, w.clerk, at(MONDAY), "B", due_date=date(2026, 11, 30))
    c = _task(w, w.clerk, at(MONDAY), "C", assignee_id=w.other.id, due_date=date(2026, 11, 20))
    _complete(w, w.worker, at(MONDAY, 10), a)
    clock.freeze(at(MONDAY, 12))
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


def _queue(world: World, actor: Actor, figure: str, day: date = MONDAY, **kw: int) -> list[str]:
    with world.db.read() as s:
        scope = board.resolve_scope(s, actor, team="PRE-OM")
        rows = board_queue.figure_queue_page(s, actor, scope=scope, figure=figure, day=day, **kw)
    return [r.title for r in rows]


def test_each_task_figure_queues_what_it_counts_in_queue_order(
    world: World, week: dict[str, int]
) -> None:
    w = world
    assert _queue(w, w.manager, "received") == ["C", "B"]  # due 20/11 before 30/11
    assert _queue(w, w.manager, "completed") == ["A"]
    assert _queue(w, w.manager, "in_progress") == ["C"]
    assert _queue(w, w.manager, "unallocated") == ["E", "B"]
    assert _queue(w, w.manager, "overdue") == ["E", "C"]  # 19/11, 20/11
    # Yesterday: D was done, A was still open and overdue, E unallocated and overdue.
    assert _queue(w, w.manager, "completed", SUNDAY) == ["D"]
    assert _queue(w, w.manager, "overdue", SUNDAY) == ["A", "E"]
    assert _queue(w, w.manager, "overdue", limit=1, offset=1) == ["C"]


def test_queue_rows_match_the_figure_and_its_list(world: World, week: dict[str, int]) -> None:
    w = world
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        shown = board.team_board(s, w.manager, scope=scope, day=MONDAY)
        for figure in TASK_FIGURES:
            listed = board.board_list(s, w.manager, scope=scope, figure=figure, day=MONDAY)
            rows = board_queue.figure_queue_page(
                s, w.manager, scope=scope, figure=figure, day=MONDAY
            )
            totals = board_queue.figure_totals(s, w.manager, scope=scope, figure=figure, day=MONDAY)
            assert {r.task_id for r in rows} == {r.id for r in listed.rows}, figure
            assert (totals.listed, totals.hidden) == (len(rows), 0), figure
            assert totals.listed == shown.figure(figure).today, figure
    [e, c] = rows  # the overdue: queue rows the task keys act on
    assert (e.task_id, e.overdue, e.assignee_name, e.case_reference) == (
        week["E"],
        True,
        "",
        w.case.reference,
    )
    assert (c.task_id, c.assignee_name, c.version) == (week["C"], "Owen Other", 1)


def test_restricted_cases_are_counted_never_listed(world: World, week: dict[str, int]) -> None:
    w = world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.other, team="PRE-OM")
        owen = board_queue.figure_totals(s, w.other, scope=scope, figure="overdue", day=MONDAY)
        wendy = board_queue.figure_totals(s, w.worker, scope=scope, figure="overdue", day=MONDAY)
    assert (owen.listed, owen.hidden, owen.label) == (0, 2, "Overdue")
    assert _queue(w, w.other, "overdue") == []
    assert (wendy.listed, wendy.hidden) == (2, 0)
    assert _queue(w, w.worker, "overdue") == ["E", "C"]


def test_an_office_queue_holds_every_team_in_it(world: World, week: dict[str, int]) -> None:
    w = world
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, office="PRE")
        rows = board_queue.figure_queue_page(
            s, w.manager, scope=scope, figure="unallocated", day=MONDAY
        )
        lan = board.resolve_scope(s, w.manager, office="LAN")
        none = board_queue.figure_totals(s, w.manager, scope=lan, figure="unallocated", day=MONDAY)
    assert [r.title for r in rows] == ["E", "B"]
    assert (none.listed, none.hidden) == (0, 0)


def test_figures_that_count_no_tasks_have_no_task_queue(world: World) -> None:
    with world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team="PRE-OM")
        with pytest.raises(ValidationError, match="'money_taken' does not count tasks"):
            board_queue.figure_totals(s, world.manager, scope=scope, figure="money_taken")
