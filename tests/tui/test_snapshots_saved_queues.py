"""Snapshots of saving a queue and deleting one at 80×24 and 120×40, with the clock frozen (and
once with NO_COLOR=1, where the ticks must still read as ticks). Snapshot tests are plain `def`:
`snap_compare` runs the app itself. Update with `pytest --snapshot-update` after reading the
pictures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from caseterm.core.services import saved_queues
from caseterm.core.services.saved_queues import QueueFilter
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, settled_still

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]


async def _fill_in(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await press(pilot, "S")
    await settle(pilot)
    await press(pilot, *"Court work [bold]", "tab", "enter", "down", "enter")  # assigned: me
    await press(pilot, "tab", "tab", "1", "4", "tab", "tab", "space", "tab")  # 14 days; shared
    await press(pilot, "down", "down", "down", "down", "space", "end", "up", "space")


@pytest.mark.parametrize("size", SIZES)
def test_save_queue(snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _fill_in(pilot)
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run_before)


def test_save_queue_refused_no_color(
    snap_compare: Snap, tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _fill_in(pilot)
        await press(pilot, "shift+tab", "shift+tab", "shift+tab", "x")  # due within "14x"
        await press(pilot, "ctrl+s")
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_delete_queue(snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    w = tui_world.world
    with w.db.write() as s:
        saved_queues.save_queue(
            s, w.worker, name="Court work", flt=QueueFilter(["court_result"]), shared=True
        )

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "left_square_bracket")
        await settle(pilot)
        await press(pilot, "X")
        await settled_still(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run_before)
