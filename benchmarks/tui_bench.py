"""The workstation as a person meets it, in a pseudo-terminal, on the large demo database:

- cold start: from starting `python -m caseterm --db …` to its first queue rows on screen, in a
  process of its own (no resident process) and served by the resident process (a child forked
  from a server that has the libraries and screens loaded), each started in turn with the
  floor (a bare Textual app importing sqlmodel, one row);
- key-to-screen: from writing a key to the end of the frame that shows its effect, for cursor
  moves (`j`) and page-down in a queue of 100k+ tasks (a saved queue "All tasks (bench)" over
  every task, created once for the benchmark user), and how long until a page-down's rows are
  all on screen;
- peak memory (VmHWM) of the workstation after that scrolling.

The pseudo-terminal answers the program's query for synchronized output (mode 2026), as modern
terminals do, so every frame arrives between `ESC[?2026h` and `ESC[?2026l` and its end can be
timed exactly. Pilot is not used: it waits for idle and measures itself, not the screen.

Standalone: `.venv/bin/python benchmarks/tui_bench.py [--db PATH] [--runs N]`. In the suite:
registered with the harness when this module is imported (see `run.py`'s `_load_suites`).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Starts caseterm with the benchmark's clock (the program itself reads only the real time).
TEST_LAUNCHER = HERE.parent / "tests" / "launch.py"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import Ctx, Samples, Unavailable, bench, percentile  # noqa: E402
from resident_server import resident_env  # noqa: E402

from caseterm.core import clock  # noqa: E402
from caseterm.core.services import queues, saved_queues  # noqa: E402
from caseterm.core.services.identity import resolve_actor  # noqa: E402
from caseterm.core.storage.database import Database  # noqa: E402

COLS, ROWS = 120, 40
BENCH_QUEUE = "All tasks (bench)"
COLD_RUNS = 7
KEY_RUNS = 200
PAGE_RUNS = 100
RSS_TARGET_MB = 200
SETTLE = 0.12  # seconds of silence after which the screen is taken as finished

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # supported, currently off
FRAME_END = b"\x1b[?2026l"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]")
PAGE_DOWN = b"\x1b[6~"
PAGE_UP = b"\x1b[5~"
MOST_ROWS_A_PAGE = 100  # more than any terminal shows: a queue this long a page never ends

# The workstation on one queue, exactly as `caseterm --db` starts it (`cli.main.main` turns the
# collector off first) but for the first queue.
LAUNCH = """
import argparse, gc, sys
gc.disable()
from caseterm.cli.workstation import run_workstation
run_workstation(argparse.Namespace(db=sys.argv[1]), start_queue=sys.argv[2])
"""

# The floor issue 16 measures the cold start against: a bare Textual app that imports sqlmodel
# and paints one row of a table, started and timed the same way.
FLOOR = """
import gc
gc.disable()
import sqlmodel
from textual.app import App
from textual.widgets import DataTable

class Floor(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Case")
        table.add_row("FLOOR/ROW/1")

Floor().run()
"""


class Terminal:
    """A child process on a pseudo-terminal of COLS × ROWS."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.seen = b""
        self.replied = False

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.seen = (self.seen[-16:] + data)[-(1 << 16) :]
        if not self.replied and SYNC_QUERY in self.seen:
            os.write(self.fd, SYNC_REPLY)
            self.replied = True
        return data

    def wait_for_text(self, text: str, timeout: float = 60.0) -> float:
        """Seconds since start until `text` is on screen."""
        wanted = text.encode()
        plain = b""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            data = self.read(0.01)
            if data:
                plain = (plain + ANSI.sub(b"", data))[-(1 << 16) :]
                if wanted in plain:
                    return time.perf_counter() - self.started
        raise TimeoutError(f"{text!r} did not appear within {timeout} s")

    def drain(self) -> None:
        while self.read(SETTLE):
            pass

    def press(self, key: bytes) -> tuple[float, float]:
        """(ms to the end of the first frame after `key`, ms to the end of the last frame before
        the screen went quiet)."""
        self.drain()
        t0 = time.perf_counter()
        os.write(self.fd, key)
        first = last = None
        pending = b""
        while True:
            data = self.read(SETTLE if first is not None else 5.0)
            if not data:
                break
            pending = (pending + data)[-64:]
            if FRAME_END in data or FRAME_END in pending:
                last = time.perf_counter()
                first = first or last
                pending = b""
        if first is None or last is None:
            raise TimeoutError("no frame after the key")
        return (first - t0) * 1000, (last - t0) * 1000

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid}/status").read_text()
        kb = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])  # type: ignore[index]
        return kb / 1024

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
class Measured:
    cold_ms: list[float] = field(default_factory=list)
    served_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    cursor_ms: list[float] = field(default_factory=list)
    page_first_ms: list[float] = field(default_factory=list)
    page_rows_ms: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    queue_size: int = 0
    note: str = ""


