"""Signalling the caseterm process running in a tmux pane, and reading the pane's terminal
modes (alternate screen, mouse tracking) once it has gone."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tests.e2e.tmux import Terminal
from tests.launch import LAUNCH


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found += [int(c) for c in children.read_text().split()]
    return found


def caseterm_pid(term: Terminal, timeout: float = 10.0) -> int:
    """The process id of caseterm in the pane (`python tests/launch.py …` or `python -m
    caseterm …`: the pane's own process or one of its descendants)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(
            [term.tmux, "display-message", "-p", "-t", term.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=False,
        )
        todo = [int(out.stdout.strip())] if out.stdout.strip().isdigit() else []
        while todo:
            pid = todo.pop()
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            launched = len(cmdline) > 1 and cmdline[1] == str(LAUNCH).encode()
            module = b"-m" in cmdline and b"caseterm" in cmdline
            if (launched or module) and not cmdline[0].endswith(b"env"):
                return pid
            todo += _children(pid)
        time.sleep(0.1)
    raise AssertionError("no caseterm process found in the pane")


def send(pid: int, signum: int) -> None:
    os.kill(pid, signum)


def pane_modes(term: Terminal) -> dict[str, str]:
    """The pane's terminal modes now: alternate screen and mouse tracking (1 = on)."""
    names = ("alternate_on", "mouse_any_flag", "mouse_standard_flag", "mouse_sgr_flag")
    out = subprocess.run(
        [
            term.tmux,
            "display-message",
            "-p",
            "-t",
            term.name,
            " ".join(f"#{{{name}}}" for name in names),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return dict(zip(names, out.stdout.split(), strict=False))
