"""Letters in the workstation: `l` on a case drafts one from a template (merged, edited, saved
as a draft through the draft keeper); the letter screen submits it; a checker finds it under
Checks awaiting me (`K`) and approves or rejects it; the maker issues it. Each asserts the
database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, TextArea

from caseterm.core.models import ContactEntry, Document, DocumentFile, Draft
from caseterm.tui.letters.checks_screen import ChecksScreen
from caseterm.tui.letters.draft_screen import LetterDraftScreen
from caseterm.tui.letters.letter_screen import LetterScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.letter_helpers import add_template, submitted
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_l_on_a_case_drafts_a_letter_from_a_template(tui_world: TuiWorld) -> None:
    w = tui_world.world
    add_template(w)
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LetterDraftScreen)
        screen.query_one("#lt-template", Select).value = "APPT"
        body = screen.query_one("#lt-body", TextArea)
        await wait_for(pilot, lambda: body.text.startswith("Dear Siobhán"), 5)
        assert f"Your case {w.case.reference} is held at Preston." in body.text
        body.focus()
        body.move_cursor(body.document.end)
        await press(pilot, *"PS bring ID")

        def kept() -> bool:  # what is typed is kept as a draft before it is saved
            with w.db.read() as s:
                found = s.exec(select(Draft.data).where(Draft.kind == "letter")).all()
            return bool(found) and "PS bring ID" in found[0]

        await wait_for(pilot, kept, 5)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        with w.db.read() as s:
            (doc,) = s.exec(select(Document)).all()
            assert s.exec(select(Draft).where(Draft.kind == "letter")).all() == []
        assert (doc.status, doc.created_by_id, doc.template_version) == ("draft", w.clerk.id, 1)
        assert doc.body.endswith("Claire Clerk\nPS bring ID")
        assert "Appointment letter" in screen_text(app)


async def test_a_missing_field_is_shown_at_preview_and_nothing_is_saved(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    add_template(w, code="RECALL", body="Recall from {{ event.recall_date }}")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "l")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#lt-template", Select).value = "RECALL"
        await settle(pilot)
        assert "no value for merge field event.recall_date" in screen_text(app)
        screen.query_one("#lt-values").focus()
        await press(pilot, *"recall_date=1 May {{ x }}")
        await press(pilot, "ctrl+r")
        await settle(pilot)
        body = screen.query_one("#lt-body", TextArea)
        assert body.text == "Recall from 1 May {{ x }}\n"


async def test_checker_approves_from_checks_awaiting_me_and_maker_issues(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    doc_id = submitted(w)
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await settle(pilot)
        assert isinstance(app.screen, ChecksScreen)
        assert w.case.reference in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterScreen)
        await press(pilot, "a")
        await settle(pilot)
        assert "Approved" in screen_text(app)
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "checked" and doc.checked_by_id == w.manager.id
    maker = tui_world.app(w.clerk)
    async with maker.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        maker.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "5")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(maker.screen, LetterScreen)
        await press(pilot, "a")  # the maker has no approve key: nothing happens
        await press(pilot, "i")
        await settle(pilot)
        await press(pilot, "enter")  # "post", as offered
        await settle(pilot)
        assert "Issued (post)" in screen_text(maker)
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "issued"
        entry = s.get(ContactEntry, doc.contact_entry_id)
        assert entry is not None and entry.contact_type == "letter_out"


async def test_reject_asks_for_a_reason_and_hostile_text_shows_as_typed(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    doc_id = submitted(w)
    app = tui_world.app(w.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_letter(doc_id, lambda _: None)
        await settle(pilot)
        await press(pilot, "x")
        await settle(pilot)
        await press(pilot, *HOSTILE.replace("\x1b", ""))
        await press(pilot, "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]x [bold]y" in text and "\x1b" not in text
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "rejected"
        assert doc.reject_reason.startswith("[@click=app.quit]x")


async def test_p_saves_the_letter_as_a_pdf(tui_world: TuiWorld, tmp_path: Path) -> None:
    w = tui_world.world
    doc_id = submitted(w)
    app = tui_world.app(w.clerk)
    target = tmp_path / "letter.pdf"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_letter(doc_id, lambda _: None)
        await settle(pilot)
        await press(pilot, "p")
        await settle(pilot)
        answer = app.screen.query_one("#prompt-answer", Input)
        answer.value = str(target)
        await press(pilot, "enter")
        await wait_for(pilot, target.exists, 30)
        await settle(pilot)
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_bytes().startswith(b"%PDF-")


async def test_u_on_a_case_attaches_a_received_file(tui_world: TuiWorld, tmp_path: Path) -> None:
    w = tui_world.world
    scan = tmp_path / "court papers.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "i")
        await settle(pilot)
        app.screen.query_one("#prompt-answer", Input).value = str(scan)
        await press(pilot, "enter")
        await settle(pilot)
        app.screen.query_one("#prompt-answer", Input).value = "court"
        await press(pilot, "enter")
        # The case has a papers-to-chase task: these papers close none of it (blank answer).
        await wait_for(pilot, lambda: "papers-to-chase" in screen_text(app), 5)
        app.screen.query_one("#prompt-answer", Input).value = ""
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "Which event do these papers" in screen_text(app), 5)
        await press(pilot, "enter")  # evidence of no event (the first choice)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await wait_for(pilot, lambda: "court papers.pdf" in screen_text(app), 5)
        assert "Received" in screen_text(app)
    with w.db.read() as s:
        (stored,) = s.exec(select(DocumentFile)).all()
        doc = s.get(Document, stored.document_id)
    assert stored.content == scan.read_bytes() and stored.media_type == "application/pdf"
    assert doc is not None and (doc.kind, doc.status, doc.case_id) == (
        "received",
        "court",
        w.case.id,
    )
