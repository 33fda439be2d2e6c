"""Triage at an office shows the intake files that arrived there, saying where: a file scanned
for Lancaster waits at Lancaster while Preston's triage shows and attaches Preston's (`f`)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseterm.core.models import IntakeFile
from caseterm.core.services import intake_files
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.dialogs import AskDialog, PickDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(64))


async def test_triage_shows_where_a_file_arrived_and_only_this_offices(world: World) -> None:
    with world.db.write() as s:
        intake_files.take_file(s, world.clerk, filename="lan.pdf", data=PDF, office_code="LAN")
        intake_files.take_file(s, world.clerk, filename="pre.pdf", data=PDF + b"p")
    app = TriageApp(TuiContext(world.db, world.clerk))  # the clerk works at Preston
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen) and app.screen.item is not None
        await wait_for(pilot, lambda: "File: pre.pdf" in screen_text(app), 5)
        shown = " ".join(screen_text(app).split())
        assert "arrived at Preston" in shown and "lan.pdf" not in shown
        await press(pilot, "f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskDialog), 5)
        await press(pilot, *world.case.reference.lower(), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 5)
        await press(pilot, *"court", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "as document" in screen_text(app), 5)
    with world.db.read() as s:
        rows = {r.filename: r for r in s.exec(select(IntakeFile))}
    assert rows["pre.pdf"].document_id is not None and rows["pre.pdf"].office_id == world.office.id
    assert rows["lan.pdf"].document_id is None and rows["lan.pdf"].office_id == (
        world.other_office.id
    )
