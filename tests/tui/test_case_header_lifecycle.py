"""The case header shows where the case is in its lifecycle (issue 12): a closure under way with
the steps left, a transfer waiting for the receiving office, and where the paper file is. Pilot
presses the keys that change these and asserts the database and the header."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from caseterm.core.models.case_lifecycle import CaseTransfer, FileLocation
from caseterm.core.services import case_closure, case_transfer
from caseterm.tui.case_edit.form import LifecycleForm
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for


def _line(app: Any) -> str:
    static = app.screen.query_one("#case-line-5", Static)
    shown = static.content
    text = shown.plain if isinstance(shown, Content) else str(shown)
    return text if static.has_class("shown") else ""


async def _open(tw: TuiWorld, pilot: Pilot[Any], app: Any) -> CaseDetailScreen:
    await settle(pilot)
    app.open_case(tw.world.case.id or 0)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)
    return app.screen


async def test_header_shows_the_closure_and_F_puts_the_paper_file_there(
    tui_world: TuiWorld,
) -> None:
    tw = tui_world
    w = tw.world
    with tw.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="completed")
        case_closure.tick_step(s, w.clerk, case_id=w.case.id or 0, step="final_contact")
    app = tw.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(tw, pilot, app)
        await wait_for(pilot, lambda: "Closing:" in _line(app), 5)
        assert "Closing: Order or work completed — 3 of 4 steps left (2 mandatory)" in _line(app)
        await press(pilot, "F")
        await wait_for(pilot, lambda: isinstance(app.screen, LifecycleForm), 5)
        await settle(pilot)
        form = app.screen
        form.query_one("#lf-kind", Select).value = "cabinet"
        form.query_one("#lf-office", Select).value = str(w.office.id)
        form.query_one("#lf-place", Input).value = "Cabinet 3, shelf 2"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "Paper file:" in _line(app), 5)
        assert "Paper file: Cabinet or shelf" in _line(app)
        assert "Cabinet 3, shelf 2" in _line(app)
        assert "Closing:" in _line(app)
    with tw.db.read() as s:
        row = s.exec(select(FileLocation)).one()
    assert (row.kind, row.place, row.office_id) == ("cabinet", "Cabinet 3, shelf 2", w.office.id)


async def test_header_shows_a_pending_transfer_until_it_is_accepted(tui_world: TuiWorld) -> None:
    tw = tui_world
    w = tw.world
    with tw.db.write() as s:
        info = case_transfer.transfer_out(
            s, w.clerk, case_id=w.case.id or 0, office_id=w.other_office.id or 0, reason="moved",
            papers_sent=True, appointments_moved=True, tasks_handed_over=True,
        )  # fmt: skip
    app = tw.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        await wait_for(pilot, lambda: "Transfer pending" in _line(app), 5)
        ack = info.acknowledge_by.strftime("%d/%m/%Y")
        assert f"Transfer pending to {info.to_office} (acknowledge by {ack})" in _line(app)
        await press(pilot, "X")
        await wait_for(pilot, lambda: isinstance(app.screen, LifecycleForm), 5)
        await settle(pilot)
        app.screen.query_one("#lf-owner", Select).value = str(w.other.id)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "Transfer pending" not in _line(app), 5)
    with tw.db.read() as s:
        assert s.exec(select(CaseTransfer)).one().status == "accepted"
