"""Over SSH the workstation writes only the cells that changed: the same journey, run once as if
over SSH and once locally, ends on the same screen in a terminal emulator (pyte) fed every byte
each run wrote, and the SSH run writes far fewer bytes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import sqlite3
import struct
import sys
import termios
import time
from datetime import datetime
from pathlib import Path

import pyte
import pytest

from tests.e2e.tmux import caseterm_env
from tests.factories import World
from tests.launch import LAUNCH
from tests.tui.conftest import add_tasks

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

COLS, ROWS = 80, 24


class Run:
    """caseterm on a pseudo-terminal, everything it writes fed to a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.written = 0
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.written += len(data)
        self.stream.feed(data)
        return bool(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared:\n{self.text()}")
            self._read(0.1)
        while self._read(0.5):  # the rest of that screen
            pass

    def keys(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _journey(world: World, db_path: Path, frozen: datetime, tmp: Path, **env: str) -> Run:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SSH_")}
    full = {
        **base,
        **caseterm_env("worker", frozen, tmp),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        **env,
    }
    run = Run([sys.executable, str(LAUNCH), "--db", str(db_path)], full)
    try:
        run.wait_for(world.case.reference)
        run.keys(b"o")  # the case of the task under the cursor
        run.wait_for(f"Case {world.case.reference}")
        run.keys(b"n")
        run.wait_for("Notes (enter for a new line")
        run.keys(b"\x0e")  # ctrl+n: to Notes
        run.wait_for("Notes (enter for a new line")
        run.keys(b"Rang twice, no answer")
        run.wait_for("Rang twice, no answer")
        run.wait_for("draft kept")
    except BaseException:
        run.close()
        raise
    return run


def test_same_screen_fewer_bytes_over_ssh(
    frozen_clock: datetime, world: World, db_path: Path, tmp_path: Path
) -> None:
    add_tasks(world, frozen_clock.date())
    copies = [tmp_path / "local.db", tmp_path / "remote.db"]  # each run leaves a draft
    with sqlite3.connect(db_path) as source:
        for copy in copies:
            with sqlite3.connect(copy) as target:
                source.backup(target)
    local = _journey(world, copies[0], frozen_clock, tmp_path)
    local.close()
    remote = _journey(world, copies[1], frozen_clock, tmp_path, SSH_TTY="/dev/pts/9")
    remote.close()
    assert remote.text() == local.text()
    assert remote.written < local.written / 2, (remote.written, local.written)
