"""A letters screen warms the PDF engine when it opens (`tui/letters/pdf_warm.py`), and `i` on
an approved Welsh letter issues it with a letterhead in Welsh: the stored PDF says "Ffôn" before
the office's phone and "Tudalen 1" at the foot of the page, never "Tel."."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from caseterm.core import letter_files
from caseterm.core.models import Document, DocumentFile
from caseterm.core.services import letter_approval, letters, offices
from caseterm.tui.letters.letter_screen import LetterScreen
from tests.keys import press
from tests.letter_helpers import add_template
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only

PHONE = "01632 960 100"


def _approved_welsh(tui_world: TuiWorld) -> int:
    w = tui_world.world
    add_template(w, code="CY_NOTE", body="Annwyl {{ person.full_name }}\n", language="cy")
    with w.db.write() as s:
        offices.update_office(s, w.admin, code=w.office.code, phone=PHONE)
        doc_id = letters.draft_letter(
            s, w.clerk, case_id=w.case.id or 0, template_code="CY_NOTE"
        ).id
    with w.db.write() as s:
        letters.submit_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    return doc_id


async def test_the_letter_screen_warms_the_engine_and_i_issues_a_welsh_letterhead(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    doc_id = _approved_welsh(tui_world)
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(LetterScreen(doc_id))
        await wait_for(pilot, lambda: w.case.reference in screen_text(app), 5)
        await wait_for(pilot, letter_files.pdf_engine_warm, 30)  # warmed as the screen opened
        await press(pilot, "i")
        await settle(pilot)
        await press(pilot, "enter")  # "post", as offered
        await wait_for(pilot, lambda: "Issued (post)" in screen_text(app), 20)
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == doc_id)).one()
    assert doc is not None and doc.status == "issued"
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(bytes(stored.content))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert f"Ffôn {PHONE}" in text and "Tudalen 1" in text and "Tel." not in text
