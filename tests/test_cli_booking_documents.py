"""`caseterm diary agenda|minutes|booking`: a booking's agenda and minutes written, imported,
printed and saved out, as text and JSON; refusals in one line (in process; Monday 23/11/2026)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import BookingDocument
from caseterm.core.services import cases
from tests.booking_fixtures import PDF, book_meeting
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _bodies(world: World, appointment_id: int) -> dict[str, str]:
    with world.db.read() as s:
        rows = s.exec(
            select(BookingDocument).where(BookingDocument.appointment_id == appointment_id)
        ).all()
    return {r.kind: r.body for r in rows}


def test_agenda_and_minutes_written_imported_and_shown(world: World, tmp_path: Path) -> None:
    appt = book_meeting(world)
    db = world.db.url
    agenda = run_cli(tmp_path, "diary", "agenda", str(appt), "--text", "1. Rota", "--json", db=db)
    assert agenda.code == 0, agenda.err
    assert agenda.json()["agenda"]["text"] == "1. Rota" and agenda.json()["warning"] == ""
    (tmp_path / "pack.pdf").write_bytes(PDF)
    pdf = run_cli(
        tmp_path, "diary", "agenda", str(appt), "--file", str(tmp_path / "pack.pdf"), db=db
    )
    assert pdf.code == 0, pdf.err
    assert f"Agenda of appointment {appt} saved: pack.pdf (PDF, {len(PDF)} bytes)" in pdf.out
    minutes = run_cli(
        tmp_path, "diary", "minutes", str(appt), "--text", "-", stdin="Agreed: March\n", db=db
    )
    assert minutes.code == 0, minutes.err
    assert "warning: the meeting has not ended yet (it ends 11:00 Tue 24/11/2026)" in minutes.err
    assert _bodies(world, appt) == {"agenda": "1. Rota", "minutes": "Agreed: March"}

    shown = run_cli(tmp_path, "diary", "booking", str(appt), "--json", db=db)
    assert shown.code == 0, shown.err
    got = shown.json()
    assert got["id"] == appt and got["attendees"] == ["Dr Patel (guest)"]
    assert got["agenda"]["text"] == "1. Rota" and got["agenda"]["filename"] == "pack.pdf"
    assert got["minutes"]["text"] == "Agreed: March"
    text = run_cli(tmp_path, "diary", "booking", str(appt), db=db)
    assert "Attending: Dr Patel (guest)" in text.out and "Agreed: March" in text.out
    printed = run_cli(tmp_path, "diary", "minutes", str(appt), db=db)
    assert "Agreed: March" in printed.out

    out = tmp_path / "copy.pdf"
    saved = run_cli(tmp_path, "diary", "agenda", str(appt), "--out", str(out), db=db)
    assert saved.code == 0, saved.err
    assert out.read_bytes() == PDF


def test_refusals_are_one_line_and_write_nothing(world: World, tmp_path: Path) -> None:
    appt = book_meeting(world, case=True)
    db = world.db.url
    (tmp_path / "x.bin").write_bytes(b"\x00\x01binary")
    for args, says in (
        (["agenda", str(appt), "--text", " "], "text: is empty: write the agenda or import a file"),
        (["agenda", str(appt), "--file", str(tmp_path / "x.bin")], "file: is not a PDF"),
        (["minutes", str(appt), "--out", str(tmp_path / "o")], "not found"),
        (["agenda", "99999", "--text", "A"], "appointment 99999 not found"),
    ):
        refused = run_cli(tmp_path, "diary", *args, db=db)
        assert refused.code != 0
        assert says in refused.one_error_line()
    with world.db.write() as s:
        cases.restrict_case(
            s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id or 0]
        )
    hidden = run_cli(tmp_path, "diary", "agenda", str(appt), "--text", "A", db=db, user="other")
    assert hidden.code != 0 and "restricted" in hidden.err.lower()
    assert _bodies(world, appt) == {}
