"""A booking's agenda and minutes: written in caseterm or imported from a file, read back with
the booking, journalled; stale edits, restricted cases, cancelled bookings and bad files refused
whole; minutes before the meeting has ended saved with a warning (Monday 23/11/2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.errors import (
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import AuditEvent, BookingDocument
from caseterm.core.services import booking_documents, cases, diary
from tests.booking_fixtures import PDF, book_meeting
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> Iterator[None]:
    yield


def _rows(world: World, appointment_id: int) -> dict[str, BookingDocument]:
    with world.db.read() as s:
        found = s.exec(
            select(BookingDocument).where(BookingDocument.appointment_id == appointment_id)
        ).all()
        return {r.kind: r for r in found}


def _events(world: World, action: str) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(
            s.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            ).all()
        )


def test_agenda_written_then_rewritten_and_read_with_the_booking(world: World) -> None:
    appt = book_meeting(world)
    with world.db.write() as s:
        first = booking_documents.write_paper(
            s, world.worker, appointment_id=appt, kind="agenda", text="1. Apologies\n2. Caseload"
        )
    assert first.warning == "" and first.paper.version == 1
    with world.db.write() as s:
        again = booking_documents.write_paper(
            s,
            world.other,
            appointment_id=appt,
            kind="Agenda",
            text="1. Apologies\n2. Caseload\n3. AOB",
            expected_version=1,
        )
    assert again.paper.version == 2 and again.paper.written_by == "Owen Other"
    assert _rows(world, appt)["agenda"].body == "1. Apologies\n2. Caseload\n3. AOB"
    with world.db.read() as s:
        papers = booking_documents.booking_papers(s, world.desk, appointment_id=appt)
    assert papers.booking.appointment.id == appt
    assert [a.shown for a in papers.booking.attendees] == ["Dr Patel (guest)"]
    assert papers.agenda is not None and papers.agenda.body.endswith("3. AOB")
    assert papers.minutes is None
    events = _events(world, "booking.agenda")
    assert [e.entity_id for e in events] == [appt, appt]
    assert events[0].before == "" and "text_sha256" in events[1].before
    assert "Agenda of appointment" in events[1].summary and "written, 31 characters" in (
        events[1].summary
    )


def test_minutes_before_the_meeting_ends_are_saved_with_a_warning(world: World) -> None:
    appt = book_meeting(world, days=1)
    with world.db.write() as s:
        saved = booking_documents.write_paper(
            s, world.worker, appointment_id=appt, kind="minutes", text="Agreed: review in March"
        )
    assert saved.warning.startswith("the meeting has not ended yet (it ends 11:00 ")
    assert _rows(world, appt)["minutes"].body == "Agreed: review in March"
    clock.freeze(datetime.combine(clock.today() + timedelta(days=1), time(11, 5)))
    with world.db.write() as s:
        after = booking_documents.write_paper(
            s, world.worker, appointment_id=appt, kind="minutes", text="Agreed: review in May"
        )
    assert after.warning == ""


def test_files_imported_text_becomes_the_text_a_pdf_is_kept_whole(world: World) -> None:
    appt = book_meeting(world)
    with world.db.write() as s:
        text = booking_documents.import_paper(
            s,
            world.worker,
            appointment_id=appt,
            kind="agenda",
            filename="agenda.txt",
            data="\ufeff1. Welcome\r\n2. Rota\r\n".encode(),
        )
        pdf = booking_documents.import_paper(
            s, world.worker, appointment_id=appt, kind="agenda", filename="../pack.pdf", data=PDF
        )
    assert text.paper.body == "1. Welcome\n2. Rota" and not text.paper.has_file
    assert pdf.paper.body == "1. Welcome\n2. Rota"  # the text stays beside the file
    assert pdf.paper.file_line == f".._pack.pdf (PDF, {len(PDF)} bytes)"
    with world.db.read() as s:
        got = booking_documents.paper_file(s, world.other, appointment_id=appt, kind="agenda")
    assert got.data == PDF and got.paper.sha256 == pdf.paper.sha256
    summaries = [e.summary for e in _events(world, "booking.agenda")]
    assert "text imported from agenda.txt" in summaries[0]
    assert "file .._pack.pdf imported (PDF" in summaries[1]


def test_bad_input_is_refused_and_nothing_is_written(world: World) -> None:
    appt = book_meeting(world)
    for kwargs, says in (
        ({"kind": "notes", "text": "x"}, "unknown 'notes'; use agenda or minutes"),
        ({"kind": "agenda", "text": "   "}, "is empty: write the agenda or import a file"),
        ({"kind": "agenda", "text": "x" * 50001}, "50000"),
    ):
        with pytest.raises(ValidationError, match=says), world.db.write() as s:
            booking_documents.write_paper(s, world.worker, appointment_id=appt, **kwargs)  # type: ignore[arg-type]
    for data, says in ((b"\x00\x01\x02binary", "is not a PDF"), (b"  \n", "holds no text")):
        with pytest.raises(ValidationError, match=says), world.db.write() as s:
            booking_documents.import_paper(
                s, world.worker, appointment_id=appt, kind="agenda", filename="x.bin", data=data
            )
    assert _rows(world, appt) == {}
    assert _events(world, "booking.agenda") == []


def test_a_change_made_since_it_was_read_is_refused(world: World) -> None:
    appt = book_meeting(world)
    with world.db.write() as s:
        booking_documents.write_paper(s, world.worker, appointment_id=appt, kind="agenda", text="A")
    for expected in (0, 5):
        with pytest.raises(StaleEditError), world.db.write() as s:
            booking_documents.write_paper(
                s,
                world.other,
                appointment_id=appt,
                kind="agenda",
                text="B",
                expected_version=expected,
            )
    assert _rows(world, appt)["agenda"].body == "A"


def test_cancelled_booking_and_reception_are_refused(world: World) -> None:
    appt = book_meeting(world)
    with world.db.write() as s:
        diary.cancel_appointment(s, world.worker, appointment_id=appt, reason="room flooded")
    with pytest.raises(ValidationError, match="is cancelled"), world.db.write() as s:
        booking_documents.write_paper(s, world.worker, appointment_id=appt, kind="agenda", text="A")
    other = book_meeting(world)
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        booking_documents.write_paper(s, world.desk, appointment_id=other, kind="agenda", text="A")
    assert _rows(world, appt) == {} and _rows(world, other) == {}


def test_a_booking_about_a_restricted_case_is_refused_to_others(world: World) -> None:
    appt = book_meeting(world, case=True)
    with world.db.write() as s:
        cases.restrict_case(
            s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id or 0]
        )
        booking_documents.write_paper(s, world.worker, appointment_id=appt, kind="agenda", text="A")
    with pytest.raises(RestrictedError), world.db.write() as s:
        booking_documents.write_paper(s, world.other, appointment_id=appt, kind="agenda", text="B")
    with pytest.raises(RestrictedError), world.db.read() as s:
        booking_documents.booking_papers(s, world.other, appointment_id=appt)
    with world.db.read() as s:
        seen = booking_documents.booking_papers(s, world.worker, appointment_id=appt)
    assert seen.agenda is not None and seen.agenda.body == "A"
    assert _rows(world, appt)["agenda"].body == "A"
