"""The board's lower tables drill down in a real terminal (tmux) on the demo database at
120×40: `tab` to the open work by age, `enter` on a bucket opens its tasks as a queue as long
as the bucket's count on the board; `tab` to who completed what, `enter` on a person opens what
they completed yesterday and today, as many as their two counts."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def _listed(screen: str) -> int:
    found = re.search(r"([\d,]+) tasks?[ .·]", screen)
    assert found is not None, screen
    return int(found.group(1).replace(",", ""))


def test_ageing_bucket_and_person_open_as_queues(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    db.dispose()
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=120, height=40)
    try:
        term.wait_for("My work ·")
        # The demo's clock has reviews that fell due: the workstation's scheduler raises them as
        # it starts. Wait for it, so that the board and its lists count the same tasks.
        term.wait_for("fell due and were raised")
        term.keys("B")
        board = term.wait_for("Team board", "0–5 days", "Received a week", "Completed by")
        bucket = re.search(r"0–5 days\s+(\d+)", board)
        assert bucket is not None, board
        person = re.search(r"│?\s*([A-Z][a-z]+ [A-Z][a-z]+)\s+(\d+)\s+(\d+)\s*│?\s*$", board, re.M)
        term.keys("Tab")  # to the open work by age, cursor on 0–5 days
        term.keys("Enter")
        queue = term.wait_for("Open 0–5 working days · PRE-OM · 23/11/2026", "enter opens the case")
        listed = _listed(queue)
        term.keys("Escape")
        # The clock scheduler may have raised tasks since the board was first read: the board
        # reads them too, and must come to show the count the queue listed, in the same place.
        shown = bucket.group(0)
        now = f"0–5 days{' ' * (len(shown) - len('0–5 days') - len(str(listed)))}{listed}"
        term.wait_for("Team board", now)
        term.keys("Tab")  # to who completed what
        term.keys("Enter")
        assert person is not None, board  # the demo's team completed work today
        name, today, yday = person.group(1), int(person.group(2)), int(person.group(3))
        queue = term.wait_for(f"Completed yesterday and today by {name}", "enter opens")
        assert _listed(queue) == today + yday > 0
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
