"""Keys for the rules an administrator keeps, with Pilot, asserting the database: `C` opens the
clock rules and office closure days, where a system administrator changes a rule (`e`) and adds
(`a`) and removes (`d`) a closure day, and a caseworker reads them but is refused the change in
the capability's words; `%` opens the sampling rates, where a co-ordinator sets one (`a`) and
changes it (`e`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select
from textual.command import CommandPalette
from textual.widgets import OptionList

from caseterm.core.models import AuditEvent, CheckRate, ClockRule, OfficeClosure
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.rules.clock_screen import ClockRulesScreen
from caseterm.tui.rules.questions import QuestionsScreen
from caseterm.tui.rules.rates_screen import SamplingRatesScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import screen_text

pytestmark = pytest.mark.sqlite_only

RULE = "OM/absence/absence_evidence"  # 5 working days by default


def top_option(app: Any) -> str:
    """The first choice the command palette offers (what enter would run), or ""."""
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


def _rows(table: PagedTable[Any]) -> list[Any]:
    return [table.row_at(i) for i in range(table.count or 0)]


def _actions(tui_world: TuiWorld, action: str) -> list[AuditEvent]:
    with tui_world.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


async def test_c_changes_a_clock_rule_and_adds_and_removes_a_closure_day(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    app = tui_world.app(w.admin)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def answer(*answers: str) -> None:
            """Each answer replaces what the question offers (ctrl+u clears it)."""
            for text in answers:
                await wait_for(pilot, lambda: isinstance(app.screen, QuestionsScreen), 5)
                await press(pilot, "ctrl+u", *text, "enter")

        await press(pilot, "C")
        await wait_for(pilot, lambda: isinstance(app.screen, ClockRulesScreen), 5)
        rules = app.screen.query_one("#rules-table", PagedTable)
        await wait_for(pilot, lambda: (rules.count or 0) > 10, 5)
        rules.move_cursor(next(i for i, r in enumerate(_rows(rules)) if r.key == RULE))
        await press(pilot, "enter")  # the rule in full
        await wait_for(pilot, lambda: isinstance(app.screen, RecordScreen), 5)
        assert "Evidence for the absence" in screen_text(app)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClockRulesScreen), 5)

        await press(pilot, "e")  # a negative period: said, nothing saved
        await answer("-3 days", "2", "deadline", "", "2", "yes")
        await wait_for(pilot, lambda: "Rule not changed" in screen_text(app), 5)
        assert "must not be negative" in screen_text(app)
        with tui_world.db.read() as s:
            assert s.exec(select(ClockRule)).all() == []

        await press(pilot, "e")
        await answer("7 working days", "3", "deadline", "PRE-OM", "1", "no")
        await wait_for(pilot, lambda: f"Changed {RULE}" in screen_text(app), 5)
        await wait_for(
            pilot,
            lambda: any(
                r.key == RULE and r.period == 7 and not r.roll_forward for r in _rows(rules)
            ),
            5,
        )

        await press(pilot, "a")  # Christmas Day: the service's words
        await answer("25/12/2026", "party")
        await wait_for(pilot, lambda: "Christmas Day" in screen_text(app), 5)
        assert "Closure day not added" in screen_text(app)
        await press(pilot, "a")
        await answer("24/12/2026", "office move")
        await wait_for(
            pilot, lambda: "Offices closed on Thursday 24/12/2026" in screen_text(app), 5
        )
        closures = app.screen.query_one("#closures-table", PagedTable)
        await wait_for(pilot, lambda: closures.count == 1, 5)
        with tui_world.db.read() as s:
            added = s.exec(select(OfficeClosure)).one()
            assert (added.day, added.reason) == (date(2026, 12, 24), "office move")

        await press(pilot, "d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 5)
        await press(pilot, "y")
        await wait_for(pilot, lambda: "Offices open again" in screen_text(app), 5)
        await wait_for(pilot, lambda: closures.count == 0, 5)
    with tui_world.db.read() as s:
        row = s.exec(select(ClockRule)).one()
        assert (row.case_type, row.event, row.clock) == ("OM", "absence", "absence_evidence")
        assert (row.period, row.unit, row.warn_working_days) == (7, "working_days", 3)
        assert (row.team_code, row.priority, row.roll_forward) == ("PRE-OM", 1, False)
        assert s.exec(select(OfficeClosure)).all() == []
    assert len(_actions(tui_world, "clock_rule.set")) == 1
    assert len(_actions(tui_world, "closure.add")) == 1
    assert len(_actions(tui_world, "closure.remove")) == 1


async def test_a_caseworker_opens_the_rules_from_the_palette_and_is_told_why_e_is_refused(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")  # reached from the command palette too
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), 5)
        await press(pilot, *"clock rules")
        await wait_for(pilot, lambda: top_option(app).startswith("Clock rules"), 10)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClockRulesScreen), 5)
        rules = app.screen.query_one("#rules-table", PagedTable)
        await wait_for(pilot, lambda: (rules.count or 0) > 10, 5)
        await press(pilot, "e")
        await wait_for(
            pilot, lambda: "may not change the statutory clock rules" in screen_text(app), 5
        )
        assert not isinstance(app.screen, QuestionsScreen)
        await press(pilot, "%")  # not a co-ordinator: not offered
        await settle(pilot)
        assert isinstance(app.screen, ClockRulesScreen)
    with tui_world.db.read() as s:
        assert s.exec(select(ClockRule)).all() == []


async def test_percent_sets_a_sampling_rate_and_changes_it(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def answer(*answers: str) -> None:
            for text in answers:
                await wait_for(pilot, lambda: isinstance(app.screen, QuestionsScreen), 5)
                await press(pilot, *(("ctrl+u", *text) if text else ()), "enter")

        await press(pilot, "%")
        await wait_for(pilot, lambda: isinstance(app.screen, SamplingRatesScreen), 5)
        await wait_for(pilot, lambda: "No sampling rates" in screen_text(app), 5)
        await press(pilot, "a")
        await answer("pre-om", "task", "", "150")  # out of range: the service's words
        await wait_for(pilot, lambda: "must be from 0 to 100" in screen_text(app), 5)
        await press(pilot, "a")
        await answer("pre-om", "task", "", "10")
        await wait_for(
            pilot, lambda: "PRE-OM · Completed task · 10% checked" in screen_text(app), 5
        )
        table = app.screen.query_one("#rates-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        await press(pilot, "e")
        await answer("25")
        await wait_for(
            pilot, lambda: "PRE-OM · Completed task · 25% checked" in screen_text(app), 5
        )
    with tui_world.db.read() as s:
        rate = s.exec(select(CheckRate)).one()
        assert (rate.work_kind, rate.staff_key, rate.percent) == ("task", 0, 25)
        assert rate.set_by_id == w.manager.id
    assert len(_actions(tui_world, "check.rate_set")) == 2
