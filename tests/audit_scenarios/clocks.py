"""Statutory clocks: clock rules, closure days, casework events, the scheduler, deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from caseterm.core.models import CaseClock
from caseterm.core.services import case_events, clock_rules, clock_scheduler
from tests.audit_scenarios import NOW, audited, part, reads
from tests.factories import World

reads("clock_rules", "list_rules", "show_rule", "rules_for_event", "work_calendar", "list_closures")
reads("case_events", "list_events")
reads("deadlines", "case_clocks", "next_deadline", "deadline_list")
reads("clock_scheduler", "due_count")
reads("clock_raise_bulk", "task_title", "task_source", "task_details")
part(
    "clock_raise_bulk",
    "claim_keys",
    "claims raised tasks' keys inside run_scheduler's journaled raise",
)
part(
    "clock_raise_bulk",
    "raise_in_bulk",
    "raises clocks' tasks inside run_scheduler, journaled per task",
)
part(
    "clock_scheduler",
    "raise_clock_task",
    "raises one clock's task inside run_scheduler or record_event, which journal it",
)


@audited("clock_rules", "set_rule", "clock_rule.set")
def _set_rule(s: Session, w: World, _: Any) -> None:
    clock_rules.set_rule(
        s,
        w.admin,
        case_type="OM",
        event="absence",
        clock_key="absence_evidence",
        changes={"period": 6},
    )


@audited("clock_rules", "add_closure", "closure.add")
def _add_closure(s: Session, w: World, _: Any) -> None:
    clock_rules.add_closure(s, w.admin, day=date(2026, 12, 2), reason="training day")


def _closure(w: World) -> date:
    """A closure day to remove."""
    with w.db.write() as s:
        return clock_rules.add_closure(s, w.admin, day=date(2026, 12, 3), reason="office move").day


@audited("clock_rules", "remove_closure", "closure.remove", _closure)
def _remove_closure(s: Session, w: World, day: date) -> None:
    clock_rules.remove_closure(s, w.admin, day=day)


def _absence(w: World) -> int:
    """An absence on the world's (probation) case today: evidence due in 5 working days."""
    with w.db.write() as s:
        done = case_events.record_event(
            s, w.worker, case_id=w.case.id or 0, kind="absence", event_date=NOW.date()
        )
    return done.started[0]


@audited("case_events", "record_event", "case_event.record")
def _record(s: Session, w: World, _: Any) -> None:
    case_events.record_event(
        s,
        w.worker,
        case_id=w.case.id or 0,
        kind="absence",
        event_date=NOW.date(),
        details="did not attend",
    )


@audited("case_events", "close_clock", "clock.close", _absence)
def _close(s: Session, w: World, clock_id: int) -> None:
    case_events.close_clock(s, w.worker, clock_id=clock_id, waive_reason="evidence not needed")


@audited("clock_scheduler", "run_scheduler", "clock.raise", _absence)
def _run(s: Session, w: World, clock_id: int) -> None:
    run = clock_scheduler.run_scheduler(s, w.clerk, today=date(2026, 12, 1))
    assert [r.key for r in run.raised] == [f"clock:{clock_id}:due"]
    assert s.exec(select(CaseClock)).one().due_task_id is not None


@audited("clock_scheduler", "raise_due", "clock.raise", _absence)
def _raise_due(s: Session, w: World, clock_id: int) -> None:
    count = clock_scheduler.raise_due(lambda work: work(s), w.clerk, today=date(2026, 12, 1))
    assert count == 1
    assert s.exec(select(CaseClock)).one().due_task_id is not None