def _env(login: str, now: datetime) -> dict[str, str]:
    return {
        **os.environ,
        "CASETERM_USER": login,
        "CASETERM_TEST_CLOCK": now.isoformat(),
        "CASETERM_CONFIG": "/nonexistent/caseterm.toml",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }


def bench_queue(db: Database, login: str) -> tuple[str, int, str]:
    """The saved queue over every task (any status, anyone's): (key, size, first reference)."""
    with db.read() as s:
        actor = resolve_actor(s, login)
        saved = [q for q in queues.list_queues(s, actor) if q.name == BENCH_QUEUE]
    if not saved:
        with db.write() as s:
            saved_queues.save_queue(
                s, actor, name=BENCH_QUEUE, flt=saved_queues.QueueFilter(status=None)
            )
        with db.read() as s:
            saved = [q for q in queues.list_queues(s, actor) if q.name == BENCH_QUEUE]
    key = saved[0].key
    with db.read() as s:
        size = queues.queue_count(s, actor, key)
        first = queues.queue_page(s, actor, key=key, limit=1)[0].case_reference
    return key, size, first


def measure(
    db: Database, login: str, now: datetime, *, cold_runs: int, key_runs: int, page_runs: int
) -> Measured:
    target = str(db.path) if db.path is not None else db.url  # a SQLite file, or PostgreSQL
    env = _env(login, now)
    out = Measured()
    with db.read() as s:
        actor = resolve_actor(s, login)
        mine = queues.queue_page(s, actor, key="my_work", limit=1)
    if not mine:
        raise Unavailable(f"{login} has no tasks in My work")
    # The floor, the workstation in a process of its own, and served, in turn (the same load).
    # The resident server is started with the benchmark's clock (tests/launch.py), as the
    # workstation started on its own is.
    with resident_env(env, frozen=True) as served_env:
        for _ in range(cold_runs):
            out.floor_ms.append(_first(Terminal([sys.executable, "-c", FLOOR], env), "FLOOR/ROW/1"))
            alone = Terminal([sys.executable, str(TEST_LAUNCHER), "--db", target], env)
            out.cold_ms.append(_first(alone, mine[0].case_reference))
            served = Terminal([sys.executable, "-m", "caseterm", "--db", target], served_env)
            out.served_ms.append(_first(served, mine[0].case_reference))
    key, out.queue_size, first = bench_queue(db, login)
    term = Terminal([sys.executable, "-c", LAUNCH, target, key], env)
    try:
        term.wait_for_text(first)
        for _ in range(key_runs):
            out.cursor_ms.append(term.press(b"j")[0])
        # A queue too short to page down `page_runs` times (the small demo's) is paged down and
        # up in turn: at its end a page-down changes nothing on the screen.
        short = out.queue_size < key_runs + page_runs * MOST_ROWS_A_PAGE
        for i in range(page_runs):
            first_ms, rows_ms = term.press(PAGE_UP if short and i % 2 else PAGE_DOWN)
            out.page_first_ms.append(first_ms)
            out.page_rows_ms.append(rows_ms)
        out.rss_mb = term.peak_rss_mb()
    finally:
        term.close()
    load = os.getloadavg()[0]
    out.note = (
        f"{out.queue_size:,}-task queue; peak RSS {out.rss_mb:.0f} MB (target ≤ "
        f"{RSS_TARGET_MB}); load {load:.1f}"
    )
    return out


def _first(term: Terminal, text: str) -> float:
    """Milliseconds from starting `term`'s program until `text` is on its screen; then quit."""
    try:
        return term.wait_for_text(text) * 1000
    finally:
        term.close()


