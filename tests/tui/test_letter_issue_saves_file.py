"""`i` on an approved letter issues it, stores its PDF with it and saves a copy into the
configured letters folder; the database holds the same bytes as the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Document, DocumentFile
from caseterm.tui.letters.letter_screen import LetterScreen
from tests.keys import press
from tests.letter_helpers import approved
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.seen import notes_of

pytestmark = pytest.mark.sqlite_only


async def test_i_issues_stores_the_pdf_and_saves_it_to_the_letters_folder(
    tui_world: TuiWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = tui_world.world
    folder = tmp_path / "letters"
    folder.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'letters_dir = "{folder}"\n')
    monkeypatch.setenv("CASETERM_CONFIG", str(config))
    doc_id = approved(w)
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(LetterScreen(doc_id))
        await settle(pilot)
        await wait_for(pilot, lambda: w.case.reference in screen_text(app), 5)
        await press(pilot, "i")
        await settle(pilot)
        await press(pilot, "enter")  # "post", as offered
        await wait_for(pilot, lambda: any(n.startswith("Saved ") for n in notes_of(app)), 20)
    with w.db.read() as s:
        doc = s.get(Document, doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == doc_id)).one()
    assert doc is not None and doc.status == "issued"
    [saved] = list(folder.iterdir())
    assert saved.name == stored.filename and saved.read_bytes() == bytes(stored.content)
    assert saved.stat().st_mode & 0o777 == 0o600
