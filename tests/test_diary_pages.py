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
