"""Attendees of a booking changed end to end (tmux, the small demo): Wendy's weekly meeting with
a guest; in the diary `a` adds a colleague to this and the rest of the series and takes the
guest off, and the With column shows the new count. The database holds the new attendees on
every occurrence."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from caseterm.core.models import AppointmentAttendee, Staff
from caseterm.core.services import diary
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

WHEN = datetime(2026, 12, 14, 7, 0)  # a Monday three weeks on, before anyone's first booking


def test_add_a_colleague_to_the_rest_of_a_series_and_take_a_guest_off(
    wendy_demo: DemoDb, frozen_clock: datetime
) -> None:
    demo = wendy_demo
    with demo.db.write() as s:
        me = resolve_actor(s, demo.login)
        colleague = s.exec(
            select(Staff)
            .where(Staff.team_id == me.team_id, Staff.id != me.id, col(Staff.active).is_(True))
            .order_by(col(Staff.id))
        ).first()
        assert colleague is not None
        series = [
            a.id or 0
            for a in diary.book_appointment(
                s,
                me,
                staff_id=demo.staff_id,
                starts_at=WHEN,
                ends_at=WHEN + timedelta(hours=1),
                kind="meeting",
                recurrence="weekly",
                occurrences=3,
                guests=["Dr Patel"],
            )
        ]
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
        assert "+1" in screen  # the guest
        term.keys("a")
        term.wait_for("Attendees of a booking", "Attending: Dr Patel (guest)")
        term.keys(colleague.login, literal=True)
        term.wait_for(colleague.login)
        term.keys("Tab", "Tab")  # past the guests to add, to those to remove
        term.keys("Dr Patel", literal=True)
        term.wait_for("Dr Patel", "This one only")
        term.keys("Tab")  # to "which": this one, or this and the rest
        term.keys("Enter")
        term.wait_for("This and the rest of the series")
        term.keys("Down", "Enter")
        term.wait_for("This and the rest of the series")
        term.keys("C-s")
        term.wait_for("Attendees changed on 3 appointments")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        rows = s.exec(
            select(AppointmentAttendee).where(col(AppointmentAttendee.appointment_id).in_(series))
        ).all()
    assert sorted((r.appointment_id, r.staff_id, r.guest_name) for r in rows) == [
        (i, colleague.id, "") for i in series
    ]
