"""The workstation served by the resident process (cli/resident/): `caseterm --db X` on a real
terminal is handed to a child forked from a warm server, which draws on that terminal, follows
its window size, saves drafts and ends when it hangs up, and is watched by its client rather
than by its parent. When it must not be served (not a terminal, other Textual settings than the
server's) it starts in the client's own process as before.

The server is started with the test's clock (tests/launch.py --resident-server): the children it
forks read the same frozen time as the demo was built at."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import termios
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import Draft, Staff
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.pty_screen import Pty
from tests.e2e.tmux import caseterm_env
from tests.resident_fixtures import (
    Resident,
    _environment,
    _runtime_folder,
    alive,
    servers_of,
    start_frozen_server,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@dataclass
class Served:
    db: Database
    path: Path
    resident: Resident
    server: int  # the server's pid

    @contextlib.contextmanager
    def caseterm(self, pty: Pty, **extra: str) -> Iterator[subprocess.Popen[bytes]]:
        """`python -m caseterm --db PATH` on `pty`, its controlling terminal; killed if still
        running at the end, and the terminal closed."""
        argv = [sys.executable, "-m", "caseterm", "--db", str(self.path)]
        process = pty.start(argv, self.resident.environment(LOGIN, **extra), controlling=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            pty.close()

    def children(self) -> list[int]:
        """The server's children (a served command or workstation runs in one)."""
        found = Path(f"/proc/{self.server}/task/{self.server}/children").read_text()
        return [int(pid) for pid in found.split()]


@pytest.fixture
def served(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Served]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with _runtime_folder() as runtime:
        env = {
            **_environment(runtime, tmp_path),
            **caseterm_env(LOGIN, frozen_clock, tmp_path),
            "TERM": "xterm-256color",
        }
        env.pop("CASETERM_USER")  # given per process (Resident.environment)
        resident = Resident(runtime, env)
        yield Served(db, path, resident, start_frozen_server(resident))
    db.dispose()


def _draft_summaries(db: Database) -> list[str]:
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        drafts = s.exec(select(Draft).where(Draft.staff_id == me.id)).all()
    return [json.loads(d.data).get("summary", "") for d in drafts]


def _ended(process: subprocess.Popen[bytes], seconds: float = 30) -> int:
    return process.wait(timeout=seconds)


def _running(served: Served) -> tuple[int, int]:
    """(workstations, children) the server counts as running (it counts a child out once it
    has reaped it, a moment after the child ends)."""
    status = served.resident.status()
    return int(status["screens"]), int(status["busy"])


def _half_typed(pty: Pty, summary: str) -> None:
    """From the queues: log an incoming item (`I`), by post, with `summary` typed, not saved."""
    pty.wait_for("My work")
    pty.type("I")
    pty.wait_for("Log incoming item")
    pty.type("p")
    pty.type(summary)
    pty.wait_for(summary)


def test_the_workstation_is_served_on_its_terminal(served: Served) -> None:
    before = served.resident.status()["requests"]
    pty = Pty(24, 80)
    with served.caseterm(pty) as caseterm:
        pty.wait_for("My work")
        status = served.resident.status()
        assert (status["requests"], status["screens"], status["busy"]) == (before + 1, 1, 1)
        [child] = served.children()
        # A resize reaches the child through its client (SIGWINCH passed on): the screen is
        # drawn again 40 rows high, down to its last row.
        pty.resize(40, 120)
        wait_until(lambda: b"\x1b[40;1H" in pty.raw(), "the screen drawn 40 rows high")
        pty.type("\x11")  # ctrl+q
        assert _ended(caseterm) == 0
        wait_until(lambda: not alive(child), "the served workstation to end")
        wait_until(lambda: _running(served) == (0, 0), "the server to see its child end")


def test_a_hang_up_saves_the_draft_and_ends_the_served_workstation(served: Served) -> None:
    pty = Pty()
    with served.caseterm(pty) as caseterm:
        _half_typed(pty, "Hung up while served")
        [child] = served.children()
        pty.hang_up()  # the client gets SIGHUP and passes it on
        wait_until(lambda: not alive(child), "the served workstation to end")
        _ended(caseterm)
    assert "Hung up while served" in _draft_summaries(served.db)
    wait_until(lambda: _running(served) == (0, 0), "the server to see its child end")


def test_a_client_killed_outright_ends_its_workstation_with_its_draft(served: Served) -> None:
    """No signal reaches the child from the terminal: its client's connection closes, the
    server ends the child (SIGTERM), and the open form is kept as a draft."""
    pty = Pty()
    with served.caseterm(pty) as caseterm:
        _half_typed(pty, "Client killed")
        [child] = served.children()
        caseterm.kill()
        caseterm.wait()
        wait_until(lambda: not alive(child), "the served workstation to end")
    assert "Client killed" in _draft_summaries(served.db)


def test_the_terminal_is_given_back_when_the_served_child_is_killed(served: Served) -> None:
    pty = Pty()
    found = pty.settings()
    with served.caseterm(pty) as caseterm:
        pty.wait_for("My work")
        assert not pty.settings()[3] & termios.ICANON  # the workstation's raw mode
        [child] = served.children()
        os.kill(child, signal.SIGKILL)
        assert _ended(caseterm) == 128 + signal.SIGKILL
        assert pty.settings() == found
        wait_until(  # the reader thread has it once it is written
            lambda: pty.raw().endswith(b"\x1b[?1049l\x1b[?25h"), "the normal screen, cursor shown"
        )


def test_other_textual_settings_start_it_in_its_own_process(served: Served) -> None:
    """Textual reads TEXTUAL_* when it is imported: the server's were read at its start, so a
    workstation asked for with others is refused and starts in the client's process."""
    before = served.resident.status()["requests"]
    pty = Pty()
    with served.caseterm(pty, TEXTUAL_FPS="30") as caseterm:
        pty.wait_for("My work")
        status = served.resident.status()
        assert (status["requests"], status["screens"]) == (before, 0)
        assert served.children() == []
        pty.type("\x11")
        assert _ended(caseterm) == 0


def test_not_on_a_terminal_it_is_not_served(served: Served) -> None:
    before = served.resident.status()["requests"]
    done = subprocess.run(
        [sys.executable, "-m", "caseterm", "--db", str(served.path)],
        env=served.resident.environment("nobody-enrolled"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "'nobody-enrolled' is not enrolled" in done.stderr  # answered by this process
    assert served.resident.status()["requests"] == before


def test_the_first_start_runs_here_and_starts_the_server(served: Served) -> None:
    """With no server running, the workstation starts in its own process at once, and starts a
    server in the background for the next one."""
    with _runtime_folder() as runtime:
        resident = Resident(runtime, {**served.resident.env, "XDG_RUNTIME_DIR": str(runtime)})
        pty = Pty()
        with replace(served, resident=resident).caseterm(pty) as caseterm:
            pty.wait_for("My work")
            wait_until(lambda: resident.status()["running"], "a server for the next start")
            assert resident.status()["requests"] == 0  # this one runs in its own process
            assert len(servers_of(runtime)) == 1
            pty.type("\x11")
            assert _ended(caseterm) == 0
