"""End to end in a real terminal: a scanned letter is dropped into the watched intake folder;
the workstation takes it when it starts (the file moves to done/), triage (`T`) shows the item
with its file, and `f` attaches it to a case typed by reference as court papers: the case then
holds the file byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Document, DocumentFile, IntakeFile, Task
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.e2e.tmux import Terminal, caseterm_env
from tests.factories import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(200))


@dataclass
class Office:
    db: Database
    path: Path
    folder: Path
    env: dict[str, str]
    reference: str
    case_id: int


@pytest.fixture
def office(tmp_path: Path, frozen_clock: datetime) -> Iterator[Office]:
    path = tmp_path / "office.db"
    db = open_database(str(path)).db
    world = build_world(db)  # a demo-marked database: tests may act as its staff
    folder = tmp_path / "intake"
    folder.mkdir()
    env = caseterm_env("clerk", frozen_clock, tmp_path)
    Path(env["CASETERM_CONFIG"]).write_text(f'intake_dir = "{folder}"\n')
    yield Office(db, path, folder, env, world.case.reference, world.case.id or 0)
    db.dispose()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_dropped_scan_reaches_triage_and_is_attached_to_a_case(
    office: Office, size: tuple[int, int]
) -> None:
    (office.folder / "court-papers.pdf").write_bytes(PDF)
    term = Terminal(["--db", str(office.path)], office.env, width=size[0], height=size[1])
    try:
        term.wait_for("1 file(s) from the intake folder", timeout=60)
        assert (office.folder / "done" / "court-papers.pdf").read_bytes() == PDF
        assert not (office.folder / "court-papers.pdf").exists()
        term.keys("T")
        term.wait_for("File: court-papers.pdf", "Received file: court-papers.pdf")
        term.keys("f")
        term.wait_for("Attach the file to a case")
        term.keys(office.reference.lower(), literal=True)
        term.keys("Enter")
        term.wait_for("Attach the file as")
        term.keys("court", literal=True)
        term.wait_for("Court papers")
        term.keys("Enter")
        term.wait_for("as document")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with office.db.read() as s:
        row = s.exec(select(IntakeFile)).one()
        task = s.get(Task, row.task_id)
        doc = s.get(Document, row.document_id)
        stored = s.exec(
            select(DocumentFile).where(DocumentFile.document_id == row.document_id)
        ).one()
    assert task is not None and task.case_id == office.case_id
    assert doc is not None and (doc.case_id, doc.kind, doc.status) == (
        office.case_id,
        "received",
        "court",
    )
    assert bytes(stored.content) == PDF
