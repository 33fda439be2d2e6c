"""A drop that sends no signal: the program that started caseterm is killed outright while the
terminal itself stays open (no hang-up, no end of input). caseterm notices on its own within a
couple of seconds, writes the open form's draft and ends, instead of running on for hours."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Draft, Staff
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import ROOT, caseterm_env
from tests.launch import LAUNCH

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

# The program that starts caseterm: it writes its child's pid to a file, then waits for it.
STARTER = """
import pathlib, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
pathlib.Path(sys.argv[1]).write_text(str(child.pid))
child.wait()
"""


class Pty:
    """A pseudo-terminal whose screen side is read (and kept) by a thread, so that the program
    never blocks writing to it, and whose keyboard side the test types into."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = b""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output += data

    def text(self) -> str:
        with self._lock:
            return ANSI.sub(b"", self.output).decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            time.sleep(0.05)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)


@pytest.fixture
def demo(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> Iterator[tuple[Database, Path, dict[str, str]]]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login="wendy")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PYTHONPATH": str(ROOT / "src"),
        **caseterm_env("wendy", frozen_clock, tmp_path),
    }
    yield db, path, env
    db.dispose()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_caseterm_notices_its_starter_gone_saves_and_ends(
    demo: tuple[Database, Path, dict[str, str]],
) -> None:
    db, path, env = demo
    pty = Pty()
    pid_file = path.with_name("caseterm.pid")
    caseterm = [sys.executable, str(LAUNCH), "--db", str(path)]
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(pid_file), *caseterm],
        stdin=pty.slave,
        stdout=pty.slave,
        stderr=pty.slave,  # caseterm draws its screen on standard error
        env=env,
        start_new_session=True,  # no controlling terminal: nothing will send SIGHUP
    )
    child = 0
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the starter never started caseterm"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        pty.wait_for("My work")
        pty.type("I")
        pty.wait_for("Log incoming item")
        pty.type("p")
        pty.type("Starter gone")
        pty.wait_for("Starter gone")
        starter.kill()  # the SSH session process dies outright; the terminal stays open
        starter.wait()
        deadline = time.monotonic() + 20
        while alive(child):
            assert time.monotonic() < deadline, "caseterm ran on without its starter"
            time.sleep(0.05)
    finally:
        if child and alive(child):
            os.kill(child, signal.SIGKILL)
        if starter.poll() is None:
            starter.kill()
        pty.close()
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == "wendy")).one()
        [draft] = s.exec(select(Draft).where(Draft.staff_id == me.id)).all()
    assert json.loads(draft.data)["summary"] == "Starter gone"
