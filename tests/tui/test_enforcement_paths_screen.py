"""`F` opens the enforcement paths, with Pilot, asserting the database: a caseworker reaches them
from the command palette and reads them but is refused `e` in the capability's words; a system
administrator sets a path's steps with `e` (a path the catalogue refuses: the service's words,
nothing saved), puts it back to the shipped one with `d` and adds one for a kind with `a`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from textual.command import CommandPalette
from textual.widgets import OptionList

from caseterm.core.models import AuditEvent, EnforcementPath
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.rules.enforcement_screen import EnforcementPathsScreen
from caseterm.tui.rules.questions import QuestionsScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import screen_text

pytestmark = pytest.mark.sqlite_only

NEW_STEPS = "further_steps_notice:7,attachment_of_earnings:21,warrant_of_control:28"


def _top_option(app: Any) -> str:
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


def _rows(table: PagedTable[Any]) -> list[Any]:
    return [table.row_at(i) for i in range(table.count or 0)]


def _stored(tui_world: TuiWorld) -> list[tuple[str, str, int, str, bool]]:
    with tui_world.db.read() as s:
        return [
            (r.case_type, r.account_kind, r.trigger_missed, r.steps, r.active)
            for r in s.exec(select(EnforcementPath)).all()
        ]


def _audited(tui_world: TuiWorld, action: str) -> int:
    with tui_world.db.read() as s:
        return len(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


async def test_f_sets_an_enforcement_path_and_resets_it_others_are_refused(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    worker = tui_world.app(w.worker)
    async with worker.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")  # reached from the command palette
        await wait_for(pilot, lambda: isinstance(worker.screen, CommandPalette), 5)
        await press(pilot, *"enforcement paths")
        await wait_for(pilot, lambda: _top_option(worker).startswith("Enforcement paths"), 10)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(worker.screen, EnforcementPathsScreen), 5)
        await wait_for(pilot, lambda: "Further steps notice" in screen_text(worker), 5)
        await press(pilot, "e")
        await wait_for(pilot, lambda: CAPABILITY_LABELS["money.paths"] in screen_text(worker), 5)
        assert not isinstance(worker.screen, QuestionsScreen)
    assert _stored(tui_world) == []

    app = tui_world.app(w.admin)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def answer(*answers: str) -> None:
            """Each answer replaces what the question offers (ctrl+u clears it)."""
            for text in answers:
                await wait_for(pilot, lambda: isinstance(app.screen, QuestionsScreen), 5)
                await press(pilot, "ctrl+u", *text, "enter")

        await press(pilot, "F")
        await wait_for(pilot, lambda: isinstance(app.screen, EnforcementPathsScreen), 5)
        paths = app.screen.query_one("#paths-table", PagedTable)
        await wait_for(pilot, lambda: (paths.count or 0) >= 2, 5)
        index = next(i for i, p in enumerate(_rows(paths)) if p.key == "FINE/by_date")
        paths.move_cursor(index)
        steps = app.screen.query_one("#steps-table", PagedTable)
        await wait_for(pilot, lambda: steps.count == 4, 5)  # the shipped by_date path
        await press(pilot, "enter")  # the path in full
        await wait_for(pilot, lambda: isinstance(app.screen, RecordScreen), 5)
        assert "appeal within 10 working days" in screen_text(app)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EnforcementPathsScreen), 5)

        await press(pilot, "e")  # an action that comes back: the service's words, nothing saved
        await answer("further_steps_notice:0,further_steps_notice:14", "1", "yes")
        await wait_for(pilot, lambda: "Path not changed" in screen_text(app), 5)
        assert "comes twice" in screen_text(app)
        assert _stored(tui_world) == []

        await press(pilot, "e")
        await answer(NEW_STEPS, "3", "yes")
        await wait_for(pilot, lambda: "Set FINE/by_date" in screen_text(app), 5)
        await wait_for(pilot, lambda: steps.count == 3, 5)
        assert "own: changed" in screen_text(app)
        assert _stored(tui_world) == [("FINE", "by_date", 3, NEW_STEPS, True)]

        await press(pilot, "d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 5)
        await press(pilot, "y")
        await wait_for(pilot, lambda: "Back to the shipped FINE/by_date" in screen_text(app), 5)
        await wait_for(pilot, lambda: steps.count == 4, 5)
        assert _stored(tui_world) == []

        await press(pilot, "a")  # a path of its own for accounts paying by instalments
        await answer("fine", "instalments", "reminder:0,attachment_of_earnings:7", "1")
        await wait_for(pilot, lambda: "Set FINE/instalments" in screen_text(app), 5)
        await wait_for(pilot, lambda: paths.count == 3, 5)
    assert _stored(tui_world) == [
        ("FINE", "instalments", 1, "reminder:0,attachment_of_earnings:7", True)
    ]
    assert _audited(tui_world, "enforcement_path.set") == 2
    assert _audited(tui_world, "enforcement_path.reset") == 1
