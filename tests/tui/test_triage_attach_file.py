"""Triage `f`: the file an item came with from the intake folder is shown, and attached to a
case as a received document (to the case whose reference is typed when the item is linked to
none, which links it; straight to the linked case otherwise)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseterm.core.models import Document, DocumentFile, IntakeFile, Task
from caseterm.core.services import intake_files, triage
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.dialogs import AskDialog, PickDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(64))


def _take(w: World, name: str) -> int:
    with w.db.write() as s:
        return intake_files.take_file(s, w.clerk, filename=name, data=PDF).info.task_id


def _attached(w: World, item: int) -> tuple[int | None, int | None, str, bytes]:
    with w.db.read() as s:
        row = s.exec(select(IntakeFile).where(IntakeFile.task_id == item)).one()
        task = s.get(Task, item)
        doc = s.get(Document, row.document_id) if row.document_id else None
        stored = s.exec(
            select(DocumentFile).where(DocumentFile.document_id == row.document_id)
        ).first()
    return (
        task.case_id if task else None,
        doc.case_id if doc else None,
        doc.status if doc else "",
        bytes(stored.content) if stored else b"",
    )


async def test_f_asks_the_case_and_kind_and_attaches_the_file(world: World) -> None:
    item = _take(world, "court-papers.pdf")
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen) and app.screen.item is not None
        assert "File: court-papers.pdf (PDF" in screen_text(app)
        await press(pilot, "f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskDialog), 5)
        await press(pilot, *world.case.reference.lower(), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 5)
        await press(pilot, *"court", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "as document" in screen_text(app), 5)
    assert _attached(world, item) == (world.case.id, world.case.id, "court", PDF)


async def test_f_on_a_linked_item_asks_only_the_kind(world: World) -> None:
    item = _take(world, "prison-report.pdf")
    with world.db.write() as s:
        triage.link(s, world.clerk, item, case_id=world.case.id)
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog), 5)
        await press(pilot, *"prison", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "attached to" in screen_text(app), 5)
        await press(pilot, "f")
        await settle(pilot)
        assert "attached already" in screen_text(app)
    assert _attached(world, item) == (world.case.id, world.case.id, "prison", PDF)