_measured: Measured | None = None


def _once(ctx: Ctx) -> Measured:
    global _measured
    if _measured is None:  # run.py froze the clock at the demo's build time
        _measured = measure(
            ctx.db,
            ctx.login,
            clock.now(),
            cold_runs=COLD_RUNS,
            key_runs=KEY_RUNS,
            page_runs=PAGE_RUNS,
        )
    return _measured


def _ratio(m: Measured, ms: list[float]) -> str:
    return f"{statistics.median(ms) / statistics.median(m.floor_ms):.2f}× the floor, medians"


@bench(
    "tui_cold_start",
    "TUI cold start to first queue rows, a process of its own (pty)",
    target_ms=1200,
)
def tui_cold_start(ctx: Ctx) -> Samples:
    m = _once(ctx)
    return Samples(wall_ms=m.cold_ms, note=_ratio(m, m.cold_ms))


@bench(
    "tui_cold_start_resident",
    "TUI cold start to first queue rows, served by the resident process (pty)",
    target_ms=1200,
)
def tui_cold_start_resident(ctx: Ctx) -> Samples:
    m = _once(ctx)
    return Samples(wall_ms=m.served_ms, note=_ratio(m, m.served_ms))


@bench("tui_floor", "the floor: a bare Textual app importing sqlmodel, one row (pty)")
def tui_floor(ctx: Ctx) -> Samples:
    return Samples(wall_ms=_once(ctx).floor_ms)


@bench("tui_cursor_move", "TUI key-to-screen: cursor move (pty)", target_ms=16)
def tui_cursor_move(ctx: Ctx) -> Samples:
    m = _once(ctx)
    return Samples(wall_ms=m.cursor_ms, note=m.note)


@bench("tui_page_down", "TUI key-to-screen: page-down (pty)", target_ms=16)
def tui_page_down(ctx: Ctx) -> Samples:
    m = _once(ctx)
    return Samples(wall_ms=m.page_first_ms, note=m.note)


@bench("tui_page_down_rows", "TUI page-down until its rows are all shown (pty)")
def tui_page_down_rows(ctx: Ctx) -> Samples:
    return Samples(wall_ms=_once(ctx).page_rows_ms)


def _summary(name: str, values: list[float], target: float | None, unit: str = "ms") -> str:
    p50, p95 = statistics.median(values), percentile(values, 95)
    verdict = "" if target is None else ("  pass" if p95 <= target else "  FAIL")
    goal = f"  (target p95 ≤ {target:g} {unit})" if target is not None else ""
    spread = f"median {p50:8.1f}  p95 {p95:8.1f}  max {max(values):8.1f} {unit}"
    return f"{name:<40} {spread}{goal}{verdict}"


def main(argv: list[str] | None = None) -> int:
    from demo_cache import LOGIN, prepare_sqlite

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=("large", "small"), default="large")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--cold-runs", type=int, default=COLD_RUNS)
    p.add_argument("--key-runs", type=int, default=KEY_RUNS)
    p.add_argument("--page-runs", type=int, default=PAGE_RUNS)
    args = p.parse_args(argv)
    prepared = prepare_sqlite(args.size, args.seed, rebuild=False)
    clock.freeze(prepared.built_at)
    m = measure(
        prepared.db,
        LOGIN,
        prepared.built_at,
        cold_runs=args.cold_runs,
        key_runs=args.key_runs,
        page_runs=args.page_runs,
    )
    print(f"{args.size} demo, {COLS}×{ROWS} pty; {m.note}")
    print(_summary("cold start to first queue rows", m.cold_ms, 1200))
    print(_summary("served by the resident process", m.served_ms, 1200))
    print(_summary("the floor (bare Textual + sqlmodel, one row)", m.floor_ms, None))
    print(_summary("cursor move (j), key to frame", m.cursor_ms, 16))
    print(_summary("page-down, key to frame", m.page_first_ms, 16))
    print(_summary("page-down, key to all rows shown", m.page_rows_ms, None))
    ok = m.rss_mb <= RSS_TARGET_MB
    print(
        f"{'peak RSS':<44} {m.rss_mb:.0f} MB  (target ≤ {RSS_TARGET_MB} MB)  "
        f"{'pass' if ok else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
