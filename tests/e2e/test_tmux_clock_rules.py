"""End to end in a real terminal at 80x24, on the demo database, as Wendy (a system
administrator): from the queues open the clock rules (`C`), change a rule (`e`: a period of
nothing is refused in words and nothing is saved, then four weeks with a two-day warning, typed
ahead in one burst, is saved) and add an office closure day (`a`). The database holds the rule,
the closure day and their audit events."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from caseterm.core.models import AuditEvent, ClockRule, OfficeClosure
from caseterm.core.services import clock_rules
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

RULE = "MHC/recall/recall_reports"  # reports after recall: 3 weeks, by default


@pytest.fixture
def demo(wendy_demo: DemoDb) -> DemoDb:
    return wendy_demo


def test_change_a_clock_rule_and_add_a_closure_day_at_80x24(demo: DemoDb) -> None:
    with demo.db.read() as s:
        me = resolve_actor(s, demo.login)
        keys = [r.key for r in clock_rules.list_rules(s, me)]
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("C")
        term.wait_for("Clock rules and office closure days", "Complaint stage")  # its rows
        term.keys(*["Down"] * keys.index(RULE))
        term.wait_for(f"{keys.index(RULE) + 1}/{len(keys)}")  # the cursor on the rule

        def answer(*pairs: tuple[str, str | None], offered: bool = True) -> None:
            """Each question as it shows; None keeps the answer offered, anything else replaces
            it (ctrl+u clears what is offered)."""
            for question, text in pairs:
                term.wait_for(question)
                if text is not None:
                    if offered:
                        term.keys("C-u")
                    term.keys(text, literal=True)
                    term.wait_for(text)  # in the field
                term.keys("Enter")

        questions = (
            f"How long {RULE} runs",
            "Warn how many working days",
            "Kind of task it raises",
            "Team the task goes to",
            "Priority of the task",
            "moves to the next working day",
        )
        term.keys("e")
        answer(*zip(questions, ("0 weeks", None, None, None, None, None), strict=True))
        term.wait_for("Rule not changed: period: must be at least 1")
        with demo.db.read() as s:
            assert s.exec(select(ClockRule)).all() == []

        term.keys("e")  # typed ahead in one burst once the dialog shows: each answer in its place
        term.wait_for(questions[0])
        term.keys(
            "C-u", "4 weeks", "Enter", "C-u", "2", "Enter", "Enter", "Enter", "Enter", "Enter"
        )
        term.wait_for(f"Changed {RULE}")

        term.keys("a")
        answer(
            ("Office closure day: the date", "24/12/2026"),
            ("Why the offices", "staff day"),
            offered=False,
        )
        term.wait_for("Offices closed on Thursday 24/12/2026")
        term.wait_for("staff day")  # listed under the closure days
    finally:
        term.close()
    with demo.db.read() as s:
        rule = s.exec(select(ClockRule)).one()
        assert (rule.case_type, rule.event, rule.clock) == ("MHC", "recall", "recall_reports")
        assert (rule.period, rule.unit, rule.warn_working_days) == (4, "weeks", 2)
        assert rule.changed_by_id == demo.staff_id
        closure = s.exec(select(OfficeClosure)).one()
        assert (closure.day, closure.reason) == (date(2026, 12, 24), "staff day")
        journal = {
            e.action
            for e in s.exec(
                select(AuditEvent).where(
                    AuditEvent.staff_id == demo.staff_id,
                    col(AuditEvent.action).in_(["clock_rule.set", "closure.add"]),
                )
            ).all()
        }
    assert journal == {"clock_rule.set", "closure.add"}
