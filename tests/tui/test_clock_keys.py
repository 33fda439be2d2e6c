"""`m` and `w` on the Timeline's clocks (Pilot): a running clock recorded met on a day typed (a
day after today refused) or waived with a reason, written to the database; a clock no longer
running is refused, and escape (or no reason) records nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot

from caseterm.core.models import CaseClock
from caseterm.core.services import case_events, cases
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _recalled_case(tw: TuiWorld) -> tuple[int, int]:
    """An MH case with a recall recorded on 20/11/2026: (case id, its running clock's id)."""
    w = tw.world
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        case_events.record_event(
            s, w.worker, case_id=case.id or 0, kind="recall", event_date=date(2026, 11, 20)
        )
        (clock_row,) = s.exec(select(CaseClock).where(CaseClock.case_id == case.id)).all()
        return case.id or 0, clock_row.id or 0


def _clock(tw: TuiWorld, clock_id: int) -> CaseClock:
    with tw.db.read() as s:
        found = s.get(CaseClock, clock_id)
        assert found is not None
        return found


async def _clocks_focused(pilot: Pilot[Any], case_id: int) -> CaseDetailScreen:
    pilot.app.open_case(case_id)  # type: ignore[attr-defined]
    await settle(pilot)
    await press(pilot, "7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseDetailScreen)
    clocks = screen.query_one("#clocks-table", PagedTable)
    await wait_for(pilot, lambda: clocks.count == 1, 5)
    clocks.focus()
    await settle(pilot)
    return screen


def _notes(app: Any) -> list[str]:
    return list(getattr(app, "notes", []))


async def _answer(pilot: Pilot[Any], *keys: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptScreen), 5)
    await press(pilot, *keys)
    await settle(pilot)


async def test_m_records_a_clock_met_on_the_day_typed(tui_world: TuiWorld) -> None:
    case_id, clock_id = _recalled_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _clocks_focused(pilot, case_id)
        await press(pilot, "m")
        await _answer(pilot, "escape")  # nothing recorded
        assert _clock(tui_world, clock_id).status == "running"
        await press(pilot, "m")
        assert "met on which day?" in screen_text(app)
        await _answer(pilot, *"15/12/2026", "enter")
        # The frozen clock's today is 23/11/2026: a day after it is refused, nothing written.
        await wait_for(pilot, lambda: any("Not recorded" in n for n in _notes(app)), 5)
        assert "cannot be met in the future" in _notes(app)[-1]
        assert _clock(tui_world, clock_id).status == "running"
        await press(pilot, "m")
        await _answer(pilot, *"23/11/2026", "enter")
        await wait_for(pilot, lambda: _clock(tui_world, clock_id).status != "running", 5)
        met = _clock(tui_world, clock_id)
        assert (met.status, met.stopped_on, met.late_by) == ("met", date(2026, 11, 23), None)
        await settle(pilot)
        await press(pilot, "w")  # no longer running: refused, with why
        await wait_for(pilot, lambda: "only a running clock" in _notes(app)[-1], 5)
        assert not isinstance(app.screen, PromptScreen)


async def test_w_waives_a_clock_with_its_reason(tui_world: TuiWorld) -> None:
    case_id, clock_id = _recalled_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _clocks_focused(pilot, case_id)
        await press(pilot, "w")
        await _answer(pilot, "enter")  # no reason: nothing recorded, the prompt gone
        assert not isinstance(app.screen, PromptScreen)
        assert _clock(tui_world, clock_id).status == "running"
        await press(pilot, "w")
        await _answer(pilot, *"Tribunal withdrew the reference", "enter")
        await wait_for(pilot, lambda: _clock(tui_world, clock_id).status != "running", 5)
        waived = _clock(tui_world, clock_id)
        assert (waived.status, waived.reason) == ("waived", "Tribunal withdrew the reference")
