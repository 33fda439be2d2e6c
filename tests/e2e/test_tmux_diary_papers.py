"""A meeting's agenda and minutes end to end (tmux, the small demo): Wendy's meeting in three
weeks; in the diary `A` opens its agenda and minutes, `a` writes the agenda, `i` imports a PDF
beside it, `m` writes the minutes (saved, with the warning that the meeting has not ended).
The database holds all three on that booking."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import BookingDocument
from caseterm.core.services import diary
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

WHEN = datetime(2026, 12, 14, 7, 0)  # a Monday three weeks on, before anyone's first booking
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_agenda_written_a_pdf_imported_and_minutes_written(
    wendy_demo: DemoDb, frozen_clock: datetime, tmp_path: Path
) -> None:
    demo = wendy_demo
    with demo.db.write() as s:
        me = resolve_actor(s, demo.login)
        (meeting,) = diary.book_appointment(
            s,
            me,
            staff_id=demo.staff_id,
            starts_at=WHEN,
            ends_at=WHEN + timedelta(hours=1),
            kind="meeting",
            guests=["Dr Patel"],
        )
    pack = tmp_path / "pack.pdf"
    pack.write_bytes(PDF)
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
        term.wait_for("07:00–08:00", "1 appointment")
        term.keys("A")
        term.wait_for("Attending: Dr Patel (guest)", "Agenda: none yet", "Minutes: none yet")
        term.keys("a")
        term.wait_for("the agenda, as long as it needs")
        term.keys("1. Apologies", literal=True)
        term.keys("Enter")
        term.keys("2. Caseload", literal=True)
        term.wait_for("2. Caseload")
        term.keys("C-s")
        term.wait_for("Agenda of the booking saved.", "Minutes: none yet")
        term.wait_for("1. Apologies", "2. Caseload", "Minutes: none yet")
        term.keys("i")
        term.wait_for("Import a file", "~/agenda.pdf")
        term.keys(str(pack), literal=True)
        term.wait_for("pack.pdf")
        term.keys("C-s")
        term.wait_for(f"File: pack.pdf (PDF, {len(PDF)} bytes)")
        term.keys("m")
        term.wait_for("the minutes, as long as it needs")
        term.keys("Agreed: review in March", literal=True)
        term.wait_for("Agreed: review in March")
        term.keys("C-s")
        term.wait_for("before the meeting ended", "Agreed: review in March", "2. Caseload")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        rows = s.exec(
            select(BookingDocument).where(BookingDocument.appointment_id == meeting.id)
        ).all()
    found = {r.kind: (r.body, r.filename, r.content) for r in rows}
    assert found == {
        "agenda": ("1. Apologies\n2. Caseload", "pack.pdf", PDF),
        "minutes": ("Agreed: review in March", "", None),
    }
