"""`i` on an approved letter makes its PDF before the issue's transaction: pressed while the PDF
engine is still busy (warming up as the screen opened), the letter waits for it without holding
the database's write lock, so another process writes meanwhile; then it is issued and stored."""

from __future__ import annotations

import io
import sqlite3
import sys
from types import FrameType

import pytest
from sqlmodel import select

from caseterm.core import letter_files
from caseterm.core.models import Document, DocumentFile
from caseterm.tui.letters.letter_screen import LetterScreen
from tests.keys import press
from tests.letter_helpers import approved
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _a_thread_waits_in_pdf_bytes() -> bool:
    for frame in sys._current_frames().values():
        at: FrameType | None = frame
        while at is not None:
            if at.f_code.co_name == "pdf_bytes":
                return True
            at = at.f_back
    return False


async def test_i_waits_for_the_pdf_engine_without_holding_the_write_lock(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    doc_id = approved(w)
    path = w.db.path
    assert path is not None
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(LetterScreen(doc_id))
        await wait_for(pilot, lambda: w.case.reference in screen_text(app), 5)
        letter_files._ENGINE_LOCK.acquire()  # the engine is busy, as while it warms up
        try:
            await press(pilot, "i")
            await wait_for(pilot, lambda: "How does it go?" in screen_text(app), 5)
            await press(pilot, "enter")  # "post", as offered
            await wait_for(pilot, _a_thread_waits_in_pdf_bytes, 10)
            other = sqlite3.connect(path, timeout=0.5, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # "database is locked" if the issue held it
                other.execute("UPDATE staff SET name = name WHERE id = ?", (w.worker.id,))
                other.execute("COMMIT")
            finally:
                other.close()
            with w.db.read() as s:
                waiting = s.get(Document, doc_id)
                assert waiting is not None and waiting.status == "checked"
        finally:
            letter_files._ENGINE_LOCK.release()
        await wait_for(pilot, lambda: "Issued (post)" in screen_text(app), 30)
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == doc_id)).one()
    assert doc is not None and doc.status == "issued"
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(bytes(stored.content))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert w.case.reference in text and w.office.name in text
