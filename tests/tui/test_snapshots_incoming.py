"""Snapshots of the form that logs an incoming item, at 80×24 and 120×40 with the clock frozen,
and once with NO_COLOR=1 after a refused save. Snapshot tests are plain `def`: `snap_compare`
runs the app itself. Update with `pytest --snapshot-update` after checking the pictures by eye."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, settled_still

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]

pytestmark = pytest.mark.sqlite_only


async def _type_an_item(pilot: Pilot[Any], dob: str) -> None:
    await settle(pilot)
    await press(pilot, "I")
    await settle(pilot)
    await press(pilot, "p", *"Letter from court [bold] re hearing", "tab", *"Tomasz Nowak")
    await press(pilot, "tab", *dob, "tab", *"Preston Magistrates' Court", "tab", "2")
    await press(pilot, *"Hearing moved", "enter", *"to 3 Dec")


@pytest.mark.parametrize("size", SIZES)
def test_incoming_entry(snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _type_an_item(pilot, "12/04/1988")
        await settled_still(pilot)

    app = tui_world.app(tui_world.world.clerk)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_incoming_entry_refused_no_color(
    snap_compare: Snap, tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _type_an_item(pilot, "31/02/1988")
        await press(pilot, "ctrl+s")
        await settled_still(pilot)

    app = tui_world.app(tui_world.world.clerk)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
