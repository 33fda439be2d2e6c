"""A command in a child forked by the resident server: become the client's process, run
`caseterm.cli.main.main(argv)` exactly as a new process would, send back the exit code."""

from __future__ import annotations

import atexit
import contextlib
import io
import locale
import os
import random
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

GO_SECONDS = 60.0  # how long the child waits for the client's go-ahead before giving up
EXIT_SOFTWARE = 70


def run_child(
    conn: socket.socket,
    request: dict[str, Any],
    fds: list[int],
    report: Callable[[int], None] | None = None,
) -> int:
    """The exit status for os._exit (the client gets the command's code over `conn`). `report`
    is called with the code once the command has run, before the client hears of its end (the
    client then leaves, and the server ends a child whose client has left: the exit status the
    server sees may be that signal's)."""
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        conn.settimeout(GO_SECONDS)
        conn.sendall(f"pid {os.getpid()}\n".encode("ascii"))
        if conn.recv(1) != b"G":
            return 0  # the client gave up and runs the command itself
        conn.settimeout(None)
    except OSError:
        return 0
    code = EXIT_SOFTWARE
    if request.get("screen") is True:
        _watch_client(conn)
    try:
        code = _run(request, fds)
    except KeyboardInterrupt:
        code = 130
    except BaseException as exc:  # a fault here, not in the command (main catches those)
        import traceback

        with contextlib.suppress(OSError, ValueError):
            traceback.print_exception(exc, file=sys.stderr)
            print(
                "caseterm: unexpected error in the resident process; "
                "run the command with CASETERM_RESIDENT=off",
                file=sys.stderr,
            )
            sys.stderr.flush()
    finally:
        if report is not None:
            report(code)
        with contextlib.suppress(OSError):
            conn.sendall(f"exit {code}\n".encode("ascii"))
    return code


def _watch_client(conn: socket.socket) -> None:
    """The workstation notices that the program that started it has gone (a terminal closed
    without a hang-up) by its parent changing; a served one's parent is this server, so it
    watches the client's connection instead (it closes when the client ends)."""
    import select

    from caseterm.tui.forms import terminal_guard

    def gone() -> bool:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLRDHUP)
        return bool(poller.poll(0))

    terminal_guard.watch_owner(gone)


def _run(request: dict[str, Any], fds: list[int]) -> int:
    argv = [str(a) for a in request["argv"]]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    time.tzset()
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    streams = request["streams"]
    sys.stdin = sys.__stdin__ = _stream(0, "r", streams[0])  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = _stream(1, "w", streams[1])  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = _stream(2, "w", streams[2])  # type: ignore[misc]
    sys.argv = ["caseterm", *argv]
    random.seed()
    try:
        os.chdir(str(request["cwd"]))
    except OSError as exc:
        print(f"caseterm: cannot enter {request['cwd']}: {exc.strerror}", file=sys.stderr)
        return 1
    from caseterm.cli.main import main

    try:
        code = int(main(argv))
    except SystemExit as done:
        code = _system_exit_code(done)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    return code


def _stream(fd: int, mode: str, info: dict[str, Any] | None) -> io.TextIOWrapper:
    """A standard stream opened as the client's interpreter opened its own."""
    info = info or {}
    return io.TextIOWrapper(
        open(fd, mode + "b", closefd=False),
        encoding=str(info.get("encoding") or "utf-8"),
        errors=str(info.get("errors") or "strict"),
        newline="\n",
        line_buffering=bool(info.get("line_buffering")),
    )


def _system_exit_code(done: SystemExit) -> int:
    """What the interpreter makes of `raise SystemExit(code)`."""
    if done.code is None:
        return 0
    if isinstance(done.code, int):
        return done.code
    print(done.code, file=sys.stderr)
    return 1
