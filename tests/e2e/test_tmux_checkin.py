"""End to end in a real terminal: a receptionist checks a visitor in at the desk."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Appointment, ContactEntry
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World, book

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def test_check_in_at_the_desk(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    appt = book(world, frozen_clock.replace(hour=11, minute=0))
    env = caseterm_env("desk", frozen_clock, tmp_path)
    term = Terminal(["--db", str(db_path), "checkin", "--office", "PRE"], env, width=100, height=30)
    try:
        term.wait_for("Reception — Preston")
        term.wait_for("Expected")
        term.keys("siob", literal=True)
        term.wait_for("1 found")
        term.keys("Enter")
        term.wait_for("Checked in")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
        entries = s.exec(select(ContactEntry).where(ContactEntry.appointment_id == appt.id)).all()
    assert stored is not None and stored.status == "arrived"
    assert [e.notes for e in entries] == ["Reported at reception"]
    assert (
        stored.arrived_at == frozen_clock and frozen_clock + timedelta(hours=1) > stored.starts_at
    )
