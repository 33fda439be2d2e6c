"""Statutory deadlines in the diary: the running clocks due in a range on a member of staff's
cases (or a team's), overdue ones when the range holds today, restricted ones counted and not
listed (the clock is frozen on Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlmodel import select

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


# ---------------------------------------------------------------- the letter a clock's task issues


def test_rules_name_the_letter_template_of_the_clocks_task(world: World) -> None:
    from caseterm.core.errors import ValidationError
    from caseterm.core.models import CaseClock, ClockRule, Task
    from caseterm.core.services import clock_rules, clock_scheduler, letter_templates

    with world.db.write() as s:
        letter_templates.install_stock_templates(s, world.admin)
    with world.db.read() as s:
        shown = clock_rules.show_rule(
            s,
            world.worker,
            case_type="MHC",
            event="tribunal_application",
            clock="tribunal_statement",
        )
    assert shown.letter_template == "MH_TRIB"  # the shipped default
    with world.db.write() as s, pytest.raises(ValidationError, match="no letter template 'NOPE'"):
        clock_rules.set_rule(
            s,
            world.admin,
            case_type="MHC",
            event="recall",
            clock_key="recall_reports",
            changes={"letter_template": "nope"},
        )
    with world.db.write() as s:
        changed = clock_rules.set_rule(
            s,
            world.admin,
            case_type="MHC",
            event="recall",
            clock_key="recall_reports",
            changes={"letter_template": "mh_warrant_recall"},
        )
    assert changed.letter_template == "MH_WARRANT_RECALL"
    case_id = _mh_case(world, owner_id=world.worker.id or 0)
    _recall(world, case_id, date(2026, 10, 1))  # due 22/10: the scheduler raises it at once
    with world.db.read() as s:
        row = s.exec(select(ClockRule).where(ClockRule.clock == "recall_reports")).one()
        clock_row = s.exec(select(CaseClock).where(CaseClock.case_id == case_id)).one()
        task = s.exec(select(Task).where(Task.case_id == case_id, Task.kind == "deadline")).one()
        listed = diary_deadlines.diary_deadlines(
            s,
            world.worker,
            first=date(2026, 11, 23),
            last=date(2026, 11, 30),
            staff_id=world.worker.id,
        )
    assert row.letter_template == clock_row.letter_template == "MH_WARRANT_RECALL"
    assert task.source == f"clock:{clock_row.id}:due letter:MH_WARRANT_RECALL"
    assert "Letter to issue: template MH_WARRANT_RECALL" in task.details
    assert [r.clock.letter_template for r in listed.rows] == ["MH_WARRANT_RECALL"]
    with world.db.write() as s:
        assert clock_scheduler.run_scheduler(s, world.clerk).count == 0  # raised once
