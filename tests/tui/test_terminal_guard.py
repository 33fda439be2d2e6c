"""How the terminal guard tells that a terminal is gone: a real pseudo-terminal hung up, screen
writes that fail, screen writes that block (nobody reads them), and the parent process gone."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

import pytest
from textual.app import App

from caseterm.tui.forms import terminal_guard
from caseterm.tui.forms.terminal_guard import TerminalGuard, _Output


@pytest.fixture
def pty() -> Iterator[tuple[int, int]]:
    master, slave = os.openpty()
    yield master, slave
    for fd in (master, slave):
        with contextlib.suppress(OSError):  # the test may have closed it
            os.close(fd)


def guard(tty_fd: int) -> TerminalGuard:
    return TerminalGuard(App(), watch=False, tty_fd=tty_fd)


def test_a_live_terminal_is_fine_and_a_hung_up_one_is_noticed(pty: tuple[int, int]) -> None:
    master, slave = pty
    g = guard(slave)
    assert g.terminal_trouble() == ""
    os.close(master)  # the SSH connection (or the terminal window) goes: the pty hangs up
    assert g.terminal_trouble() == "the terminal was hung up"


class Failing:
    def write(self, text: str) -> None:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")

    def fileno(self) -> int:
        return 2


def test_a_failed_screen_write_marks_the_terminal_gone(pty: tuple[int, int]) -> None:
    g = guard(pty[1])
    g.output = _Output(Failing())  # type: ignore[arg-type]
    g.output.write("\x1b[?1049h")  # no exception reaches the writer thread
    assert g.output.gone
    assert g.terminal_trouble() == "the terminal could not be written to"


class Blocking:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()

    def write(self, text: str) -> None:
        self.entered.set()
        self.release.wait(10)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return 2


def test_a_screen_nobody_reads_is_noticed(
    pty: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terminal_guard, "STALLED_AFTER", 0.05)
    g = guard(pty[1])
    blocked = Blocking()
    g.output = _Output(blocked)  # type: ignore[arg-type]
    writer = threading.Thread(target=g.output.write, args=("x" * 10,))
    writer.start()
    assert blocked.entered.wait(5)
    try:
        deadline = time.monotonic() + 5
        while not g.terminal_trouble():  # noticed once the write has blocked long enough
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert g.terminal_trouble().startswith("the terminal read nothing for")
    finally:
        blocked.release.set()
        writer.join()
    assert g.terminal_trouble() == ""


def test_the_parent_gone_is_noticed(pty: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    g = guard(pty[1])
    monkeypatch.setattr(os, "getppid", lambda: 1)  # reparented to init
    assert g.terminal_trouble() == "the program that started caseterm has gone"


def test_a_served_workstation_watches_its_client_not_its_parent(
    pty: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Served by the resident process, the workstation's parent is the server (which may go
    while it runs): `watch_owner`'s check, on the client's connection, decides instead."""
    g = guard(pty[1])
    g._parent = -1  # the parent is no longer the process that started it
    assert g.terminal_trouble() == "the program that started caseterm has gone"
    gone = [False]
    monkeypatch.setattr(terminal_guard, "_owner_gone", None)  # put back after the test
    terminal_guard.watch_owner(lambda: gone[0])
    assert g.terminal_trouble() == ""
    gone[0] = True
    assert g.terminal_trouble() == "the program that started caseterm has gone"
