"""Bytes a thin link carries: what the workstation writes to its terminal per action.

Over SSH from a slow or metered link every byte of a redraw is felt. This runs the workstation
in a pseudo-terminal (as `tui_bench.py` does, answering the synchronized-output query like a
modern terminal) on the small demo database, with `SSH_CONNECTION` set as sshd sets it, at
120×40 and 80×24, and counts the bytes written for each scripted action:

- cursor down in the first queue (`j`);
- opening a case (`o`), until the screen is quiet;
- a dialog and back: the contact form (`n`) and escape;
- one character typed in the form's Notes field (the mean of several);
- idle with Notes focused: bytes per second over a few quiet seconds (a blinking cursor costs
  a write twice a second);
- how much longer a lone escape takes than `q` to close help (Textual waits `ESCDELAY` for the
  rest of a key's sequence before taking escape as escape).

Start-up counts every frame until the first queue is on screen, for comparison.

    .venv/bin/python benchmarks/ssh_bytes.py [--size small|large] [--idle 4]

Targets (issue 17): ≤ 300 B per typed character, 0 B/s idle, opening a case ≤ 1 full frame,
a dialog and back ≤ 2 full frames.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAUNCH = HERE.parent / "tests" / "launch.py"  # starts caseterm with the benchmark's clock
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from caseterm.core import clock  # noqa: E402
from caseterm.core.services import queues  # noqa: E402
from caseterm.core.services.identity import resolve_actor  # noqa: E402
from caseterm.core.storage.database import Database  # noqa: E402

SIZES = ((120, 40), (80, 24))
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]")
QUIET = 2.0  # seconds of silence after which an action's output is taken as complete
TYPED = b"abcdefgh"


class Pty:
    """A child process on a pseudo-terminal of `cols` × `rows`, its output counted."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.tail = b""
        self.replied = False

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.tail = (self.tail + data)[-32:]
        if not self.replied and SYNC_QUERY in self.tail:
            os.write(self.fd, SYNC_REPLY)
            self.replied = True
        return data

    def wait_for_text(self, text: str, timeout: float = 60.0) -> bytes:
        """Everything written until `text` shows (and the screen is quiet)."""
        wanted, plain, seen = text.encode(), b"", b""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            data = self.read(0.05)
            seen += data
            plain = (plain + ANSI.sub(b"", data))[-(1 << 16) :]
            if wanted in plain:
                return seen + self.quiet()
        raise TimeoutError(f"{text!r} did not appear within {timeout} s")

    def quiet(self, settle: float = QUIET, limit: float = 10.0) -> bytes:
        """What is written until `settle` seconds pass without output (at most `limit` s:
        a screen that never goes quiet is measured over that long)."""
        out, deadline = b"", time.perf_counter() + limit
        while (data := self.read(settle)) and time.perf_counter() < deadline:
            out += data
        return out

    def act(self, keys: bytes) -> int:
        """Bytes written in answer to `keys`, until the screen is quiet."""
        self.quiet(0.15)
        os.write(self.fd, keys)
        first = self.read(5.0)  # the answer may wait for the database
        return len(first + self.quiet()) if first else 0

    def first_output_ms(self, keys: bytes) -> float:
        """Milliseconds from writing `keys` to the first byte of the answer."""
        self.quiet(0.15)
        t0 = time.perf_counter()
        os.write(self.fd, keys)
        if not self.read(5.0):
            raise TimeoutError("no answer")
        ms = (time.perf_counter() - t0) * 1000
        self.quiet()
        return ms

    def idle_rate(self, seconds: float) -> float:
        """Bytes per second written while nothing is pressed."""
        self.quiet(1.0)
        total, t0 = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - t0) < seconds:
            total += len(self.read(seconds - elapsed))
        return total / seconds

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self.read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


