"""End to end in a real terminal: a scan dropped into the intake folder is taken when the
workstation starts, as arriving at the user's office; triage (`T`) says where it arrived and
shows only this office's files (one scanned for Lancaster waits there)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import IntakeFile, Task
from caseterm.core.services import intake_files
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
    preston: int
    lancaster: int


@pytest.fixture
def office(tmp_path: Path, frozen_clock: datetime) -> Iterator[Office]:
    path = tmp_path / "office.db"
    db = open_database(str(path)).db
    w = build_world(db)  # a demo-marked database: tests may act as its staff
    with w.db.write() as s:  # scanned at Lancaster's post room earlier
        intake_files.take_file(s, w.clerk, filename="lan.pdf", data=PDF + b"L", office_code="LAN")
    folder = tmp_path / "intake"
    folder.mkdir()
    env = caseterm_env("clerk", frozen_clock, tmp_path)
    Path(env["CASETERM_CONFIG"]).write_text(f'intake_dir = "{folder}"\n')
    yield Office(db, path, folder, env, w.office.id or 0, w.other_office.id or 0)
    db.dispose()


def test_triage_says_where_a_scan_arrived_and_shows_this_offices(office: Office) -> None:
    (office.folder / "pre.pdf").write_bytes(PDF)
    term = Terminal(["--db", str(office.path)], office.env, width=120, height=40)
    try:
        term.wait_for("1 file(s) from the intake folder", timeout=60)
        term.keys("T")
        screen = term.wait_for("File: pre.pdf", "arrived at Preston")
        assert "lan.pdf" not in screen
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with office.db.read() as s:
        rows = {r.filename: r for r in s.exec(select(IntakeFile))}
        task = s.get(Task, rows["pre.pdf"].task_id)
    assert rows["pre.pdf"].office_id == office.preston
    assert task is not None and task.office_id == office.preston
    assert rows["lan.pdf"].office_id == office.lancaster
