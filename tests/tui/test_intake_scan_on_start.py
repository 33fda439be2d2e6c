"""The workstation takes the files waiting in the configured intake folder when it starts (and
every few minutes): each becomes an incoming item for triage and moves to done/."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import IntakeFile, Task
from caseterm.tui.context import TuiContext
from tests.factories import World
from tests.tui.conftest import settle, wait_for
from tests.tui.seen import NotedCasetermApp, notes_of

pytestmark = pytest.mark.sqlite_only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(32))


async def test_the_workstation_scans_the_configured_intake_folder_on_start(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "scan-1.pdf").write_bytes(PDF)
    (folder / "notes.txt").write_text("not a document\n")
    config = tmp_path / "config.toml"
    config.write_text(f'intake_dir = "{folder}"\n')
    monkeypatch.setenv("CASETERM_CONFIG", str(config))
    app = NotedCasetermApp(TuiContext(world.db, world.clerk), live=False, schedule=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: (folder / "done" / "scan-1.pdf").exists(), 10)
        await settle(pilot)
        assert any("1 file(s) from the intake folder" in n for n in notes_of(app))
    assert (folder / "rejected" / "notes.txt.reason.txt").exists()
    with world.db.read() as s:
        row = s.exec(select(IntakeFile)).one()
        task = s.get(Task, row.task_id)
    assert row.filename == "scan-1.pdf" and bytes(row.content) == PDF
    assert task is not None and (task.kind, task.status) == ("post_in", "untriaged")
