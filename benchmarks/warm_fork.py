"""What a CLI command would cost if a warm process served it (a measurement, not a feature).

A parent imports what the commands need once (the CLI, every table, the mappers configured, the
command modules), then forks a child per command that runs `caseterm.cli.main.main(argv)` as a
new process would; each child's own CPU and wall (fork to exit) are taken from `wait4`. Compare
with `caseterm ARGS` started afresh (also timed here). This is the lower bound for a resident
process serving CLI calls (issue 16); caseterm has no such process.

    benchmarks/warm_fork.py --db FILE [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

MODULES = (
    "caseterm.cli.context",
    "caseterm.cli.search_cmd",
    "caseterm.cli.queue_cmds",
    "caseterm.cli.case_cmds",
    "caseterm.cli.diary_cmds",
    "caseterm.cli.contact_cmds",
)


def _commands(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as con:
        ref = con.execute(
            "SELECT reference FROM case_file WHERE status = 'open' AND NOT restricted "
            "ORDER BY id LIMIT 1"
        ).fetchone()[0]
        team = con.execute("SELECT code FROM team ORDER BY code LIMIT 1").fetchone()[0]
    base = ["--db", str(db)]
    return {
        "search wilson": [*base, "search", "wilson"],
        "queue show my_work": [*base, "queue", "show", "my_work"],
        "case show REF": [*base, "case", "show", ref],
        "diary today --team T": [*base, "diary", "today", "--team", team],
        "contact add": [*base, "contact", "add", ref, "--type", "phone_in", "--notes", "warm"],
    }


def _forked(argv: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: what a served command would run
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        from caseterm.cli.main import main

        os._exit(main(argv))
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - started) * 1000
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"caseterm {' '.join(argv)} failed in the forked child")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def _fresh(argv: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "caseterm", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = (time.perf_counter() - started) * 1000
    if proc.returncode:
        assert proc.stderr is not None
        raise SystemExit(f"caseterm {' '.join(argv)}: {proc.stderr.read().decode()[-300:]}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True, help="a demo database file")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    os.environ.update(CASETERM_CONFIG="/nonexistent.toml", CASETERM_USER="bench")
    commands = _commands(args.db)
    started = time.process_time()
    for name in MODULES:
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    from caseterm.core.models import load_all

    load_all()
    configure_mappers()
    warm_ms = (time.process_time() - started) * 1000
    gc.freeze()  # the children share these pages; their collections do not walk them
    print(f"warming the parent: {warm_ms:,.0f} ms CPU (once)")
    print("| command | fresh process: CPU / wall ms | forked from a warm one: CPU / wall ms |")
    print("|---|---:|---:|")
    for label, argv in commands.items():
        fresh = [_fresh(argv) for _ in range(args.runs)]
        warm = [_forked(argv) for _ in range(args.runs)]
        f_cpu = statistics.median(c for _, c in fresh)
        f_wall = statistics.median(w for w, _ in fresh)
        w_cpu = statistics.median(c for _, c in warm)
        w_wall = statistics.median(w for w, _ in warm)
        print(f"| `{label}` | {f_cpu:,.0f} / {f_wall:,.0f} | {w_cpu:,.0f} / {w_wall:,.0f} |")
    print(f"load {os.getloadavg()[0]:.1f}, medians of {args.runs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
