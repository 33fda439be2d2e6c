"""Driving the real program in a real terminal: a detached tmux session, keys in, screen out."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from tests.launch import LAUNCH, clock_env

ROOT = Path(__file__).resolve().parents[2]
# How long to wait for the program to show something (or to exit) before failing. Generous: a
# passing test never waits it out, and a start-up on a busy 2-core machine has taken over 15 s.
WAIT = 60.0


def caseterm_env(login: str, frozen: datetime, tmp_path: Path) -> dict[str, str]:
    """The environment a test runs caseterm in: acting as `login`, the clock frozen at `frozen`,
    and no config file of the machine's."""
    return {
        "CASETERM_USER": login,
        **clock_env(frozen),
        "CASETERM_CONFIG": str(tmp_path / "none.toml"),
    }


def require_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip(
            "tmux is not installed (apt-get install tmux): the end-to-end tests need a real "
            "terminal"
        )
    return tmux


class Terminal:
    """One tmux session running `caseterm ARGS` at a fixed size."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        *,
        width: int = 120,
        height: int = 40,
        program: Sequence[str] | None = None,
    ) -> None:
        """`program`: what runs caseterm (default tests/launch.py, which freezes the clock;
        `python -m caseterm` goes through the entry point, and so the resident process)."""
        self.tmux = require_tmux()
        self.name = f"caseterm-test-{uuid.uuid4().hex[:8]}"
        full_env = {"TERM": "xterm-256color", "PYTHONPATH": str(ROOT / "src"), **env}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in full_env.items())
        argv = " ".join(map(shlex.quote, args))
        # No COLUMNS or LINES: pytest-xdist's workers set them (80×24), a tmux server started by
        # a worker keeps them in its environment, and the program would size itself by them
        # (shutil.get_terminal_size) instead of by the pane.
        runner = " ".join(map(shlex.quote, program or (sys.executable, str(LAUNCH))))
        command = f"env -u COLUMNS -u LINES {exports} {runner} {argv}"
        # Keep the pane after the program exits so its last words can be read.
        subprocess.run(
            [
                self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
            env={**os.environ, "TMUX": ""},
        )
        subprocess.run(
            [self.tmux, "set-option", "-t", self.name, "remain-on-exit", "on"], check=False
        )

    def screen(self) -> str:
        out = subprocess.run(
            [self.tmux, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout

    def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        """The first screen showing every one of `texts` at once.

        Pass everything the next assertion needs: the program paints a change over several
        frames (a note first, the fields it speaks of a frame later), and a screen read between
        them shows only part of it, more often the busier the machine is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        missing = [text for text in texts if text not in self.screen()]
        raise AssertionError(f"{missing!r} never appeared on screen; last screen:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        cmd = [self.tmux, "send-keys", "-t", self.name]
        if literal:
            cmd.append("-l")
        subprocess.run([*cmd, *keys], check=True)

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a person dragging its corner does (the program gets SIGWINCH)."""
        subprocess.run(
            [self.tmux, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)],
            check=True,
        )

    def exited(self, timeout: float = WAIT) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(
                [self.tmux, "display-message", "-p", "-t", self.name, "#{pane_dead}"],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.stdout.strip() == "1":
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "kill-session", "-t", self.name], check=False, capture_output=True
        )
