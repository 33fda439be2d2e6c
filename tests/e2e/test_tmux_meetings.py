"""End to end in a real terminal, on the demo database: a weekly meeting with a colleague and a
guest attending shows in the diary with them ("+2"); `X` cancels it and the rest of its series;
`f` shows court hearings only and `C` opens the court list. (Booking with attendees in the form
is tested with Pilot, tests/tui/test_diary_meetings_tui.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Appointment, AppointmentAttendee, Staff
from caseterm.core.services import diary
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"
WHEN = datetime(2026, 12, 14, 7, 0)  # a Monday three weeks on, before anyone's first booking


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    me: int
    colleague: Staff


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        colleague = s.exec(
            select(Staff)
            .where(Staff.team_id == me.team_id, Staff.id != me.id, col(Staff.active).is_(True))
            .order_by(col(Staff.id))
        ).first()
    assert me.id is not None and colleague is not None
    yield Demo(db, path, caseterm_env(LOGIN, frozen_clock, tmp_path), me.id, colleague)
    db.dispose()


def test_a_weekly_meeting_with_attendees_cancelled_from_here_on_then_the_court_list(
    demo: Demo,
) -> None:
    with demo.db.write() as s:
        actor = resolve_actor(s, LOGIN)
        series = [
            a.id or 0
            for a in diary.book_appointment(
                s,
                actor,
                staff_id=demo.me,
                starts_at=WHEN,
                ends_at=WHEN + timedelta(hours=1),
                kind="meeting",
                recurrence="weekly",
                until=WHEN.date() + timedelta(weeks=2),
                attendee_ids=[demo.colleague.id or 0],
                guests=["Dr Patel"],
            )
        ]
    assert len(series) == 3
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        term.wait_for("My work")
        term.keys("d")
        term.wait_for("My diary")
        term.keys("g")
        term.wait_for("Go to day")
        term.keys(f"{WHEN:%d/%m/%Y}", literal=True)
        term.wait_for("Monday 14 December 2026")
        term.keys("Enter")
        screen = term.wait_for("07:00–08:00", "1 appointment")
        assert "+2" in screen  # with Wendy, and two more attending
        term.keys("X")
        term.wait_for("Cancel this and the rest of the series")
        term.keys("Team day moved", literal=True)
        term.wait_for("Team day moved")
        term.keys("Enter")
        term.wait_for("1 cancelled")
        term.keys("f")
        term.wait_for("Show which kind?")
        term.keys("Down", "Down", "Down", "Down", "Down", "Down")  # All, …, court hearing
        term.keys("Enter")
        term.wait_for("court hearing only")
        term.keys("C")
        term.wait_for("Court list", "Monday 14 December 2026:")
        term.keys("Escape")
        term.wait_for("court hearing only")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        found = s.exec(select(Appointment).where(col(Appointment.id).in_(series))).all()
        attending = s.exec(
            select(AppointmentAttendee).where(AppointmentAttendee.appointment_id == series[0])
        ).all()
    assert [a.status for a in sorted(found, key=lambda a: a.starts_at)] == ["cancelled"] * 3
    assert all("Team day moved" in a.notes for a in found)
    assert {(a.staff_id, a.guest_name) for a in attending} == {
        (demo.colleague.id, ""),
        (None, "Dr Patel"),
    }
