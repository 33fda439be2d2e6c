"""Statutory deadlines in the diary: the running clocks due in a range on a member of staff's
cases (or a team's), overdue ones when the range holds today, restricted ones counted and not
listed (the clock is frozen on Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from caseterm.core.errors import PermissionDeniedError
from caseterm.core.services import case_events, cases, diary_deadlines
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _mh_case(world: World, *, owner_id: int) -> int:
    with world.db.write() as s:
        case = cases.open_case(
            s, world.clerk, case_type="MHC", subject_id=world.person.id or 0, owner_id=owner_id
        )
    return case.id or 0


def _recall(world: World, case_id: int, day: date) -> None:
    with world.db.write() as s:
        case_events.record_event(s, world.worker, case_id=case_id, kind="recall", event_date=day)


def test_my_cases_deadlines_in_range_with_the_overdue_first(world: World) -> None:
    mine = _mh_case(world, owner_id=world.worker.id or 0)
    theirs = _mh_case(world, owner_id=world.other.id or 0)
    _recall(world, mine, date(2026, 11, 20))  # due Fri 11/12
    _recall(world, theirs, date(2026, 11, 20))
    other_case = _mh_case(world, owner_id=world.worker.id or 0)
    _recall(world, other_case, date(2026, 10, 1))  # due 22/10: overdue
    with world.db.read() as s:
        found = diary_deadlines.diary_deadlines(
            s,
            world.worker,
            first=date(2026, 11, 23),
            last=date(2026, 12, 20),
            staff_id=world.worker.id,
        )
        later = diary_deadlines.diary_deadlines(
            s,
            world.worker,
            first=date(2026, 11, 30),
            last=date(2026, 12, 6),
            staff_id=world.worker.id,
        )
        team = diary_deadlines.diary_deadlines(
            s,
            world.worker,
            first=date(2026, 11, 23),
            last=date(2026, 12, 20),
            team_id=world.team.id,
        )
    assert [(r.case_id, r.due_date) for r in found.rows] == [
        (other_case, date(2026, 10, 22)),
        (mine, date(2026, 12, 11)),
    ]
    overdue, due = found.rows
    assert overdue.clock.overdue and overdue.clock.in_words.startswith("OVERDUE by ")
    assert due.clock.label == "Reports after recall"
    assert due.clock.in_words == "14 working days left"
    assert due.person_name == world.person.full_name and due.owner_name == "Wendy Worker"
    assert later.rows == ()  # neither today nor the 11th is in that week
    assert {r.case_id for r in team.rows} == {mine, theirs, other_case}


def test_a_restricted_case_is_counted_not_listed(world: World) -> None:
    case_id = _mh_case(world, owner_id=world.worker.id or 0)
    _recall(world, case_id, date(2026, 11, 20))
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=case_id, allow=[world.worker.id])
    with world.db.read() as s:
        seen = diary_deadlines.diary_deadlines(
            s,
            world.other,
            first=date(2026, 11, 23),
            last=date(2026, 12, 20),
            team_id=world.team.id,
        )
        owner = diary_deadlines.diary_deadlines(
            s,
            world.worker,
            first=date(2026, 11, 23),
            last=date(2026, 12, 20),
            staff_id=world.worker.id,
        )
    assert (seen.rows, seen.hidden) == ((), 1)
    assert (len(owner.rows), owner.hidden) == (1, 0)


def test_the_reception_desk_reads_appointments_not_deadlines(world: World) -> None:
    with world.db.read() as s, pytest.raises(PermissionDeniedError, match="may not read cases"):
        diary_deadlines.diary_deadlines(
            s,
            world.desk,
            first=date(2026, 11, 23),
            last=date(2026, 12, 20),
            staff_id=world.worker.id,
        )
