"""The case screen's Documents tab lists the case's letters from `documents.list_documents`;
`enter` opens the letter screen, stored text shown as plain text."""

from __future__ import annotations

import pytest

from caseterm.core.models import LetterTemplate
from caseterm.core.services import letter_approval, letters
from caseterm.tui.letters.letter_screen import LetterScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle

pytestmark = pytest.mark.sqlite_only


async def test_documents_tab_shows_the_case_letters(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        s.add(LetterTemplate(code="APPT", name=f"Appointment {HOSTILE}", body="Dear {name}"))
    with w.db.write() as s:
        doc_id = letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT").id
        letters.submit_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await press(pilot, "5")
        await settle(pilot)
        table = app.screen.query_one("#documents-table", PagedTable)
        assert table.has_focus
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "Checked" in line and "23/11/2026" in line)
        assert "Checked  Appointment [@click=app.qu" in row
        assert "Claire Clerk" in row and "Mandy Manager" in row
        assert "\x1b" not in text


async def test_enter_on_a_document_shows_the_letter_as_plain_text(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        s.add(LetterTemplate(code="WARN", name="Warning", body="Dear {name}\n"))
    with w.db.write() as s:
        made = letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="WARN")
        letters.revise_letter(
            s, w.clerk, document_id=made.id, body="Dear Siobhán O'Neill-Brady\n" + HOSTILE
        )
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "5")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterScreen)
        text = screen_text(app)
        assert "Dear Siobhán O'Neill-Brady" in text
        assert "[@click=app.quit]x [bold]y [/ [2J z" in text  # shown as typed, ESC removed
        assert "\x1b" not in text
        assert "Draft" in text and "Drafted by Claire Clerk" in text
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
