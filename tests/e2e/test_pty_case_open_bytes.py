"""Opening a case over SSH costs at most one full frame (issue 17: 4.7 KB at 80×24): the case is
read before its screen is pushed, so the terminal never shows "Loading the case…" or an empty
log first, and over SSH only the changed cells are sent, each style only as far as it changes.
The screen it ends on is the same, cell for cell (characters, colours, attributes), as the one
Textual's own output draws locally."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseterm.core.services import contacts
from tests.e2e.test_pty_thin_link import Run
from tests.e2e.tmux import caseterm_env
from tests.factories import World
from tests.launch import LAUNCH
from tests.tui.conftest import add_tasks

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

FULL_FRAME_80x24 = 4_700  # bytes (issue 17's measure of one full frame at 80×24)


class Watched(Run):
    """A run that keeps the screen's text after every piece of output."""

    seen: list[str]

    def _read(self, timeout: float) -> bool:
        got = super()._read(timeout)
        if got:
            self.__dict__.setdefault("seen", []).append(self.text())
        return got


def _cells(run: Run) -> list[tuple[object, ...]]:
    buffer = run.screen.buffer
    return [
        (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
        for y in range(run.screen.lines)
        for c in (buffer[y][x] for x in range(run.screen.columns))
    ]


def _open_case(world: World, db: Path, frozen: datetime, tmp: Path, **env: str) -> Watched:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SSH_")}
    full = {
        **base,
        **caseterm_env("worker", frozen, tmp),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        **env,
    }
    run = Watched([sys.executable, str(LAUNCH), "--db", str(db)], full)
    try:
        run.wait_for(world.case.reference)
        run.seen, before = [], run.written
        run.keys(b"o")  # the case of the task under the cursor
        run.wait_for("Seen at the office")  # its newest contact entry: the log has its rows
        run.wait_for("Face to face")
        run.opened = run.written - before  # type: ignore[attr-defined]
    except BaseException:
        run.close()
        raise
    return run


def test_opening_a_case_over_ssh_is_one_frame(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    add_tasks(world, frozen_clock.date())
    with world.db.write() as s:  # a contact log with rows, the newest first
        for days, kind, notes in ((9, "phone_in", "Rang about his hours"),
                                  (2, "face_to_face", "Seen at the office, all well")):  # fmt: skip
            contacts.log_contact(
                s, world.worker, case_id=world.case.id or 0, contact_type=kind,
                outcome="attended_complied", notes=notes,
                occurred_at=frozen_clock - timedelta(days=days),
            )  # fmt: skip
    copies = [tmp_path / "local.db", tmp_path / "remote.db"]
    with sqlite3.connect(db_path) as source:
        for copy in copies:
            with sqlite3.connect(copy) as target:
                source.backup(target)
    local = _open_case(world, copies[0], frozen_clock, tmp_path)
    local.close()
    remote = _open_case(world, copies[1], frozen_clock, tmp_path, SSH_TTY="/dev/pts/9")
    remote.close()
    assert _cells(remote) == _cells(local)
    for run in (local, remote):
        assert not any("Loading" in screen for screen in run.seen), run.seen
    opened: int = remote.opened  # type: ignore[attr-defined]
    assert opened <= FULL_FRAME_80x24, opened
