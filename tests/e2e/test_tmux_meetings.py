"""End to end in a real terminal at 80×24, on the small demo, as a user would: Wendy books a
weekly meeting in the diary's booking form (`b`: kind `e`, the start, a colleague attending, a
guest, repeat weekly until a date), moves its first occurrence to the next day (`m`), and cancels
the second and the rest of the series (`X`) with a reason; `f` then shows court hearings only and
`C` opens the court list. The database holds the series, its attendees, the move and the
cancellations."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, select

from caseterm.core.models import Appointment, AppointmentAttendee, Staff
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

FIRST = datetime(2026, 12, 14, 7, 0)  # a Monday three weeks on, before anyone's first booking
MOVED = datetime(2026, 12, 15, 9, 0)
SECOND = datetime(2026, 12, 21, 7, 0)
LAST = datetime(2026, 12, 28, 7, 0)


def test_book_a_weekly_meeting_in_the_form_move_one_cancel_the_rest_then_the_court_list(
    wendy_demo: DemoDb, frozen_clock: datetime
) -> None:
    demo = wendy_demo
    with demo.db.read() as s:
        me = s.get(Staff, demo.staff_id)
        assert me is not None
        colleague = s.exec(
            select(Staff)
            .where(Staff.team_id == me.team_id, Staff.id != me.id, col(Staff.active).is_(True))
            .order_by(col(Staff.id))
        ).first()
        assert colleague is not None
        before = set(s.exec(select(Appointment.id)).all())
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("d")
        term.wait_for("My diary")
        term.keys("b")
        term.wait_for("Book an appointment", "e Meeting", "No clashes")  # choices loaded
        term.keys("Tab", "e", "C-u")  # to the kind; `e` picks a meeting and moves to the start
        term.keys(f"{FIRST:%d/%m/%Y %H:%M}", literal=True)
        term.wait_for("→ Mon 14 Dec 2026 07:00")
        term.keys("Tab", "Tab", "Tab")  # past the length and "With" to "Also"
        term.keys(colleague.login, literal=True)
        term.wait_for(f"Also     {colleague.login}")
        term.keys("Tab")
        term.keys("Dr Patel", literal=True)
        term.wait_for("Guests   Dr Patel")
        term.keys("Tab", "Tab", "Tab", "Enter")  # past the room and the place: open "Repeat"
        term.wait_for("Fortnightly")
        term.keys("Down", "Down", "Enter")  # Once, Daily, Weekly
        term.wait_for("Repeat   Weekly")
        term.keys("Tab", "Tab")  # past "times" to "until"
        term.keys(f"{LAST:%d/%m/%Y}", literal=True)
        term.wait_for(f"until{LAST:%d/%m/%Y}")
        term.keys("C-s")
        term.wait_for("3 appointments booked")
        term.keys("g")
        term.wait_for("Go to day")
        term.keys(f"{FIRST:%d/%m/%Y}", literal=True)
        term.wait_for("Monday 14 December 2026")
        term.keys("Enter")
        term.wait_for("My diary · Monday 14 December 2026", "07:00–08:00", "1 appointment")
        term.keys("m")
        term.wait_for("Move an appointment", "→ Mon 21 Dec 2026 07:00")
        term.keys("C-u")
        term.keys(f"{MOVED:%d/%m/%Y %H:%M}", literal=True)
        term.wait_for("→ Tue 15 Dec 2026 09:00", "No clashes")
        term.keys("C-s")
        term.wait_for("1 appointment (1 moved)")
        term.keys("g")
        term.wait_for("Go to day")
        term.keys(f"{SECOND:%d/%m/%Y}", literal=True)
        term.wait_for("Monday 21 December 2026")
        term.keys("Enter")
        term.wait_for("My diary · Monday 21 December 2026", "07:00–08:00")
        term.keys("Home")  # the meeting is the day's first appointment
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
        term.wait_for("Court list", "Monday 21 December 2026:")
        term.keys("Escape")
        term.wait_for("court hearing only")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        mine = s.exec(
            select(Appointment)
            .where(col(Appointment.id).not_in(before), Appointment.kind == "meeting")
            .order_by(col(Appointment.starts_at))
        ).all()
        attending = s.exec(
            select(AppointmentAttendee).where(
                col(AppointmentAttendee.appointment_id).in_([a.id for a in mine])
            )
        ).all()
    assert [(a.starts_at, a.status) for a in mine] == [
        (FIRST, "rescheduled"),
        (MOVED, "booked"),
        (SECOND, "cancelled"),
        (LAST, "cancelled"),
    ]
    first, moved = mine[0], mine[1]
    assert first.rescheduled_to_id == moved.id
    assert {a.series_id for a in mine} == {first.id} and first.recurrence == "weekly"
    assert all(a.staff_id == demo.staff_id for a in mine)
    assert all("Team day moved" in a.notes for a in mine[2:])
    assert len(attending) == 2 * len(mine)
    assert {(a.appointment_id, a.staff_id, a.guest_name) for a in attending} == {
        (a.id, who, guest) for a in mine for who, guest in ((colleague.id, ""), (None, "Dr Patel"))
    }
