"""The booking form keeps what is typed like every form: escape with something typed asks
(discard, keep as a draft, keep editing), the draft is offered back next time, and booking drops
it; escape on an untouched form just closes it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input

from caseterm.core.models import Appointment, Draft
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.screens import diary_booking
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.widgets.diary_pickers import AppointmentKindKeys
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle


@pytest.fixture(autouse=True)
def _quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diary_booking, "CHECK_AFTER", 0.01)


def drafts_of(tw: TuiWorld) -> list[Draft]:
    with tw.db.read() as s:
        return list(s.exec(select(Draft)).all())


async def open_booking(pilot: Pilot[Any], tw: TuiWorld, results: list[Any]) -> DiaryBookingScreen:
    await settle(pilot)
    form = DiaryBookingScreen(staff_id=tw.world.worker.id)
    pilot.app.push_screen(form, results.append)
    await settle(pilot)
    return form


async def test_escape_asks_keeps_a_draft_and_it_comes_back(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    results: list[Any] = []
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_booking(pilot, tui_world, results)
        await press(pilot, *world.case.reference.lower())
        await press(pilot, "tab", "s")  # kind: supervision
        form.query_one("#bk-notes", Input).value = "bring the [bold] papers"
        await settle(pilot)
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveFormModal)
        await press(pilot, "k")
        await settle(pilot)
        assert results == [None]
    [draft] = drafts_of(tui_world)
    kept = json.loads(draft.data)
    assert (draft.kind, draft.key, draft.staff_id) == ("diary_booking", "mine", world.worker.id)
    assert (kept["kind"], kept["notes"]) == ("supervision", "bring the [bold] papers")
    assert kept["case"] == world.case.reference.lower()

    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_booking(pilot, tui_world, results)
        assert isinstance(app.screen, RestoreDraftModal)
        await press(pilot, "r")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#bk-kind", AppointmentKindKeys).value == "supervision"
        assert form.query_one("#bk-notes", Input).value == "bring the [bold] papers"
        assert form.case is not None and form.case.case_id == world.case.id
        await press(pilot, "ctrl+s")
        await settle(pilot)
    assert results[1:] == [[results[-1][0]]]  # dismissed once more, with the one booked
    with tui_world.db.read() as s:
        new = s.exec(select(Appointment).order_by(col(Appointment.id).desc())).first()
    assert new is not None and new.notes == "bring the [bold] papers"
    assert new.starts_at == (frozen_clock + timedelta(days=1)).replace(hour=10, minute=0)
    assert drafts_of(tui_world) == []


async def test_escape_on_an_untouched_form_closes_it(tui_world: TuiWorld) -> None:
    results: list[Any] = []
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_booking(pilot, tui_world, results)
        await press(pilot, "escape")
        await settle(pilot)
        assert results == [None]
    assert drafts_of(tui_world) == []


async def test_discarding_drops_the_draft(tui_world: TuiWorld) -> None:
    results: list[Any] = []
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_booking(pilot, tui_world, results)
        form.query_one("#bk-location", Input).value = "Home visit"
        await settle(pilot)
        assert len(drafts_of(tui_world)) == 1  # kept as it was typed
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "d")
        await settle(pilot)
        assert results == [None]
    assert drafts_of(tui_world) == []
