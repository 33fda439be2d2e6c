"""A drop that sends no signal: the program that started caseterm is killed outright while the
terminal itself stays open (no hang-up, no end of input). caseterm notices on its own within a
couple of seconds, writes the open form's draft and ends, instead of running on for hours."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Draft, Staff
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.pty_screen import Pty
from tests.e2e.tmux import ROOT, caseterm_env
from tests.launch import LAUNCH

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

# The program that starts caseterm: it writes its child's pid to a file, then waits for it.
STARTER = """
import pathlib, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
pathlib.Path(sys.argv[1]).write_text(str(child.pid))
child.wait()
"""


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
