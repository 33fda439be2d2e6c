"""End to end at a reception desk's 80×24 terminal: long desk warnings are shown whole (wrapped
under the name), the columns that do not fit are left out rather than cut off the edge, and the
receptionist finds the visitor and checks them in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core.models import Appointment
from caseterm.core.services import people
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import World, book

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

INTERPRETER = "Interpreter needed: Polish (book two days ahead)"
RESTRICTED = "Restricted — refer to duty manager before any disclosure"


def _words(screen: str) -> list[str]:
    return screen.replace("!", " ").split()


def test_long_warnings_at_a_narrow_desk(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    with world.db.write() as s:
        for kind, text in (("interpreter", INTERPRETER), ("risk_to_staff", RESTRICTED)):
            people.add_warning(
                s, world.clerk, person_id=world.person.id or 0, kind=kind, text=text, desk_text=text
            )
    appt = book(world, frozen_clock.replace(hour=11, minute=0))
    env = caseterm_env("desk", frozen_clock, tmp_path)
    term = Terminal(["--db", str(db_path), "checkin", "--office", "PRE"], env, width=80, height=24)
    try:
        screen = term.wait_for("Reception — Preston", "Expected", "disclosure")
        header = next(line for line in screen.splitlines() if line.lstrip().startswith("Time"))
        assert header.split()[-2:] == ["Seeing", "Born"]  # the type is left out at 80 columns
        seen = _words(screen)
        for warning in (INTERPRETER, RESTRICTED):  # every word, in order
            words = _words(warning)
            at = seen.index(words[0])
            assert seen[at : at + len(words)] == words, screen
        term.keys("siob", literal=True)
        screen = term.wait_for("1 found", "disclosure")
        term.keys("Enter")
        term.wait_for("Checked in")
        screen = term.wait_for("Waiting 0 min", "disclosure")
        assert " ".join(_words(RESTRICTED)) in " ".join(_words(screen))  # still whole
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with world.db.read() as s:
        stored = s.get(Appointment, appt.id)
    assert stored is not None and stored.status == "arrived"
