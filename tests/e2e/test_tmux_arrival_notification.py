"""Two processes, two people: a check-in at the desk reaches the case owner's running
workstation within 2 seconds."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core.services import reception
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World, book

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def test_check_in_reaches_the_owner_within_two_seconds(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    appt = book(world, frozen_clock.replace(hour=11, minute=0))
    env = caseterm_env("worker", frozen_clock, tmp_path)
    owner = Terminal(["--db", str(db_path)], env, width=120, height=40)
    try:
        owner.wait_for("My work", timeout=20)
        time.sleep(1.5)  # past start-up: the app is idle, polling for changes
        with world.db.write() as s:  # the desk, in this (another) process
            reception.check_in(s, world.desk, appt.id or 0)
        committed = time.monotonic()
        owner.wait_for("has arrived", timeout=5)
        elapsed = time.monotonic() - committed
        owner.keys("C-q")
        assert owner.exited(), owner.screen()
    finally:
        owner.close()
    assert elapsed <= 2.0, f"the notification took {elapsed:.2f} s"
