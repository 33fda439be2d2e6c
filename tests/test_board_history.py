"""The board's older days are remembered (`board_history`): a refresh reads yesterday and today
again, and the days before yesterday only when what was kept is older than MAX_AGE_SECONDS; the
figures then are the same as those read afresh."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from caseterm.core import clock
from caseterm.core.services import board, board_history, tasks
from tests.factories import World

pytestmark = pytest.mark.sqlite_only

MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 22)
WEEK_AGO = date(2026, 11, 16)


def _task(world: World, on: date, title: str) -> None:
    clock.freeze(datetime.combine(on, time(9)))
    with world.db.write() as s:
        tasks.create_task(
            s,
            world.clerk,
            kind="general",
            title=title,
            case_id=world.case.id,
            team_id=world.team.id,
        )


def _received(world: World) -> tuple[float, float, float, float]:
    clock.freeze(datetime.combine(MONDAY, time(12)))
    with world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team=world.team.code)
        f = board.team_board(s, world.manager, scope=scope, day=MONDAY).figure("received")
    return f.today, f.yesterday, f.today_week_ago, f.yesterday_week_ago


def test_a_refresh_reads_yesterday_and_today_again_and_older_days_when_stale(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _task(world, WEEK_AGO, "older")
    assert _received(world) == (0, 0, 1, 0)
    _task(world, MONDAY, "today")
    _task(world, SUNDAY, "yesterday")
    _task(world, WEEK_AGO, "entered late")  # a late entry for an older day
    assert _received(world) == (1, 1, 1, 0)  # the older day as it was read
    monkeypatch.setattr(board_history, "MAX_AGE_SECONDS", 0.0)
    assert _received(world) == (1, 1, 2, 0)  # kept too long: read again
    _task(world, WEEK_AGO, "entered later")
    assert _received(world) == (1, 1, 3, 0)
