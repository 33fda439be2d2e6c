"""The Incoming queue shows where each item arrived (issue 18): an Office column, read from the
database, in place of the Case column (an item waiting for triage has no case yet); the other
queues keep their columns."""

from __future__ import annotations

import pytest

from caseterm.core.models import Office, Task
from caseterm.core.services import incoming
from caseterm.tui.screens.queues import QueuesScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import screen_text

pytestmark = pytest.mark.sqlite_only


def _office_code(tw: TuiWorld, task_id: int) -> str:
    """Where the item arrived, as stored."""
    with tw.db.read() as s:
        task = s.get(Task, task_id)
        assert task is not None and task.office_id is not None
        office = s.get(Office, task.office_id)
        assert office is not None
        return office.code


def _line_with(text: str, wanted: str) -> str:
    return next((line for line in text.splitlines() if wanted in line), "")


async def test_the_incoming_queue_shows_the_office_each_item_arrived_at(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    with tui_world.db.write() as s:
        here = incoming.record_incoming(s, w.clerk, kind="post_in", summary="Papers here")
        there = incoming.record_incoming(
            s, w.clerk, kind="post_in", summary="Bundle there", office_code="LAN"
        )
    here_code = _office_code(tui_world, here.id or 0)
    there_code = _office_code(tui_world, there.id or 0)
    assert (here_code, there_code) == ("PRE", "LAN")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueuesScreen) and screen.queue_key == "my_work"
        await wait_for(pilot, lambda: "My work" in screen_text(app), 5)
        assert " Office " not in screen_text(app)
        await press(pilot, "right_square_bracket", "right_square_bracket")  # on to Incoming
        await wait_for(pilot, lambda: "Bundle there" in screen_text(app), 10)
        assert screen.queue_key == "incoming"
        text = screen_text(app)
        assert "Office" in _line_with(text, "Subject")  # the header
        assert f" {here_code} " in _line_with(text, "Papers here")
        assert f" {there_code} " in _line_with(text, "Bundle there")
        await press(pilot, "left_square_bracket", "left_square_bracket")  # back to My work
        await wait_for(pilot, lambda: "Papers here" not in screen_text(app), 10)
        assert screen.queue_key == "my_work"
        assert "Case" in _line_with(screen_text(app), "Subject")
        assert "Office" not in _line_with(screen_text(app), "Subject")
