"""A diary's range read a page at a time (`diary_page`): the same rows as the whole range, in
the same order, with the range counted by status in the database (issue 16: a large team's
day costs a page, not the team's size)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest

from caseterm.core import clock
from caseterm.core.services import diary, diary_views
from tests.factories import World

DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield
    clock.freeze(None)


def _busy_day(world: World) -> None:
    """Fifteen appointments for the team's worker, one in three cancelled afterwards."""
    with world.db.write() as s:
        for i in range(15):
            starts = datetime.combine(DAY, time(8)) + timedelta(minutes=30 * i)
            (appt,) = diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id or 0,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                kind="supervision",
                case_id=world.case.id,
            )
            if i % 3 == 0:
                diary.cancel_appointment(s, world.clerk, appointment_id=appt.id, reason="ill")


def test_pages_add_up_to_the_range_and_count_it(world: World) -> None:
    _busy_day(world)
    start = datetime.combine(DAY, time.min)
    team = world.team.id
    with world.db.read() as s:
        whole = diary_views.diary_range(
            s, world.clerk, start=start, end=start + timedelta(1), team_id=team
        )
        pages = [
            diary_views.diary_page(
                s,
                world.clerk,
                start=start,
                end=start + timedelta(1),
                offset=o,
                limit=4,
                team_id=team,
            )
            for o in range(0, 16, 4)
        ]
    assert len(whole) == 15
    assert [r for p in pages for r in p.rows] == whole
    assert [len(p.rows) for p in pages] == [4, 4, 4, 3]
    assert {p.total for p in pages} == {15}
    assert pages[0].by_status == dict(Counter(r.appointment.status for r in whole))
    assert pages[0].counts == dict(Counter((DAY, r.appointment.status) for r in whole))


def test_a_teams_day_is_counted_and_paged_from_the_index(world: World) -> None:
    """The count by status and the choice of the page read `appointment (staff_id, starts_at,
    ends_at, status, id)` alone (migration 0036) for the appointments booked with the team: no
    appointment is read from the table to test its end or its status."""
    from tests.test_board_indexes import _plan, _statements

    _busy_day(world)
    start = datetime.combine(DAY, time.min)
    with _statements(world.db) as seen, world.db.read() as s:
        page = diary_views.diary_page(
            s, world.clerk, start=start, end=start + timedelta(1), limit=4, team_id=world.team.id
        )
    assert page.total == 15 and len(page.rows) == 4
    counts = [(sql, p) for sql, p in seen if "count(" in sql.lower() and "GROUP BY" in sql]
    assert len(counts) == 1, seen
    plan = _plan(world.db, *counts[0])
    if world.db.engine.dialect.name == "sqlite":
        assert "COVERING INDEX ix_appointment_staff_window" in plan, plan
    else:
        assert "Index Only Scan using ix_appointment_staff_window" in plan, plan
