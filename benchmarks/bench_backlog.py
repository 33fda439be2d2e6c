"""A backlog of due clocks raised by a fresh process, as the first workstation opened after a long
gap raises it (`clock_scheduler.raise_due`, a batch per transaction), with the process's peak
memory; and the same backlog raised in one transaction (how it was raised before batches), for
comparison; and the workstation's key-to-screen while it raises such a backlog itself. Each runs
on its own copy of the demo database (SQLite: the batches commit, and the cached demo must stay
as it was)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from harness import Ctx, Samples, Unavailable, bench
from tui_bench import TEST_LAUNCHER, Terminal, _env

from caseterm.core import clock
from caseterm.core.services import queues
from caseterm.core.services.identity import resolve_actor

BACKLOG = 80_000  # about what the extra-large demo's first workstation found due (76,463)
PEAK_MIB = 200  # the workstation's peak on the extra-large database (issue 16)

# The backlog: BACKLOG running clocks past their end, on as many cases (its own process, so the
# process that raises them starts as a workstation does).
SETUP = """
import sys
from datetime import datetime, timedelta
from sqlalchemy import insert, select
from sqlmodel import col
from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseFile
from caseterm.core.storage.opening import open_database
path, at, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
clock.freeze(datetime.fromisoformat(at))
today = clock.today()
db = open_database(path).db
with db.write() as s:
    cases = list(s.execute(select(col(CaseFile.id)).limit(n)).scalars())
    s.execute(insert(CaseClock), [
        {"case_id": cid, "clock": "backlog", "label": "Backlog clock",
         "started_on": today - timedelta(days=60), "due_date": today - timedelta(days=1 + i % 30),
         "warn_date": None, "task_kind": "deadline", "team_code": "", "priority": 2,
         "stopped_by": "", "status": "running", "reason": "", "version": 1}
        for i, cid in enumerate(cases)])
"""

# Everything due raised, as the workstation raises it, with the process's peak memory.
RAISE = """
import json, resource, sys, time
from datetime import datetime
from caseterm.core import clock
from caseterm.core.services import clock_scheduler
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.opening import open_database
path, login, at, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
clock.freeze(datetime.fromisoformat(at))
db = open_database(path).db
with db.read() as s:
    actor = resolve_actor(s, login)
batches = []
def write(work):
    with db.write() as s:
        return work(s)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
count = clock_scheduler.raise_due(write, actor, batch=batch, each=lambda r: batches.append(r.count))
ms = (time.perf_counter() - started) * 1000
cpu_ms = (time.process_time() - cpu) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "raised": count, "batches": len(batches),
                  "peak_mib": peak / 1024, "grew_mib": (peak - before) / 1024}))
"""


def _copy(ctx: Ctx, to: Path) -> None:
    source = ctx.db.url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(to) as dst:
        src.backup(dst)


def _with_backlog(ctx: Ctx, tmp: str) -> Path:
    """A copy of the demo in `tmp` with BACKLOG clocks past their end."""
    copy = Path(tmp) / "backlog.db"
    _copy(ctx, copy)
    subprocess.run(
        [sys.executable, "-c", SETUP, str(copy), clock.now().isoformat(), str(BACKLOG)],
        capture_output=True, text=True, check=True, timeout=3600,
    )  # fmt: skip
    return copy


def _beside(ctx: Ctx) -> TemporaryDirectory[str]:
    if ctx.backend != "sqlite":
        raise Unavailable("run on a copy of the SQLite demo (the batches commit)")
    return TemporaryDirectory(dir=Path(ctx.db.url.removeprefix("sqlite:///")).parent)


def _raise(ctx: Ctx, batch: int) -> Samples:
    with _beside(ctx) as tmp:
        copy = _with_backlog(ctx, tmp)
        at = clock.now().isoformat()
        done = subprocess.run(
            [sys.executable, "-c", RAISE, str(copy), ctx.login, at, str(batch)],
            capture_output=True, text=True, check=True, timeout=3600,
        )  # fmt: skip
    got = json.loads(done.stdout)
    note = (
        f"{got['raised']:,} raised in {got['batches']} transaction(s), peak"
        f" {got['peak_mib']:.0f} MiB (target ≤ {PEAK_MIB}), grew {got['grew_mib']:.0f} MiB"
    )
    return Samples([got["ms"]], [got["cpu_ms"]], note=note, unit="s")


@bench("scheduler_backlog", f"backlog of {BACKLOG:,} due raised in batches", runs=1)
def scheduler_backlog(ctx: Ctx) -> Samples:
    from caseterm.core.services import clock_scheduler

    return _raise(ctx, clock_scheduler.BATCH)


@bench("scheduler_backlog_one", f"backlog of {BACKLOG:,} due in one transaction", runs=1)
def scheduler_backlog_one(ctx: Ctx) -> Samples:
    return _raise(ctx, BACKLOG * 2)


KEYS_SECONDS = 20.0  # keys pressed over the first part of the raise (it takes about 30 s)


@bench(
    "tui_cursor_while_raising",
    f"TUI key-to-screen: cursor move while the workstation raises a backlog of {BACKLOG:,} (pty)",
    target_ms=16,
)
def tui_cursor_while_raising(ctx: Ctx) -> Samples:
    """The workstation opened on a copy with the backlog: from its first rows, `j` and `k` in
    turn (ten each, staying in My work) for KEYS_SECONDS while its worker thread raises."""
    with ctx.db.read() as s:
        actor = resolve_actor(s, ctx.login)
        first = queues.queue_page(s, actor, key="my_work", limit=1)
    if not first:
        raise Unavailable(f"{ctx.login} has no tasks in My work")
    with _beside(ctx) as tmp:
        copy = _with_backlog(ctx, tmp)
        term = Terminal(
            [sys.executable, str(TEST_LAUNCHER), "--db", str(copy)], _env(ctx.login, clock.now())
        )
        try:
            term.wait_for_text(first[0].case_reference)
            ms: list[float] = []
            started = time.perf_counter()
            while time.perf_counter() - started < KEYS_SECONDS:
                ms.append(term.press(b"j" if len(ms) % 20 < 10 else b"k")[0])
        finally:
            term.close()
    return Samples(wall_ms=ms, note=f"{len(ms)} keys over the raise's first {KEYS_SECONDS:g} s")
