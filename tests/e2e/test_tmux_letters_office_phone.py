"""End to end in real terminals: on the demo, a letter drafted from a case (`l`, a template)
signs off with the demo office's phone and is saved with it; an approved Welsh letter issued
from its case (`5`, enter, `i`) is stored as a PDF whose letterhead says "Ffôn" and whose page
says "Tudalen 1"."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseFile, Document, DocumentFile, Office
from caseterm.core.services import letter_approval, letters, offices
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import build_world
from tests.letter_helpers import add_template

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

PHONE = "01632 960 100"


def test_a_demo_letter_signs_off_with_the_offices_phone(
    wendy_demo: DemoDb, frozen_clock: datetime
) -> None:
    demo = wendy_demo
    with demo.db.read() as s:
        case = s.get(CaseFile, demo.case_id)
        office = s.get(Office, case.office_id) if case and case.office_id else None
    assert office is not None and office.phone.startswith("01632 960")
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.keys("l")
        term.wait_for("New letter", "Pick a template", "enter opens the list")
        term.keys("Enter")
        term.wait_for("CLOSE · Case closure letter")
        for _ in range(4):  # past the prompt, APPT, APPT_CY and BREACH to CLOSE
            term.keys("Down")
        term.keys("Enter")
        term.wait_for("Merged CLOSE", f"Telephone {office.phone}")
        term.keys("C-s")
        term.wait_for("saved as a draft")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        doc = s.exec(
            select(Document)
            .where(Document.case_id == demo.case_id)
            .order_by(col(Document.id).desc())
        ).first()
    assert doc is not None and doc.status == "draft"
    assert doc.body.rstrip().endswith(f"Telephone {office.phone}")


@dataclass
class Welsh:
    db: Database
    path: Path
    env: dict[str, str]
    reference: str
    doc_id: int


@pytest.fixture
def welsh(tmp_path: Path, frozen_clock: datetime) -> Iterator[Welsh]:
    path = tmp_path / "office.db"
    db = open_database(str(path)).db
    w = build_world(db)  # a demo-marked database: tests may act as its staff
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
    yield Welsh(db, path, caseterm_env("clerk", frozen_clock, tmp_path), w.case.reference, doc_id)
    db.dispose()


def test_a_welsh_letter_issued_has_a_welsh_letterhead(welsh: Welsh) -> None:
    term = Terminal(["--db", str(welsh.path)], welsh.env, width=80, height=24)
    try:
        term.wait_for("My work")
        open_case(term, welsh.reference)
        term.keys("5")
        term.wait_for("Appointment letter")
        term.keys("Enter")
        term.wait_for(f"Letter #{welsh.doc_id}", "Issue")
        term.keys("i")
        term.wait_for("How does it go?")
        term.keys("Enter")  # post, as offered
        term.wait_for("Issued (post)")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with welsh.db.read() as s:
        doc = s.get(Document, welsh.doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == welsh.doc_id)).one()
    assert doc is not None and doc.status == "issued"
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(bytes(stored.content))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert f"Ffôn {PHONE}" in text and "Tudalen 1" in text and "Tel." not in text
