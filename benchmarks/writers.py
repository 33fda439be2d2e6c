"""`make bench-writers`: N `caseterm contact add` processes started at once on one SQLite file.

Each writer is a new process, as a script or a colleague's terminal runs it: imports, opening the
database, the write (BEGIN IMMEDIATE, busy timeout) and the commit all paid. Reports wall p50 /
p99 / max from the moment all were started, the median CPU of one writer (its own user + system
time, from wait4), the CPU of all of them, and how long each held the write lock (the lock is
not what they queue for: see the hold column). Every round checks that all N entries landed.

    benchmarks/writers.py                     # builds a small demo into a temporary folder
    benchmarks/writers.py --db FILE           # an existing demo database (e.g. the large one)
    benchmarks/writers.py --writers 16 --rounds 5 --write   # also replace its section in results.md
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from resident_server import requests, resident_env, served_cpu_ms

HERE = Path(__file__).resolve().parent
MARK_START = "<!-- perf:writers -->"
MARK_END = "<!-- /perf:writers -->"
TARGET_P99_MS = 3000.0
LOGIN = "bench"

# Run in each writer: the CLI as installed, plus the wall and CPU time the write lock was held
# (BEGIN IMMEDIATE to COMMIT) printed on stderr for this benchmark only.
_WRITER = """
import sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine
held = {}
@event.listens_for(Engine, "begin")
def _begin(conn):
    held["begin"] = time.perf_counter()
@event.listens_for(Engine, "commit")
def _commit(conn):
    held["commit"] = time.perf_counter()
from caseterm.cli.main import main
code = main(sys.argv[1:])
if "begin" in held and "commit" in held:
    print(f"HELD {1000 * (held['commit'] - held['begin']):.1f}", file=sys.stderr)
