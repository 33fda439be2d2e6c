"""Issuing a letter makes its PDF before the transaction that issues it: while the PDF engine
warms up (or renders), another process can still write; the stored PDF is the one made before,
unless the letter's office changed in between (then it is made again, inside)."""

from __future__ import annotations

import io
import sqlite3
import sys
import threading
import time
from datetime import datetime

import pytest

from caseterm.core import letter_files
from caseterm.core.services import letter_issue, letters, offices, received
from caseterm.core.services.letter_records import LetterInfo
from caseterm.core.storage.letter_store import render_for_issue
from tests.factories import World
from tests.letter_helpers import approved


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Today is Monday 23 November 2026."""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def _issue_as_the_cli_does(w: World, doc_id: int) -> LetterInfo:
    rendered = render_for_issue(w.db, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        return letter_issue.issue_letter(
            s, w.clerk, document_id=doc_id, via="post", rendered=rendered
        )


def _waiting_in_pdf_bytes(thread: threading.Thread) -> bool:
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "pdf_bytes":
            return True
        frame = frame.f_back
    return False


@pytest.mark.sqlite_only
def test_another_connection_writes_while_the_letter_waits_for_the_pdf_engine(
    world: World,
) -> None:
    doc_id = approved(world)
    path = world.db.path
    assert path is not None
    outcome: list[LetterInfo | BaseException] = []

    def issue() -> None:
        try:
            outcome.append(_issue_as_the_cli_does(world, doc_id))
        except BaseException as err:  # reported by the assertion below
            outcome.append(err)

    # The engine is busy (as while the letters screen warms it up): the issue waits for it.
    with letter_files._ENGINE_LOCK:
        thread = threading.Thread(target=issue)
        thread.start()
        started = time.monotonic()
        while not _waiting_in_pdf_bytes(thread):
            assert thread.is_alive() and time.monotonic() - started < 30, outcome
            time.sleep(0.01)
        other = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails with "database is locked" if it were held
            other.execute("UPDATE office SET name = name || ' (renamed)' WHERE id = ?",
                          (world.other_office.id,))  # fmt: skip
            other.execute("COMMIT")
        finally:
            other.close()
        with world.db.read() as s:
            assert letters.show_letter(s, world.clerk, document_id=doc_id).status == "checked"
    thread.join(60)
    [issued] = outcome
    assert isinstance(issued, LetterInfo) and issued.status == "issued"
    with world.db.read() as s:
        got = received.get_received(s, world.clerk, document_id=doc_id)
    assert got.data.startswith(b"%PDF-")
    text = _pdf_text(got.data)
    assert world.case.reference in text and world.office.name in text


def test_a_pdf_made_before_an_office_change_is_made_again_inside(world: World) -> None:
    doc_id = approved(world)
    rendered = render_for_issue(world.db, world.clerk, document_id=doc_id)
    assert rendered is not None and "01772 000 111" not in _pdf_text(rendered.pdf)
    with world.db.write() as s:
        offices.update_office(s, world.clerk, code=world.office.code, phone="01772 000 111")
    with world.db.write() as s:
        letter_issue.issue_letter(s, world.clerk, document_id=doc_id, rendered=rendered)
    with world.db.read() as s:
        got = received.get_received(s, world.clerk, document_id=doc_id)
    assert got.data != rendered.pdf
    assert "Tel. 01772 000 111" in _pdf_text(got.data)


def test_the_pdf_made_before_is_the_one_stored(world: World) -> None:
    doc_id = approved(world)
    rendered = render_for_issue(world.db, world.clerk, document_id=doc_id)
    assert rendered is not None
    with world.db.write() as s:
        letter_issue.issue_letter(s, world.clerk, document_id=doc_id, rendered=rendered)
    with world.db.read() as s:
        assert received.get_received(s, world.clerk, document_id=doc_id).data == rendered.pdf


def test_a_letter_that_cannot_be_read_is_not_rendered(world: World) -> None:
    assert render_for_issue(world.db, world.clerk, document_id=999_999) is None


def test_a_letter_not_yet_approved_is_not_rendered_before_its_refusal(world: World) -> None:
    from tests.letter_helpers import submitted

    doc_id = submitted(world)
    assert render_for_issue(world.db, world.clerk, document_id=doc_id) is None
