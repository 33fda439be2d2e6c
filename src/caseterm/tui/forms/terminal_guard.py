"""Nothing typed is lost when the terminal goes away, and the terminal is given back as found.

An SSH drop or a closed terminal window hangs the terminal up: the program gets SIGHUP, reads
end-of-file or EIO from the keyboard and fails to write to the screen. A frozen network leaves
the terminal open but unread, so writes to it block. `guard_terminal(app)` (from the app's
`on_mount`) handles all of these, and SIGTERM too, the same way: every open form's draft is
written at once (`draft_keeper.flush_all`), then the app exits through Textual's own shutdown,
which takes the terminal out of the alternate screen and turns mouse tracking off (when there is
still a terminal to tell). A watcher thread notices a terminal that is gone without a signal
(hung up, its owner gone, or not reading for STALLED_AFTER seconds) and does the same; if the
app cannot finish within EXIT_GRACE seconds (its screen writes are stuck), the process ends
there, its drafts already saved.

`sturdy_driver(cls)` gives the app a terminal driver whose screen writes never block the app
once the terminal is gone, and whose keyboard reader reports a lost terminal instead of a crash.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import IO, Any, cast

from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from caseterm.tui.forms.draft_keeper import flush_all

WATCH_EVERY = 1.0  # seconds between looks at the terminal
STALLED_AFTER = 60.0  # a write to the terminal blocked this long: nobody is reading it
EXIT_GRACE = 10.0  # seconds the app has to shut down after the terminal went
FLUSH_WAIT = 15.0  # seconds to wait for the last drafts to be written
SIGNALS = (signal.SIGHUP, signal.SIGTERM)
_ATTRIBUTE = "_caseterm_terminal_guard"
# How to tell that the program that started caseterm has gone, when its parent is not that
# program (a workstation served by the resident process: its parent is the server).
_owner_gone: Callable[[], bool] | None = None


def watch_owner(gone: Callable[[], bool]) -> None:
    """Notice the starting program's end by `gone()` rather than by the parent process changing."""
    global _owner_gone
    _owner_gone = gone


class TerminalGuard:
    """Saves drafts and ends the app when the terminal goes away (see the module docstring)."""

    def __init__(self, app: App[Any], *, watch: bool, tty_fd: int | None = None) -> None:
        self.app = app
        self.watch = watch
        self.tty_fd = tty_fd  # the terminal's keyboard side (default: standard input)
        self.reason = ""  # why the app is ending, once it is
        self._once = threading.Lock()
        self._stopped = threading.Event()
        self._previous: dict[int, Any] = {}
        self._parent = os.getppid()
        self._loop: Any = None
        self.output: _Output | None = None  # the sturdy driver's screen output, if any

    def start(self) -> None:
        """Install the signal handlers (main thread) and start the watcher thread."""
        import asyncio

        self._loop = asyncio.get_running_loop()
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        if self.watch:
            threading.Thread(target=self._watch, name="caseterm-terminal", daemon=True).start()

    def stop(self) -> None:
        """Put the previous signal handlers back and stop watching (the app has ended)."""
        self._stopped.set()
        if threading.current_thread() is threading.main_thread():
            for signum, previous in self._previous.items():
                with contextlib.suppress(ValueError, TypeError):
                    signal.signal(signum, previous)
        self._previous.clear()

    # ---------------------------------------------------------------- noticing

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if not self.app.is_running:  # the app has ended: behave as before it started
            self.stop()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        # SIGTERM may come with the terminal still there: it is given back as found, and told
        # why. After SIGHUP there is nobody to tell.
        name = signal.Signals(signum).name
        self.lost(f"stopped by {name}", 128 + signum, tell=signum != signal.SIGHUP)

    def _watch(self) -> None:
        while not self._stopped.wait(WATCH_EVERY):
            if not self.app.is_running:
                return
            why = self.terminal_trouble()
            if why:
                self.lost(why, 129, tell=False)
                return

    def terminal_trouble(self) -> str:
        """Why the terminal looks gone ("" if it looks fine)."""
        if self.output is not None and self.output.gone:
            return "the terminal could not be written to"
        if self.output is not None and self.output.stalled_for() > STALLED_AFTER:
            return f"the terminal read nothing for {STALLED_AFTER:.0f} seconds"
        try:
            fd = self.tty_fd if self.tty_fd is not None else sys.__stdin__.fileno()  # type: ignore[union-attr]
            termios.tcgetattr(fd)
        except (termios.error, OSError, ValueError, AttributeError):
            return "the terminal was hung up"
        if _owner_gone() if _owner_gone is not None else os.getppid() != self._parent:
            return "the program that started caseterm has gone"
        return ""

    # ---------------------------------------------------------------- acting

    def lost(self, reason: str, return_code: int = 129, *, tell: bool = False) -> None:
        """Save every open form's draft, then end the app (any thread, once). `tell`: the
        terminal is still there, so say why on leaving; else nothing more is written to it."""
        if not self._once.acquire(blocking=False):
            return
        self.reason = reason
        if self.output is not None and not tell:
            self.output.quiet = True
        # In a thread of its own: a signal may have interrupted the main thread while it held
        # a lock the writes need (a connection pool's); then this waits a while, not forever.
        writer = threading.Thread(target=flush_all, name="caseterm-drafts", daemon=True)
        writer.start()
        writer.join(FLUSH_WAIT)
        message = f"caseterm: {reason}; unsaved forms were kept as drafts" if tell else None
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(
                    lambda: self.app.exit(return_code=return_code, message=message)
                )
        if self.watch:
            threading.Thread(
                target=self._end_if_stuck, args=(return_code,), name="caseterm-exit", daemon=True
            ).start()

    @staticmethod
    def _end_if_stuck(return_code: int) -> None:
        """The app's own shutdown is stuck (its screen writes cannot finish): end the process,
        whose drafts are already written. (A daemon thread: a normal exit ends it first.)"""
        time.sleep(EXIT_GRACE)
        os._exit(return_code)


