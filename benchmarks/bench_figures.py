"""Benchmarks of management information: the team board (cold in a fresh process, and
refreshed), every report over a year for an office, and a 100,000-row spreadsheet written in
constant memory: made-up rows (the writer alone), and a queue's rows read from the database (the
export a person runs: `caseterm queue show NAME --xlsx FILE`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from harness import Ctx, Samples, Unavailable, bench
from sqlmodel import col, select

from caseterm.core import clock
from caseterm.core.models import Office, Team
from caseterm.core.services import board, reports

COLD_RUNS = 5
XLSX_ROWS = 100_000
XLSX_PEAK_MIB = 200  # the whole process, written in XlsxWriter's constant-memory mode

# One board in a new process: imports, the first query plans and the working-day calendar all
# paid, as when a person presses B for the first time (the database is already open).
COLD = """
import json, sys, time
from datetime import datetime
from caseterm.core import clock
from caseterm.core.storage.opening import open_database
from caseterm.core.services.identity import resolve_actor
clock.freeze(datetime.fromisoformat(sys.argv[3]))
db = open_database(sys.argv[1]).db
with db.read() as s:
    actor = resolve_actor(s, sys.argv[2])
started, cpu = time.perf_counter(), time.process_time()
from caseterm.core.services import board
with db.read() as s:
    scope = board.resolve_scope(s, actor, code=sys.argv[4])
    board.team_board(s, actor, scope=scope)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000,
                  "cpu_ms": (time.process_time() - cpu) * 1000}))
"""

# A spreadsheet of XLSX_ROWS rows, with the peak memory of the process that wrote it.
XLSX = """
import json, resource, sys, time
from datetime import date, timedelta
from pathlib import Path
from caseterm.core import exports
n = int(sys.argv[2])
rows = ([i, f"Task {i}: chase the papers", date(2026, 1, 1) + timedelta(days=i % 300), i * 7]
        for i in range(n))
kinds = ["int", "text", "date", "pence"]
sheet = exports.Sheet("Queue", ["Id", "Title", "Due", "Amount"], kinds, rows)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
exports.write_xlsx(Path(sys.argv[1]), [sheet])
ms = (time.perf_counter() - started) * 1000
cpu_ms = (time.process_time() - cpu) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "peak_mib": peak / 1024,
                  "grew_mib": (peak - before) / 1024}))
"""


# The first XLSX_ROWS rows of a queue read from the database a page at a time, as `queue show
# --xlsx` reads them, written to a spreadsheet; the peak memory is the whole process's.
XLSX_QUEUE = """
import dataclasses, itertools, json, resource, sys, time
from datetime import datetime
from pathlib import Path
from caseterm.core import clock, exports
from caseterm.core.storage.opening import open_database
from caseterm.core.services import export_views
from caseterm.core.services.identity import resolve_actor
clock.freeze(datetime.fromisoformat(sys.argv[3]))
db = open_database(sys.argv[1]).db
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
with db.read() as s:
    actor = resolve_actor(s, sys.argv[2])
    sheet = export_views.queue_sheet(s, actor, key=sys.argv[4], title="All tasks")
    sheet = dataclasses.replace(sheet, rows=itertools.islice(sheet.rows, int(sys.argv[5])))
    n = exports.write_xlsx(Path(sys.argv[6]), [sheet])
ms = (time.perf_counter() - started) * 1000
cpu_ms = (time.process_time() - cpu) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "rows": n, "peak_mib": peak / 1024,
                  "grew_mib": (peak - before) / 1024}))