raise SystemExit(code)
"""
# Without the lock probe: exactly what `caseterm` runs (the probe imports SQLAlchemy first).
_PLAIN = "from caseterm.cli.main import main; raise SystemExit(main(__import__('sys').argv[1:]))"


@dataclass
class Writer:
    wall_ms: float
    cpu_ms: float
    held_ms: float | None
    code: int
    stderr: str


def _env() -> dict[str, str]:
    # Each writer a new process (--resident adds the row served by the resident process).
    env = dict(os.environ, CASETERM_CONFIG="/nonexistent.toml", CASETERM_USER=LOGIN)
    return {**env, "CASETERM_RESIDENT": "off"}


def _build_small(folder: Path) -> Path:
    db = folder / "writers.db"
    subprocess.run(
        [sys.executable, "-m", "caseterm", "--db", str(db), "demo", "--size", "small"],
        env=_env(),
        check=True,
        capture_output=True,
    )
    return db


def _open_cases(db: Path, count: int) -> list[str]:
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT reference FROM case_file WHERE status = 'open' AND NOT restricted "
            "ORDER BY id LIMIT ?",
            (count,),
        ).fetchall()
    if len(rows) < count:
        raise SystemExit(f"{db}: fewer than {count} open cases")
    return [r[0] for r in rows]


def _entries(db: Path, note: str) -> int:
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT count(*) FROM contact_entry WHERE notes = ?", (note,)).fetchone()
    return int(row[0])


def one_round(
    db: Path, refs: list[str], note: str, *, probe: bool, env: dict[str, str] | None = None
) -> list[Writer]:
    """Start one writer per reference at once; wait for them all. With `env` (from
    resident_server.resident_env) each writer is `python -m caseterm`, served by the resident
    process (its CPU is then the client's own; the lock is not probed)."""
    code = _WRITER if probe else _PLAIN
    started: dict[int, tuple[float, subprocess.Popen[bytes]]] = {}
    for ref in refs:
        args = ["--db", str(db), "contact", "add", ref, "--type", "phone_in", "--notes", note]
        proc = subprocess.Popen(
            [sys.executable, *(["-m", "caseterm"] if env else ["-c", code]), *args],
            env=env or _env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started[proc.pid] = (time.perf_counter(), proc)
    first = min(t for t, _ in started.values())
    done: list[Writer] = []
    while started:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in started:
            continue
        _, proc = started.pop(pid)
        wall = (time.perf_counter() - first) * 1000
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace")
        proc.returncode = os.waitstatus_to_exitcode(status)
        held = re.search(r"^HELD ([0-9.]+)$", err, re.M)
        done.append(
            Writer(
                wall_ms=wall,
                cpu_ms=(usage.ru_utime + usage.ru_stime) * 1000,
                held_ms=float(held.group(1)) if held else None,
                code=proc.returncode,
                stderr=err.replace(held.group(0), "").strip() if held else err.strip(),
            )
        )
    return done


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _row(label: str, writers: list[Writer], load: float) -> str:
    wall = [w.wall_ms for w in writers]
    cpu = [w.cpu_ms for w in writers]
    held = [w.held_ms for w in writers if w.held_ms is not None]
    held_text = f"{statistics.median(held):.0f} / {max(held):.0f}" if held else "n/a"
    p99 = _pct(wall, 99)
    verdict = "pass" if p99 <= TARGET_P99_MS else "FAIL"
    return (
        f"| {label} | {len(writers)} | {_pct(wall, 50):,.0f} | {p99:,.0f} | "
        f"{statistics.median(cpu):,.0f} | {sum(cpu) / 1000:,.1f} s | {held_text} | {load:.1f} | "
        f"p99 ≤ {TARGET_P99_MS:,.0f} ms | {verdict} |"
    )


HEADER = (
    "| writers | runs | p50 wall ms | p99 wall ms | CPU ms per writer (median) | CPU of all | "
    "lock held ms (median / max) | load | target | |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
)


def _write_results(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{MARK_START}\n{text.rstrip()}\n{MARK_END}\n"
    if MARK_START in old and MARK_END in old:
        head, rest = old.split(MARK_START, 1)
        _, tail = rest.split(MARK_END, 1)
        new = head + block + tail.lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def _rounds(
    db: Path, refs: list[str], args: argparse.Namespace, env: dict[str, str] | None
) -> list[Writer] | str:
    """Every round's writers, checked: all succeeded and all their entries landed (else why
    not)."""
    note = f"writers benchmark {time.time_ns()}"
    every: list[Writer] = []
    for n in range(args.rounds):
        got = one_round(db, refs, note, probe=not args.no_probe and env is None, env=env)
        failed = [w for w in got if w.code]
        if failed:
            return f"round {n + 1}: {len(failed)} writers failed: {failed[0].stderr}"
        every.extend(got)
    landed = _entries(db, note)
    if landed != args.writers * args.rounds:
        return f"expected {args.writers * args.rounds} entries, found {landed}"
    if env is not None and requests(env) != args.writers * args.rounds:
        return f"the resident process served {requests(env)} of {args.writers * args.rounds}"
    if env is not None:  # each writer's CPU: its client's and its child's (an even share)
        child = served_cpu_ms(env) / len(every)
        every = [Writer(w.wall_ms, w.cpu_ms + child, w.held_ms, w.code, w.stderr) for w in every]
    return every


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, help="a demo database file (default: a new small demo)")
    p.add_argument("--writers", type=int, default=16)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--no-probe", action="store_true", help="plain writers (no lock timing)")
    p.add_argument(
        "--resident", action="store_true", help="also through the resident process (a second row)"
    )
    p.add_argument("--write", action="store_true", help="replace the section in results.md")
    p.add_argument("--results", type=Path, default=HERE / "results.md")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseterm-writers-") as tmp:
        db = args.db or _build_small(Path(tmp))
        refs = _open_cases(db, args.writers)
        lines = []
        variants = [("each a new process", False)]
        if args.resident:
            variants.append(("served by the resident process", True))
        for how, served in variants:
            with contextlib.ExitStack() as stack:
                env = stack.enter_context(resident_env(_env())) if served else None
                got = _rounds(db, refs, args, env)
            if isinstance(got, str):
                print(got)
                return 1
            label = (
                f"{args.writers} × `contact add` at once, {args.rounds} rounds ({db.name}), {how}"
            )
            lines.append(_row(label, got, os.getloadavg()[0]))
    line = "\n".join(lines)
    print(HEADER)
    print(line)
    if args.write:
        stamp = time.strftime("%Y-%m-%d", time.gmtime())
        _write_results(args.results, f"{HEADER}\n{line}\n\n(`benchmarks/writers.py`, {stamp})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