@dataclass
class Row:
    size: str
    full_frame: int
    cursor_down: int
    open_case: int
    dialog_open: int
    dialog_back: int
    typed_char: float
    idle_per_s: float
    escape_ms: float


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(path: Path, login: str, now: datetime, first_ref: str, idle: float) -> list[Row]:
    env = {
        **os.environ,
        "CASETERM_USER": login,
        "CASETERM_TEST_CLOCK": now.isoformat(),
        "CASETERM_CONFIG": "/nonexistent/caseterm.toml",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "SSH_CONNECTION": "192.0.2.10 50022 192.0.2.1 22",
        "SSH_TTY": "/dev/pts/9",
    }
    rows = []
    for cols, lines in SIZES:
        # Each size on its own copy: the run before leaves a draft (typed in Notes), and the
        # next would start with "unsaved work" notices painted over its screens.
        fresh = path.with_name(f"{path.stem}-{cols}x{lines}{path.suffix}")
        shutil.copyfile(path, fresh)
        term = Pty([sys.executable, str(LAUNCH), "--db", str(fresh)], env, cols, lines)
        try:
            full = len(term.wait_for_text(first_ref))
            _say(f"{cols}×{lines}: started ({full} B)")
            cursor = term.act(b"j")
            term.act(b"k")
            opened = term.act(b"o")  # open case
            _say(f"  case opened ({opened} B)")
            # Help closes on `q` and on escape alike: the difference is the escape delay.
            escape_ms, q_ms = [], []
            for _ in range(3):
                term.act(b"?")
                escape_ms.append(term.first_output_ms(b"\x1b"))
                term.act(b"?")
                q_ms.append(term.first_output_ms(b"q"))
            escape = statistics.median(escape_ms) - statistics.median(q_ms)
            dialog = term.act(b"n")
            back = term.act(b"\x1b")
            _say(f"  dialog and back ({dialog} + {back} B)")
            term.act(b"n")
            term.act(b"\x0e")  # ctrl+n: to Notes
            typed = [term.act(bytes([c])) for c in TYPED]
            per_char = sum(typed) / len(typed)
            rate = term.idle_rate(idle)
        finally:
            term.close()
        rows.append(
            Row(f"{cols}×{lines}", full, cursor, opened, dialog, back, per_char, rate, escape)
        )
    return rows


def first_row(db: Database, login: str) -> str:
    with db.read() as s:
        actor = resolve_actor(s, login)
        return queues.queue_page(s, actor, key="my_work", limit=1)[0].case_reference


def table(rows: list[Row]) -> str:
    def kb(n: float) -> str:
        return f"{n / 1000:.1f} KB" if n >= 1000 else f"{n:.0f} B"

    out = [
        "| action | " + " | ".join(r.size for r in rows) + " | target |",
        "| --- | " + " | ".join("---" for _ in rows) + " | --- |",
    ]
    lines = [
        ("start-up, every frame until the first queue shows", [kb(r.full_frame) for r in rows], ""),
        ("one character typed in Notes", [kb(r.typed_char) for r in rows], "≤ 300 B"),
        ("idle with Notes focused", [f"{r.idle_per_s:.0f} B/s" for r in rows], "0 B/s"),
        ("opening a case", [kb(r.open_case) for r in rows], "≤ 1 full frame"),
        (
            "a dialog and back",
            [f"{kb(r.dialog_open)} + {kb(r.dialog_back)}" for r in rows],
            "≤ 2 full frames",
        ),
        ("cursor down", [kb(r.cursor_down) for r in rows], "keep"),
        (
            "escape's wait (escape minus `q`, median of 3)",
            [f"{r.escape_ms:.0f} ms" for r in rows],
            "instant",
        ),
    ]
    for name, cells, target in lines:
        out.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from demo_cache import LOGIN, prepare_sqlite

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=("large", "small"), default="small")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--idle", type=float, default=4.0, help="seconds of idle to measure")
    args = p.parse_args(argv)
    prepared = prepare_sqlite(args.size, args.seed, rebuild=False)
    clock.freeze(prepared.built_at)
    path = prepared.db.path
    assert path is not None
    ref = first_row(prepared.db, LOGIN)
    prepared.db.dispose()
    with tempfile.TemporaryDirectory() as tmp:  # typing leaves drafts: not in the cached copy
        copy = Path(tmp) / "demo.db"
        shutil.copyfile(path, copy)
        rows = measure(copy, LOGIN, prepared.built_at, ref, args.idle)
    print(f"{args.size} demo, over a pty with SSH_CONNECTION set")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