"""


def _team_codes(ctx: Ctx) -> list[str]:
    with ctx.db.read() as s:
        codes = list(s.exec(select(Team.code).order_by(col(Team.code))).all())
    if not codes:
        raise Unavailable("no team in the database")
    return codes


def _busiest_office(ctx: Ctx) -> str:
    with ctx.db.read() as s:
        office = s.exec(select(Office.code).order_by(col(Office.id))).first()
    if office is None:
        raise Unavailable("no office in the database")
    return office


@bench("board_cold", "team board, first time in a new process", target_ms=300, runs=COLD_RUNS)
def board_cold(ctx: Ctx) -> Samples:
    codes = _team_codes(ctx)
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(COLD_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", COLD, ctx.db.url, ctx.login, clock.now().isoformat(),
             codes[i % len(codes)]],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        got = json.loads(done.stdout)
        wall.append(got["ms"])
        cpu.append(got["cpu_ms"])
    return Samples(wall, cpu, note="imports and first queries included")


@bench("board_refresh", "team board, refreshed", target_ms=50)
def board_refresh(ctx: Ctx) -> Callable[[], object]:
    """Each team's board read again, as a refresh (`r`, or another process's commit) reads it:
    every team's board has been shown once before the timed runs (its statements built, its
    older days read: `board_history`)."""
    actor = ctx.actor()
    all_codes = _team_codes(ctx)
    codes = iter(all_codes * 1000)

    def run() -> object:
        with ctx.db.read() as s:
            scope = board.resolve_scope(s, actor, code=next(codes))
            return board.team_board(s, actor, scope=scope)

    for _ in all_codes:  # each board shown once: the timed runs are refreshes
        run()
    return run


def _report_year(name: str) -> Callable[[Ctx], Samples]:
    """Report `name` over the year to the demo's today for the first office (three runs)."""

    def measure(ctx: Ctx) -> Samples:
        actor = ctx.actor()
        office = _busiest_office(ctx)
        start = clock.today() - timedelta(days=364)
        wall: list[float] = []
        rows = 0
        for _ in range(3):
            began = time.perf_counter()
            with ctx.db.read() as s:
                scope = board.resolve_scope(s, actor, office=office)
                table = reports.run_report(s, actor, name=name, scope=scope, start=start)
            wall.append((time.perf_counter() - began) * 1000)
            rows = len(table.rows)
        return Samples(wall, note=f"office {office}, {rows} rows")

    return measure


# Every report in the catalogue, each its own line: the target holds for every one of them.
for _info in reports.list_reports():
    bench(
        f"report_year_{_info.name}",
        f"report over a year, an office: {_info.name}",
        target_ms=3000,
        runs=3,
    )(_report_year(_info.name))


@bench("xlsx_100k", "100,000-row XLSX written", target_ms=20_000, runs=1)
def xlsx_100k(ctx: Ctx) -> Samples:
    with TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-c", XLSX, str(Path(tmp) / "q.xlsx"), str(XLSX_ROWS)],
            capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
    got = json.loads(done.stdout)
    peak = f"peak {got['peak_mib']:.0f} MiB (target ≤ {XLSX_PEAK_MIB})"
    note = f"{peak}, grew {got['grew_mib']:.0f} MiB"
    return Samples([got["ms"]], [got["cpu_ms"]], note=note, unit="s")


@bench("xlsx_queue_100k", "100,000 queue rows read, written as XLSX", target_ms=20_000, runs=1)
def xlsx_queue_100k(ctx: Ctx) -> Samples:
    """The bench user's queue of every task (`tui_bench.bench_queue`, 160,000+ tasks on the
    large demo), its first 100,000 rows exported as `queue show --xlsx` exports them."""
    from tui_bench import bench_queue

    key, size, _ = bench_queue(ctx.db, ctx.login)
    if size < XLSX_ROWS:
        raise Unavailable(f"the largest queue has {size} tasks, fewer than {XLSX_ROWS}")
    with TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-c", XLSX_QUEUE, ctx.db.url, ctx.login, clock.now().isoformat(),
             key, str(XLSX_ROWS), str(Path(tmp) / "q.xlsx")],
            capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
    got = json.loads(done.stdout)
    peak = f"peak {got['peak_mib']:.0f} MiB (target ≤ {XLSX_PEAK_MIB})"
    note = f"{got['rows']} rows, {peak}, grew {got['grew_mib']:.0f} MiB"
    return Samples([got["ms"]], [got["cpu_ms"]], note=note, unit="s")
