"""The benchmark harness: a registry of named benchmarks, timing, statistics and the results table.

A benchmark is a function decorated with `@bench(...)` in any `benchmarks/bench_*.py` file. It
receives the `Ctx` (database, acting login, a seeded random generator) and returns either
- a callable: the harness runs it a few times to warm up, then `runs` times, timing each call
  (wall clock and this process's CPU time), or
- `Samples`: timings it measured itself (a cold start in a pseudo-terminal, a build time).
Raising `Unavailable` (or ImportError: a service not written yet) marks the row "n/a".
"""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from random import Random
from typing import Any

from caseterm.core.services.identity import Actor, resolve_actor
from caseterm.core.storage.database import Database

WARMUP = 3


class Unavailable(Exception):
    """The thing measured does not exist yet (or not on this backend)."""


@dataclass
class Samples:
    wall_ms: list[float]
    cpu_ms: list[float] = field(default_factory=list)
    note: str = ""
    unit: str = "ms"  # how to show them: "ms" or "s"


@dataclass
class Ctx:
    db: Database
    backend: str  # sqlite | postgresql
    login: str  # the demo user, enrolled with a caseload
    runs: int
    rng: Random
    demo_seconds: float | None = None  # how long the demo build took
    demo_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self) -> Actor:
        with self.db.read() as s:
            return resolve_actor(s, self.login)


Made = Callable[[], object] | Samples


@dataclass
class Bench:
    key: str
    label: str
    target_ms: float | None  # p95 target; None: reported only
    fn: Callable[[Ctx], Made]
    runs: int | None = None  # overrides --runs (slow things)


REGISTRY: list[Bench] = []


def bench(
    key: str, label: str, *, target_ms: float | None = None, runs: int | None = None
) -> Callable[[Callable[[Ctx], Made]], Callable[[Ctx], Made]]:
    def register(fn: Callable[[Ctx], Made]) -> Callable[[Ctx], Made]:
        REGISTRY.append(Bench(key, label, target_ms, fn, runs))
        return fn

    return register


@dataclass
class Result:
    bench: Bench
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    note: str = ""
    error: str = ""
    broken: bool = False
    unit: str = "ms"

    @property
    def p50(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def p95(self) -> float:
        return percentile(self.wall_ms, 95)

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR" if self.broken else "n/a"
        if self.bench.target_ms is None:
            return "—"
        return "pass" if self.p95 <= self.bench.target_ms else "FAIL"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def run_bench(b: Bench, ctx: Ctx) -> Result:
    try:
        made = b.fn(ctx)
        if isinstance(made, Samples):
            return Result(b, made.wall_ms, made.cpu_ms, made.note, unit=made.unit)
        for _ in range(WARMUP):
            made()
        result = Result(b)
        for _ in range(b.runs or ctx.runs):
            c0, t0 = time.process_time(), time.perf_counter()
            made()
            t1, c1 = time.perf_counter(), time.process_time()
            result.wall_ms.append((t1 - t0) * 1000)
            result.cpu_ms.append((c1 - c0) * 1000)
        return result
    except (Unavailable, ImportError) as exc:
        return Result(b, error=f"n/a: {exc}")
    except Exception as exc:  # a broken benchmark or service: shown, and the run fails
        return Result(b, error=f"ERROR {type(exc).__name__}: {exc}", broken=True)


def _fmt(value_ms: float, unit: str = "ms") -> str:
    if unit == "s":
        return f"{value_ms / 1000:,.1f} s"
    return f"{value_ms:,.1f}" if value_ms < 1000 else f"{value_ms:,.0f}"


HEADER = (
    "| benchmark | runs | median ms | p95 ms | max ms | CPU median / p95 ms | target | result |",
    "|---|---:|---:|---:|---:|---:|---|---|",
)


def table(results: list[Result]) -> list[str]:
    lines = list(HEADER)
    for r in results:
        target = f"p95 ≤ {r.bench.target_ms:g} ms" if r.bench.target_ms else "report only"
        label = r.bench.label + (f" ({r.note})" if r.note else "")
        if r.error:
            lines.append(f"| {label} | 0 | | | | | {target} | {r.error} |")
            continue
        u = r.unit
        cpu = (
            f"{_fmt(statistics.median(r.cpu_ms), u)} / {_fmt(percentile(r.cpu_ms, 95), u)}"
            if r.cpu_ms
            else ""
        )
        lines.append(
            f"| {label} | {len(r.wall_ms)} | {_fmt(r.p50, u)} | {_fmt(r.p95, u)} | "
            f"{_fmt(max(r.wall_ms), u)} | {cpu} | {target} | {r.verdict} |"
        )
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores "
        f"({cpu}){mem}; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}"
    )


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def section(backend: str, header: list[str], results: list[Result]) -> str:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"<!-- bench:{backend} -->",
        f"## {backend} — {when}",
        "",
        *header,
        "",
        *table(results),
    ]
    lines.append(f"<!-- /bench:{backend} -->")
    return "\n".join(lines)


PREAMBLE = """# Benchmark results

Written by `make bench` (`benchmarks/run.py`; see `benchmarks/README.md`). Each database backend
has its own section, replaced whenever the suite runs against that backend. Times are per call,
wall clock, including opening and closing the session; "CPU" is this process's own CPU time,
which shows how much of a slow run was other processes competing for the machine.
"""


def write_results(path: Path, backend: str, text: str) -> None:
    """Replace this backend's section of the results file, keeping the others."""
    old = path.read_text() if path.exists() else PREAMBLE
    start, end = f"<!-- bench:{backend} -->", f"<!-- /bench:{backend} -->"
    if start in old and end in old:
        before, rest = old.split(start, 1)
        after = rest.split(end, 1)[1]
        new = before + text + after
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new)


BACKENDS = ("sqlite", "postgresql")


def _section_rows(text: str, backend: str) -> dict[str, tuple[str, str, str]]:
    """{benchmark label: (median, p95, target)} read back from one backend's section."""
    start, end = f"<!-- bench:{backend} -->", f"<!-- /bench:{backend} -->"
    if start not in text or end not in text:
        return {}
    body = text.split(start, 1)[1].split(end, 1)[0]
    rows: dict[str, tuple[str, str, str]] = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 8 or cells[0] in ("benchmark", "---") or cells[0].startswith("-"):
            continue
        label = cells[0].split(" (")[0]
        rows[label] = (cells[2], cells[3], cells[6])
    return rows


def write_comparison(path: Path) -> None:
    """One table with both backends side by side (median / p95), from their latest sections."""
    text = path.read_text()
    found = {b: _section_rows(text, b) for b in BACKENDS}
    if not all(found.values()):
        return
    lines = [
        "<!-- bench:compare -->",
        "## SQLite and PostgreSQL side by side (median / p95 ms, latest run of each)",
        "",
        "| benchmark | target | SQLite | PostgreSQL |",
        "|---|---|---:|---:|",
    ]
    for label, (med, p95, target) in found["sqlite"].items():
        other = found["postgresql"].get(label)
        pg = f"{other[0]} / {other[1]}" if other and other[0] else "n/a"
        lines.append(f"| {label} | {target} | {med} / {p95} | {pg} |")
    lines.append("<!-- /bench:compare -->")
    write_results(path, "compare", "\n".join(lines))
