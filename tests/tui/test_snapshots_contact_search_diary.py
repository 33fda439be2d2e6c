"""Snapshots of the contact form, the search, the diary and the booking form at 80×24 and
120×40, with the clock frozen (and one set with NO_COLOR=1). Snapshot tests are plain `def`:
`snap_compare` runs the app itself. Update with `pytest --snapshot-update` after checking the
pictures by eye."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from caseterm.core.services import diary
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.screens import diary_booking
from caseterm.tui.screens import search as search_screen
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, settled_still

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_screen, "DEBOUNCE", 0.01)
    monkeypatch.setattr(diary_booking, "CHECK_AFTER", 0.01)


@pytest.fixture
def diary_world(tui_world: TuiWorld, frozen_clock: datetime) -> TuiWorld:
    world = tui_world.world
    monday = frozen_clock.replace(hour=0, minute=0)
    with world.db.write() as s:
        for hour, kind, days in ((9, "supervision", 0), (11, "induction", 0), (9, "meeting", 2)):
            diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id,
                starts_at=monday + timedelta(days=days, hours=hour),
                ends_at=monday + timedelta(days=days, hours=hour, minutes=45),
                kind=kind,
                case_id=world.case.id if kind != "meeting" else None,
                room_id=world.room.id if hour == 9 and not days else None,
            )
    return tui_world


@pytest.mark.parametrize("size", SIZES)
def test_contact_entry(snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ContactEntryScreen(tui_world.world.case.id or 0))
        await settle(pilot)
        await press(pilot, "o", "6", *"Left a message [bold] with his mum")
        await press(pilot, "ctrl+r")
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run_before)


def test_contact_entry_no_color(
    snap_compare: Snap, tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ContactEntryScreen(tui_world.world.case.id or 0))
        await settle(pilot)
        await press(pilot, "p", "1", *"Rang back")
        pilot.app.screen.query_one("#ce-when", WhenInput).text = "31/11/2026"
        await press(pilot, "ctrl+s")
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search(snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.action_search()  # type: ignore[attr-defined]
        await settle(pilot)
        await press(pilot, *"shiv brdy")
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view_keys", [(), ("v",)], ids=["day", "week"])
def test_diary(
    snap_compare: Snap, diary_world: TuiWorld, size: tuple[int, int], view_keys: tuple[str, ...]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.action_diary()  # type: ignore[attr-defined]
        await settle(pilot)
        await press(pilot, *view_keys)
        await settled_still(pilot)

    assert snap_compare(diary_world.app(), terminal_size=size, run_before=run_before)


def test_diary_no_color(
    snap_compare: Snap, diary_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.action_diary()  # type: ignore[attr-defined]
        await settle(pilot)
        await press(pilot, "2")  # failed to attend: the warning style must survive NO_COLOR
        await settled_still(pilot)

    assert snap_compare(diary_world.app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_booking_with_clashes(
    snap_compare: Snap, diary_world: TuiWorld, size: tuple[int, int]
) -> None:
    reference = diary_world.world.case.reference

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.action_diary()  # type: ignore[attr-defined]
        await settle(pilot)
        await press(pilot, "b")
        await settle(pilot)
        await press(pilot, *reference, "tab", "m")
        pilot.app.screen.query_one("#bk-starts", WhenInput).text = "today 11:30"
        await settled_still(pilot)

    assert snap_compare(diary_world.app(), terminal_size=size, run_before=run_before)
