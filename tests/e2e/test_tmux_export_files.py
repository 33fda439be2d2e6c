"""Saving what the screen lists as files the office's own tools open, end to end (tmux, 80x24,
the small demo): `E` on Wendy's queue writes an .xlsx whose rows are her queue's tasks (as the
database holds them), and `E` on her diary's week writes an .ics that icalendar reads back, each
appointment at its time in Europe/London."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Appointment, Task
from caseterm.core.services import clock_scheduler, queues
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


def _save(term: Terminal, prompt: str, target: Path, saved: str) -> None:
    term.wait_for(prompt)
    term.keys("C-u")
    term.keys(str(target), literal=True)
    term.keys("Enter")
    term.wait_for(saved)


def test_e_saves_the_queue_and_the_diary_week_as_files(
    wendy_demo: DemoDb, frozen_clock: datetime, tmp_path: Path
) -> None:
    import openpyxl
    from icalendar import Calendar

    # The demo's clock has reviews that fell due: raised now (as the first workstation of the
    # day would), so that the app's scheduler adds nothing to the queue after it was saved.
    with wendy_demo.db.write() as s:
        clock_scheduler.run_scheduler(s, resolve_actor(s, wendy_demo.login))
    sheet, ics = tmp_path / "q.xlsx", tmp_path / "w.ics"
    term = Terminal(["--db", str(wendy_demo.path)], wendy_demo.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("E")
        _save(term, "Save My work to", sheet, "Saved My work")
        term.keys("d")
        term.wait_for("My diary")
        term.keys("v")
        term.wait_for("week of Mon 23 Nov")
        term.keys("E")
        _save(term, "Save the diary of", ics, "Saved the diary")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()

    with wendy_demo.db.read() as s:
        actor = resolve_actor(s, wendy_demo.login)
        queued = queues._queue_page_after(s, actor, key="my_work", after=None, limit=10_000)
        titles = {t.id: t.title for t in s.exec(select(Task).where(Task.assignee_id == actor.id))}
        monday = datetime(2026, 11, 23)
        booked = s.exec(
            select(Appointment)
            .where(Appointment.staff_id == wendy_demo.staff_id)
            .where(col(Appointment.starts_at) >= monday)
            .where(col(Appointment.starts_at) < monday + timedelta(days=7))
        ).all()
    ws = openpyxl.load_workbook(sheet).active
    assert ws is not None and ws["A1"].value == "My work"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5) if row[0].value is not None]
    assert queued and [r[0] for r in rows] == [t.task_id for t in queued]  # in queue order
    assert all(r[5] in ("Restricted", titles[r[0]]) for r in rows)

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert booked and len(events) == len(booked)
    when = {a.id: a.starts_at for a in booked}
    for event in events:
        start = event.decoded("dtstart")
        appointment_id = int(str(event["uid"]).split("@")[0].removeprefix("appointment-"))
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/London"
        assert start.replace(tzinfo=None) == when[appointment_id]
