"""End to end in a real terminal, as a person starts it: `caseterm --db FILE` with a resident
process running is served by it. At 80×24, no colour and no COLORTERM: find a case, log a
contact, widen the window to 120×40 (the screen follows), quit; the entry is in the database and
the server served it as a workstation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal
from tests.resident_fixtures import (
    Resident,
    _environment,
    _runtime_folder,
    start_frozen_server,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


@pytest.fixture
def resident(wendy_demo: DemoDb) -> Iterator[Resident]:
    with _runtime_folder() as runtime:
        env = {**_environment(runtime, wendy_demo.tmp), **wendy_demo.env, "NO_COLOR": "1"}
        env["CASETERM_RESIDENT"] = "on"  # the suite's "off" reaches tmux's sessions otherwise
        env["COLORTERM"] = ""  # none said (an empty value, as the session may inherit one)
        served = Resident(runtime, env)
        start_frozen_server(served)
        yield served


def test_log_a_contact_in_a_served_workstation(
    wendy_demo: DemoDb, resident: Resident, frozen_clock: datetime
) -> None:
    demo = wendy_demo
    before = resident.status()["requests"]
    term = Terminal(
        ["--db", str(demo.path)],
        resident.env,
        width=80,
        height=24,
        program=(sys.executable, "-m", "caseterm"),
    )
    try:
        open_case(term, demo.reference)
        status = resident.status()
        assert (status["requests"], status["screens"]) == (before + 1, 1)
        term.keys("n")
        term.wait_for("New contact entry")
        term.keys("p")
        term.keys("1")
        term.keys("Served by the resident process", literal=True)
        term.wait_for("Served by the resident process")
        term.keys("C-s")
        term.wait_for("Contact entry saved")
        term.resize(120, 40)
        screen = term.wait_for(f"Case {demo.reference}", "Served by the resident process")
        assert max(len(line) for line in screen.splitlines()) > 80  # drawn at the new width
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    wait_until(lambda: resident.status()["screens"] == 0, "the served workstation to end")
    with demo.db.read() as s:
        entries = s.exec(
            select(ContactEntry)
            .where(col(ContactEntry.case_id) == demo.case_id)
            .where(col(ContactEntry.notes) == "Served by the resident process")
        ).all()
    assert [(e.staff_id, e.contact_type, e.occurred_at) for e in entries] == [
        (demo.staff_id, "phone_in", frozen_clock)
    ]
