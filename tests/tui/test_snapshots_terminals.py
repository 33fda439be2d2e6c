"""Snapshots for narrow and degraded terminals: the reception desk with long desk warnings at
80×24 and 120×40 (never cut), the queue in the 16-colour theme and in ASCII, and the case
header with warnings that wrap. Update with `pytest --snapshot-update` after looking at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from caseterm.core.services import people
from caseterm.tui import symbols
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.terminal_caps import configure
from tests.factories import World, book
from tests.keys import press
from tests.tui.conftest import TuiWorld, settled_still

pytestmark = pytest.mark.sqlite_only

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]

INTERPRETER = "Interpreter needed: Polish (book two days ahead)"
RESTRICTED = "Restricted — refer to duty manager before any disclosure"


@pytest.fixture(autouse=True)
def _unicode_after() -> Iterator[None]:
    yield
    symbols.use_ascii(False)


async def _settled(pilot: Pilot[Any]) -> None:
    await settled_still(pilot)  # the search field's cursor must not be caught mid-blink


def _warn(world: World) -> None:
    with world.db.write() as s:
        for kind, text in (("interpreter", INTERPRETER), ("risk_to_staff", RESTRICTED)):
            people.add_warning(
                s, world.clerk, person_id=world.person.id or 0, kind=kind, text=text, desk_text=text
            )


@pytest.mark.parametrize("size", SIZES)
def test_desk_warnings_never_cut(
    snap_compare: Snap, world: World, frozen_clock: datetime, size: tuple[int, int]
) -> None:
    _warn(world)
    book(world, frozen_clock.replace(hour=11, minute=0))
    # Without live updates, as every other snapshot: their thread starts after a grace timer and
    # re-reads the desk once it watches for changes, at a moment a busy machine decides, which a
    # picture of the layout must not depend on (tests/tui/test_app_live.py tests them on the
    # base app the desk shares).
    app = CheckinApp(
        TuiContext(world.db, world.desk), world.office.id or 0, world.office.name, live=False
    )
    assert snap_compare(app, terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", SIZES)
def test_case_header_warnings_wrap(
    snap_compare: Snap, tui_world: TuiWorld, size: tuple[int, int]
) -> None:
    _warn(tui_world.world)

    async def run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await press(pilot, "enter")
        await _settled(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run)


def test_queue_in_sixteen_colours(snap_compare: Snap, tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "xterm-16color", "LANG": "C.UTF-8"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_case_in_sixteen_colours_and_ascii(snap_compare: Snap, tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "linux", "LANG": "C.UTF-8"})

    async def run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await press(pilot, "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