def guard_terminal(app: App[Any]) -> TerminalGuard:
    """Start guarding `app`'s terminal (call from the app's on_mount); see the module docstring.
    The watcher runs only with a real terminal (not in tests run headless)."""
    output = getattr(app, "_caseterm_output", None)
    guard = TerminalGuard(app, watch=isinstance(output, _Output))
    guard.output = output if isinstance(output, _Output) else None
    setattr(app, _ATTRIBUTE, guard)
    guard.start()
    return guard


def guard_of(app: Any) -> TerminalGuard | None:
    guard = getattr(app, _ATTRIBUTE, None)
    return guard if isinstance(guard, TerminalGuard) else None


class _Output:
    """The screen output the driver's writer thread writes to: a failed write marks the terminal
    gone instead of killing the thread (which would leave the app blocked on a full queue), and
    once `quiet`, writes are dropped."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False
        self.quiet = False
        self._busy_since = 0.0

    def stalled_for(self) -> float:
        since = self._busy_since
        return time.monotonic() - since if since else 0.0

    def _do(self, call: Any, *args: Any) -> None:
        if self.gone or self.quiet:
            return
        self._busy_since = time.monotonic()
        try:
            call(*args)
        except (OSError, ValueError):
            self.gone = True
        finally:
            self._busy_since = 0.0

    def write(self, text: str) -> None:
        self._do(self._file.write, text)

    def flush(self) -> None:
        self._do(self._file.flush)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


class _SturdyLinuxDriver(LinuxDriver):
    """Textual's driver with `_Output` for the screen and a keyboard reader that reports a lost
    terminal (EIO) to the guard instead of crashing the app."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        output = _Output(cast(IO[str], self._file))
        self._file = output  # type: ignore[assignment]
        app._caseterm_output = output  # type: ignore[attr-defined]

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        except OSError as exc:
            guard = guard_of(self._app)
            if guard is None:
                raise
            guard.lost(f"the terminal was lost ({exc.strerror or exc})")


def sturdy_driver(cls: type[Driver]) -> type[Driver]:
    """The app's driver class, made sturdy where it is Textual's Linux/macOS driver."""
    return _SturdyLinuxDriver if cls is LinuxDriver else cls
