"""End to end in a real terminal: an office administrator sets the office's phone (`H`), opens
an approved letter on a case and issues it (`i`): the letter is stored as a PDF whose
letterhead carries the phone, and a copy is saved into the configured letters folder."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Document, DocumentFile
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import build_world
from tests.letter_helpers import approved

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

PHONE = "01772 555 0100"


@dataclass
class Office:
    db: Database
    path: Path
    folder: Path
    env: dict[str, str]
    reference: str
    doc_id: int


@pytest.fixture
def office(tmp_path: Path, frozen_clock: datetime) -> Iterator[Office]:
    path = tmp_path / "office.db"
    db = open_database(str(path)).db
    world = build_world(db)  # a demo-marked database: tests may act as its staff
    doc_id = approved(world)  # drafted by the clerk, approved by the manager
    folder = tmp_path / "letters"
    folder.mkdir()
    env = caseterm_env("clerk", frozen_clock, tmp_path)
    Path(env["CASETERM_CONFIG"]).write_text(f'letters_dir = "{folder}"\n')
    yield Office(db, path, folder, env, world.case.reference, doc_id)
    db.dispose()


def test_the_phone_set_with_h_is_on_the_issued_letter_saved_to_the_folder(office: Office) -> None:
    term = Terminal(["--db", str(office.path)], office.env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("H")
        term.wait_for("Phone number printed on")
        term.keys(PHONE, literal=True)
        term.keys("Enter")
        term.wait_for("letters now print")
        term.keys("/")
        term.wait_for("Reference, name, date of birth")
        term.keys(office.reference, literal=True)
        term.wait_for("1 match")
        term.keys("Enter")
        term.wait_for(f"Case {office.reference}")
        term.keys("5")
        term.wait_for("Appointment letter")
        term.keys("Enter")
        term.wait_for(f"Letter #{office.doc_id}", "Issue")
        term.keys("i")
        term.wait_for("How does it go?")
        term.keys("Enter")  # post, as offered
        term.wait_for("Saved ")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with office.db.read() as s:
        doc = s.get(Document, office.doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == office.doc_id)).one()
    assert doc is not None and doc.status == "issued"
    [saved] = list(office.folder.iterdir())
    assert saved.read_bytes() == bytes(stored.content)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert f"Tel. {PHONE}" in " ".join(text.split())
