"""A pseudo-terminal for tests that run caseterm on a real terminal without tmux: the screen
side is read (and kept) by a thread, so the program never blocks writing to it; the test types
into the keyboard side, resizes the window and hangs it up."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Pty:
    def __init__(self, rows: int = 24, cols: int = 80) -> None:
        self.master, self.slave = os.openpty()
        self.resize(rows, cols)
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

    def start(
        self, argv: Sequence[str], env: Mapping[str, str], *, controlling: bool = False
    ) -> subprocess.Popen[bytes]:
        """Run `argv` on this terminal (all three standard streams) in a session of its own;
        `controlling`: as the session's controlling terminal, as a login shell has it (a
        resize then sends SIGWINCH, a hang-up SIGHUP)."""

        def take_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        return subprocess.Popen(
            list(argv),
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,  # caseterm draws its screen on standard error
            env=dict(env),
            start_new_session=True,
            preexec_fn=take_terminal if controlling else None,
        )

    def raw(self) -> bytes:
        with self._lock:
            return self.output

    def text(self) -> str:
        return ANSI.sub(b"", self.raw()).decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            time.sleep(0.05)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def resize(self, rows: int, cols: int) -> None:
        """Set the window size (the terminal's foreground processes get SIGWINCH)."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def settings(self) -> list[Any]:
        """The terminal's settings (termios), as the program sees them."""
        return termios.tcgetattr(self.slave)

    def hang_up(self) -> None:
        """Close the screen side, as a closed window or a dropped SSH connection does."""
        with contextlib.suppress(OSError):
            os.close(self.master)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)
