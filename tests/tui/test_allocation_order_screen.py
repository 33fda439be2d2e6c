"""`o` on the enforcement paths (`F`) sets the order a case type's payments are allocated across
the impositions, with Pilot, asserting the database: a caseworker is refused in the capability's
words; a system administrator's bad order is refused in the service's words with nothing stored,
a good one is stored on the case type of the path under the cursor and shown on the screen."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from caseterm.core.models import AuditEvent, CaseType
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.tui.rules.enforcement_screen import EnforcementPathsScreen
from caseterm.tui.rules.questions import QuestionsScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import screen_text

pytestmark = pytest.mark.sqlite_only


def _seen(app: Any) -> str:
    """The screen's words with the lines joined (the allocation line wraps)."""
    return " ".join(screen_text(app).split())


def _stored(tui_world: TuiWorld) -> str:
    with tui_world.db.read() as s:
        ct = s.exec(select(CaseType).where(CaseType.code == "FINE")).one()
        return ct.allocation_order


def _audited(tui_world: TuiWorld) -> int:
    with tui_world.db.read() as s:
        found = s.exec(select(AuditEvent).where(AuditEvent.action == "case_type.allocation_order"))
        return len(found.all())


async def _open_on_fine(app: Any, pilot: Any) -> None:
    await settle(pilot)
    await press(pilot, "F")
    await wait_for(pilot, lambda: isinstance(app.screen, EnforcementPathsScreen), 5)
    paths = app.screen.query_one("#paths-table", PagedTable)
    await wait_for(pilot, lambda: (paths.count or 0) >= 1, 5)
    rows = [paths.row_at(i) for i in range(paths.count or 0)]
    paths.move_cursor(next(i for i, p in enumerate(rows) if p.case_type == "FINE"))
    await wait_for(pilot, lambda: "Payments allocated" in _seen(app), 5)


async def test_o_sets_the_allocation_order_of_the_case_type_under_the_cursor(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    before = _stored(tui_world)
    worker = tui_world.app(w.worker)
    async with worker.run_test(size=(120, 40)) as pilot:
        await _open_on_fine(worker, pilot)
        await press(pilot, "o")
        await wait_for(pilot, lambda: CAPABILITY_LABELS["rules.admin"] in screen_text(worker), 5)
        assert not isinstance(worker.screen, QuestionsScreen)

    app = tui_world.app(w.admin)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_on_fine(app, pilot)
        assert "compensation > victim_surcharge > costs > fine > court_charge" in _seen(app)

        await press(pilot, "o")  # a kind named twice: the service's words, nothing stored
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionsScreen), 5)
        assert "compensation,victim_surcharge,costs,fine,court_charge" in _seen(app)
        await press(pilot, "ctrl+u", *"fine,costs,fine", "enter")
        await wait_for(pilot, lambda: "Allocation order not changed" in _seen(app), 5)
        assert "names fine more than once" in _seen(app)
        assert _stored(tui_world) == before
        assert _audited(tui_world) == 0

        await press(pilot, "o")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionsScreen), 5)
        await press(pilot, "ctrl+u", *"fine, costs", "enter")
        await wait_for(pilot, lambda: "FINE: payments allocated fine > costs" in _seen(app), 5)
        await wait_for(
            pilot,
            lambda: "FINE: fine > costs > compensation > victim_surcharge" in _seen(app),
            5,
        )
    assert _stored(tui_world) == "fine,costs"
    assert _audited(tui_world) == 1
