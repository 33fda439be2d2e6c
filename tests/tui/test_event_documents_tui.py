"""Received documents and the events they evidence, on the case screen (Pilot): `s` saves a copy
of a received document byte for byte (asking before replacing a file; one line for a folder that
is not there), `i` asks which event the papers evidence (a new recall with its date), and `E`
records an event with one of the case's documents. Each asserts the file or the database."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from caseterm.core.models import CaseEvent, EventDocument
from caseterm.core.services import cases, received
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.event_dialog import EventScreen
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.widgets.pick_dialog import PickDialog
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of, screen_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))

pytestmark = pytest.mark.sqlite_only


def _mh_case(tw: TuiWorld) -> int:
    w = tw.world
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
    return case.id or 0


def _received(tw: TuiWorld, case_id: int, name: str = "order.pdf") -> int:
    w = tw.world
    with w.db.write() as s:
        return received.add_received(
            s, w.worker, case_id=case_id, filename=name, data=PDF, kind="court"
        ).id


async def _answer(pilot: Pilot[Any], app: App[Any], text: str) -> None:
    """Put `text` in place of what the prompt on top offers, and answer it."""
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 10)
    app.screen.query_one("#prompt-answer", Input).value = text
    await press(pilot, "enter")


async def test_save_a_copy_of_a_received_document(tui_world: TuiWorld, tmp_path: Path) -> None:
    case_id = _mh_case(tui_world)
    _received(tui_world, case_id)
    target = tmp_path / "copy.pdf"
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        await press(pilot, "5")
        table = app.screen.query_one("#documents-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 10)
        table.focus()
        await press(pilot, "s")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), 10)
        offered = app.screen.query_one("#prompt-answer", Input).value
        assert offered.endswith("/order.pdf")
        await _answer(pilot, app, str(target))
        await wait_for(pilot, target.exists, 10)
        await settle(pilot)
        assert target.read_bytes() == PDF
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert f"Saved a copy to {target} ({len(PDF):,} bytes)." in notes_of(app)
        # the same name again: asked before replacing, and `n` leaves the file alone
        target.write_bytes(b"mine")
        await press(pilot, "s")
        await _answer(pilot, app, str(target))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 10)
        await press(pilot, "n")
        await settle(pilot)
        assert target.read_bytes() == b"mine"
        await press(pilot, "s")  # and `y` replaces it
        await _answer(pilot, app, str(target))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 10)
        await press(pilot, "y")
        await wait_for(pilot, lambda: target.read_bytes() == PDF, 10)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        # a folder that is not there: one line, nothing written
        await press(pilot, "s")
        await _answer(pilot, app, str(tmp_path / "nowhere" / "copy.pdf"))
        await wait_for(pilot, lambda: any("Not saved" in n for n in notes_of(app)), 10)
        (said,) = [n for n in notes_of(app) if "Not saved" in n]
        assert "cannot write" in said and "No such file or directory" in said
        assert not (tmp_path / "nowhere").exists()


async def test_received_papers_as_evidence_of_a_new_recall(
    tui_world: TuiWorld, tmp_path: Path
) -> None:
    case_id = _mh_case(tui_world)
    scan = tmp_path / "recall-warrant.pdf"
    scan.write_bytes(PDF)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        await press(pilot, "i")
        await _answer(pilot, app, str(scan))
        await _answer(pilot, app, "court")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 10)
        await press(pilot, *"new event: recall", "enter")
        await _answer(pilot, app, "20/11/2026")
        await wait_for(pilot, lambda: any("evidence of event" in n for n in notes_of(app)), 10)
        with tui_world.db.read() as s:
            event = s.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
            link = s.exec(select(EventDocument).where(EventDocument.event_id == event.id)).one()
        assert (event.kind, event.event_date) == ("recall", date(2026, 11, 20))
        with tui_world.db.read() as s:
            got = received.get_received(s, tui_world.world.worker, document_id=link.document_id)
        assert got.data == PDF and got.info.filename == "recall-warrant.pdf"


async def test_record_an_event_with_a_document_of_the_case(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    doc_id = _received(tui_world, case_id, "warrant.pdf")
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        await press(pilot, "E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventScreen), 10)
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#event-kind", Select).value = "transfer_to_hospital"
        dialog.query_one("#event-date", Input).value = "19/11/2026"
        picker = dialog.query_one("#event-document", Select)
        await settle(pilot)  # the case's documents read into the picker
        picker.value = str(doc_id)
        await settle(pilot)
        dialog.query_one("#event-details", Input).focus()
        await press(pilot, *"s47 warrant", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        with tui_world.db.read() as s:
            event = s.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
            links = s.exec(select(EventDocument.document_id)).all()
        assert (event.kind, event.event_date, event.details) == (
            "transfer_to_hospital",
            date(2026, 11, 19),
            "s47 warrant",
        )
        assert links == [doc_id]
        events = app.screen.query_one("#events-table", PagedTable)
        await wait_for(pilot, lambda: events.count == 1, 10)
        events.focus()
        await press(pilot, "enter")  # the event in full, with its document
        await wait_for(pilot, lambda: isinstance(app.screen, RecordScreen), 10)
        assert f"#{doc_id} warrant.pdf (received)" in screen_text(app)
