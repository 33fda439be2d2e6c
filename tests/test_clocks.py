"""Statutory clocks: rules as data, bank holidays and closure days, casework events starting and
stopping clocks, the scheduler raising each task once, deadlines in words (exact dates; the clock
is frozen on Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, CaseClock, CaseEvent, ClockRule, RaisedKey, Task
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.rules.clocks import clock_end, warning_day
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import (
    case_events,
    cases,
    clock_rules,
    clock_scheduler,
    deadlines,
    reviews,
)
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _mh_case(world: World) -> int:
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="MHC",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
    return case.id or 0


# ---------------------------------------------------------------- the arithmetic


def test_three_weeks_ending_on_christmas_rolls_to_the_29th() -> None:
    eng = WorkCalendar("ENG")
    # Fri 04/12/2026 + 21 days = Fri 25/12 (Christmas); Sat, Sun, Mon 28/12 Boxing Day observed.
    assert clock_end(date(2026, 12, 4), 21, "days", True, eng) == date(2026, 12, 29)
    assert clock_end(date(2026, 12, 4), 21, "days", False, eng) == date(2026, 12, 25)
    assert clock_end(date(2026, 12, 4), 3, "weeks", True, eng) == date(2026, 12, 29)
    # 20 working days from Mon 14/12/2026 skip 25/12, 28/12 and 01/01/2027.
    assert clock_end(date(2026, 12, 14), 20, "working_days", True, eng) == date(2027, 1, 14)
    # Three years from a Monday land on a Friday; a month from 31/01 clamps to 28/02.
    assert clock_end(date(2026, 11, 23), 3, "years", True, eng) == date(2029, 11, 23)
    assert clock_end(date(2027, 1, 31), 1, "months", False, eng) == date(2027, 2, 28)
    assert warning_day(date(2026, 12, 29), 5, eng) == date(2026, 12, 18)
    assert warning_day(date(2026, 12, 29), 0, eng) is None


def test_scotland_and_northern_ireland_differ() -> None:
    # 02/01/2027 is a Saturday: Scotland's substitute day is Monday 04/01.
    assert WorkCalendar("ENG").add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert WorkCalendar("SCT").add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert WorkCalendar("NIR").why_closed(date(2027, 3, 17)).startswith("Saint Patrick")
    assert WorkCalendar("ENG").why_closed(date(2027, 3, 17)) == ""


def test_a_closure_day_is_not_a_working_day(world: World) -> None:
    with world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=date(2026, 11, 30), reason="office move")
    with world.db.read() as s:
        cal = clock_rules.work_calendar(s)
        assert clock_rules.list_closures(s, world.worker)[0].reason == "office move"
    assert cal.why_closed(date(2026, 11, 30)) == "an office closure day"
    # Fri 27/11 + 5 working days: Mon 30/11 closed, so Fri 04/12 becomes Mon 07/12.
    assert cal.add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("day", "message"),
    [(date(2026, 12, 25), "Christmas Day"), (date(2026, 11, 28), "Saturday")],
)
def test_a_closure_on_a_day_already_closed_is_refused(
    world: World, day: date, message: str
) -> None:
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=day, reason="x")


def test_only_a_system_administrator_adds_closures_or_changes_rules(world: World) -> None:
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        clock_rules.add_closure(s, world.manager, day=date(2026, 11, 30), reason="x")
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        clock_rules.set_rule(
            s,
            world.manager,
            case_type="MHC",
            event="recall",
            clock_key="recall_reports",
            changes={"period": 4},
        )


# ---------------------------------------------------------------- rules as data


def test_defaults_are_listed_and_an_administrator_changes_one(world: World) -> None:
    with world.db.read() as s:
        mh = clock_rules.list_rules(s, world.worker, case_type="MHC")
    assert {(r.event, r.clock, r.period, r.unit) for r in mh} == {
        ("tribunal_application", "tribunal_statement", 21, "days"),
        ("recall", "recall_reports", 3, "weeks"),
        ("tribunal_decision", "s71_referral", 3, "years"),
    }
    assert all(r.source == "default" for r in mh)
    with world.db.write() as s:
        changed = clock_rules.set_rule(
            s,
            world.admin,
            case_type="MHC",
            event="recall",
            clock_key="recall_reports",
            changes={"period": 4, "warn_working_days": 2},
        )
    assert (changed.period, changed.warn_working_days, changed.source) == (4, 2, "changed")
    with world.db.read() as s:
        shown = clock_rules.show_rule(
            s, world.worker, case_type="MHC", event="recall", clock="recall_reports"
        )
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "clock_rule.set")).one()
    assert shown.period == 4 and shown.label == "Reports after recall"
    assert '"period": 4' in (event.after or "") or "4" in str(event.after)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": -1}, "period"),
        ({"period": 0}, "period"),
        ({"task_kind": "make_tea"}, "task kind"),
        ({"unit": "fortnights"}, "unit"),
        ({"warn_working_days": -2}, "warning"),
        ({"priority": 9}, "priority"),
        ({"stopped_by": "payday"}, "stopped_by"),
        ({"colour": "red"}, "rule"),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_written(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        clock_rules.set_rule(
            s,
            world.admin,
            case_type="MHC",
            event="recall",
            clock_key="recall_reports",
            changes=changes,
        )
    assert err.value.field == field
    with world.db.read() as s:
        assert s.exec(select(ClockRule)).all() == []


def test_a_new_rule_needs_label_period_and_unit(world: World) -> None:
    with pytest.raises(ValidationError, match="needs"), world.db.write() as s:
        clock_rules.set_rule(
            s, world.admin, case_type="FINE", event="default", clock_key="chase", changes={}
        )
    with world.db.write() as s:
        added = clock_rules.set_rule(
            s,
            world.admin,
            case_type="FINE",
            event="default",
            clock_key="chase",
            changes={"label": "Chase payment", "period": 14, "unit": "days"},
        )
    assert added.source == "added"


# ---------------------------------------------------------------- events and clocks


def test_a_recall_starts_its_clock_and_proposes_its_letter(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        done = case_events.record_event(
            s,
            world.worker,
            case_id=case_id,
            kind="recall",
            event_date=date(2026, 11, 20),
            details="Recalled by warrant",
        )
    with world.db.read() as s:
        (c,) = s.exec(select(CaseClock)).all()
        letter = s.exec(select(Task).where(Task.kind == "letter_to_issue")).one()
        event = s.exec(select(CaseEvent)).one()
    # Fri 20/11 + 3 weeks = Fri 11/12; warning 5 working days before, Fri 04/12.
    assert (c.clock, c.due_date, c.warn_date, c.status) == (
        "recall_reports",
        date(2026, 12, 11),
        date(2026, 12, 4),
        "running",
    )
    assert done.started == (c.id,)
    assert letter.title == "Send letter: Notice of recall"
    assert letter.assignee_id == world.worker.id
    assert (event.kind, event.details, event.recorded_by_id) == (
        "recall",
        "Recalled by warrant",
        world.worker.id,
    )
    with world.db.read() as s:
        nxt = deadlines.next_deadline(s, world.worker, case_id=case_id)
        timeline = case_events.list_events(s, world.worker, case_id=case_id)
    assert nxt is not None and nxt.working_days_left == 14
    assert nxt.in_words == "14 working days left"
    assert [(e.label, e.recorded_by) for e in timeline] == [("Recall to hospital", "Wendy Worker")]


def test_stopping_events_record_met_and_late(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        case_events.record_event(
            s,
            world.worker,
            case_id=case_id,
            kind="tribunal_application",
            event_date=date(2026, 10, 1),
        )
    with world.db.write() as s:
        # Thu 01/10 + 21 days = Thu 22/10; the decision on Mon 26/10 is 2 working days late.
        done = case_events.record_event(
            s,
            world.worker,
            case_id=case_id,
            kind="tribunal_decision",
            event_date=date(2026, 10, 26),
        )
    with world.db.read() as s:
        clocks = {c.clock: c for c in s.exec(select(CaseClock)).all()}
    statement, s71 = clocks["tribunal_statement"], clocks["s71_referral"]
    assert (statement.status, statement.late_by, statement.stopped_on) == (
        "late",
        2,
        date(2026, 10, 26),
    )
    assert done.stopped == (statement.id,)
    assert (s71.status, s71.due_date) == ("running", date(2029, 10, 26))


def test_waive_and_met_by_hand(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        first = case_events.record_event(
            s, world.worker, case_id=case_id, kind="recall", event_date=date(2026, 11, 20)
        )
    with world.db.write() as s:
        assert (
            case_events.close_clock(
                s, world.worker, clock_id=first.started[0], waive_reason="recall rescinded"
            )
            == ClockStatus.WAIVED
        )
    with world.db.read() as s:
        row = deadlines.case_clocks(s, world.worker, case_id=case_id)[0]
    assert row.in_words == "waived: recall rescinded"
    with pytest.raises(ValidationError, match="not running"), world.db.write() as s:
        case_events.close_clock(s, world.worker, clock_id=first.started[0])


@pytest.mark.parametrize(
    ("kind", "day", "field"),
    [
        ("recall", date(2026, 11, 24), "date"),  # a recall tomorrow has not happened
        ("breach_referred", date(2026, 11, 20), "event"),  # a probation event on an MH case
        ("tribunal_hearing", date(2028, 1, 1), "date"),  # more than a year ahead
    ],
)
def test_bad_events_are_refused_and_nothing_written(
    world: World, kind: str, day: date, field: str
) -> None:
    case_id = _mh_case(world)
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        case_events.record_event(s, world.worker, case_id=case_id, kind=kind, event_date=day)
    assert err.value.field == field
    with world.db.read() as s:
        assert s.exec(select(CaseEvent)).all() == []
        assert s.exec(select(CaseClock)).all() == []


def test_a_hearing_may_be_dated_ahead(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        case_events.record_event(
            s, world.worker, case_id=case_id, kind="tribunal_hearing", event_date=date(2027, 1, 5)
        )


# ---------------------------------------------------------------- the scheduler


def test_scheduler_raises_warning_then_end_once_each(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        case_events.record_event(
            s, world.worker, case_id=case_id, kind="recall", event_date=date(2026, 11, 20)
        )
    with world.db.write() as s:
        assert clock_scheduler.run_scheduler(s, world.clerk).count == 0  # nothing due yet
    clock.freeze(datetime(2026, 12, 4, 8, 0))  # the warning day
    with world.db.read() as s:
        dry = clock_scheduler.run_scheduler(s, world.clerk, dry_run=True)
    assert [r.key for r in dry.raised] == [f"clock:{_clock_id(world)}:warn"]
    with world.db.write() as s:
        warned = clock_scheduler.run_scheduler(s, world.clerk)
    with world.db.write() as s:
        assert clock_scheduler.run_scheduler(s, world.clerk).count == 0
    assert warned.raised[0].title == "Reports after recall: due 11/12/2026, 5 working days left"
    clock.freeze(datetime(2026, 12, 14, 8, 0))  # past the end
    with world.db.write() as s:
        ended = clock_scheduler.run_scheduler(s, world.clerk)
    with world.db.read() as s:
        raised = s.exec(select(Task).where(Task.kind == "deadline")).all()
        keys = {k.key for k in s.exec(select(RaisedKey)).all()}
        overdue = deadlines.deadline_list(s, world.worker, overdue_only=True)
    assert len(ended.raised) == 1 and len(raised) == 2
    assert all(t.assignee_id == world.worker.id and t.priority == 1 for t in raised)
    assert keys == {f"clock:{_clock_id(world)}:warn", f"clock:{_clock_id(world)}:due"}
    assert [r.in_words for r in overdue.rows] == ["OVERDUE by 1 working day"]


def _clock_id(world: World) -> int:
    with world.db.read() as s:
        return s.exec(select(CaseClock)).one().id or 0


def test_scheduler_fires_pending_reviews(world: World) -> None:
    with world.db.write() as s:
        reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="review",
            description="Review",
            due_date=date(2026, 11, 23),
        )
    with world.db.write() as s:
        run = clock_scheduler.run_scheduler(s, world.clerk)
    assert [r.key[:7] for r in run.raised] == ["review:"]
    with world.db.write() as s:
        assert clock_scheduler.run_scheduler(s, world.clerk).count == 0


def test_an_event_dated_long_ago_raises_its_end_at_once(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        done = case_events.record_event(
            s, world.worker, case_id=case_id, kind="recall", event_date=date(2026, 10, 1)
        )
    assert len(done.task_ids) == 2  # the letter and the (already overdue) reports
    with world.db.write() as s:
        assert clock_scheduler.run_scheduler(s, world.clerk).count == 0


def test_a_restricted_case_hides_its_deadlines(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        case_events.record_event(
            s, world.worker, case_id=case_id, kind="recall", event_date=date(2026, 11, 20)
        )
        cases.restrict_case(s, world.manager, case_id=case_id, allow=[world.worker.id])
    with world.db.read() as s:
        mine = deadlines.deadline_list(s, world.worker)
        theirs = deadlines.deadline_list(s, world.other)
    assert len(mine.rows) == 1 and mine.hidden == 0
    assert (len(theirs.rows), theirs.hidden) == (0, 1)


def test_the_deadlines_queue_holds_clock_tasks_of_my_team_and_mine(world: World) -> None:
    from caseterm.core.services import queues

    case_id = _mh_case(world)
    with world.db.write() as s:
        case_events.record_event(
            s, world.worker, case_id=case_id, kind="recall", event_date=date(2026, 10, 1)
        )
    with world.db.read() as s:
        mine = queues.queue_page(s, world.worker, key="deadlines")
        colleague = queues.queue_count(s, world.other, "deadlines")
        totals = queues.queue_totals(s, world.worker, "deadlines")
    assert [r.title for r in mine] == ["Reports after recall: due 22/10/2026"]
    assert colleague == 1  # same team
    assert totals == (1, 1)
