"""Benchmarks of the command line: each command in a new process, as a person or a script runs
it (imports, opening the database and the first queries all paid), and 16 writes started at once
on one database. Wall time and the child's own CPU time (user + system), so a busy machine shows
as wall ≫ CPU. Needs a SQLite database: a CLI process opens the file itself."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from harness import Ctx, Samples, Unavailable, bench
from resident_server import requests, resident_env, served_cpu_ms, status, wait_warm
from sqlmodel import col, select
from writers import one_round

from caseterm.core.models import CaseFile, Team
from caseterm.core.models.vocab import CaseStatus

RUNS = 5
WRITERS = 16


def _env() -> dict[str, str]:
    # The benchmark user on the demo database (a demo honours CASETERM_USER), no config file;
    # each command in a process of its own (the resident process has its own rows below).
    return dict(
        os.environ,
        CASETERM_CONFIG="/nonexistent.toml",
        CASETERM_USER="bench",
        CASETERM_RESIDENT="off",
    )


def _path(ctx: Ctx) -> str:
    path = ctx.db.path
    if path is None:
        raise Unavailable("the CLI benchmarks run on a SQLite file")
    return str(path)


def _timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall ms, CPU ms) of one `caseterm ARGS` in a new process (the CPU is the client's own
    when a resident process serves it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "caseterm", *args],
        env=env or _env(),
        capture_output=True,
        timeout=300,
    )
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"caseterm {' '.join(args)}: {done.stderr.decode()[-300:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _commands(ctx: Ctx) -> dict[str, list[str]]:
    db = _path(ctx)
    with ctx.db.read() as s:
        ref = s.exec(select(CaseFile.reference).order_by(col(CaseFile.id))).first()
        team = s.exec(select(Team.code).order_by(col(Team.code))).first()
    if ref is None or team is None:
        raise Unavailable("no case or team in the database")
    return {
        "search": ["--db", db, "search", "wilson"],
        "queue": ["--db", db, "queue", "show", "my_work"],
        "case": ["--db", db, "case", "show", ref],
        "diary": ["--db", db, "diary", "today", "--team", team],
    }


@bench("cli_version", "caseterm --version (new process)", target_ms=100, runs=RUNS)
def cli_version(ctx: Ctx) -> Samples:
    got = [_timed(["--version"]) for _ in range(RUNS)]
    return Samples([w for w, _ in got], [c for _, c in got])


def _one(name: str, label: str) -> None:
    @bench(f"cli_{name}", f"caseterm {label} (new process)", target_ms=300, runs=RUNS)
    def run(ctx: Ctx) -> Samples:
        args = _commands(ctx)[name]
        got = [_timed(args) for _ in range(RUNS)]
        return Samples([w for w, _ in got], [c for _, c in got])


_one("search", "search wilson")
_one("queue", "queue show my_work")
_one("case", "case show REF")
_one("diary", "diary today --team T")


def _served(name: str, label: str) -> None:
    @bench(
        f"cli_{name}_resident",
        f"caseterm {label} (served by the resident process)",
        target_ms=300,
        runs=RUNS,
    )
    def run(ctx: Ctx) -> Samples:
        args = _commands(ctx)[name]
        with resident_env(_env()) as env:
            _timed(args, env)  # the server's first child (its engine compiles afresh)
            warmed = wait_warm(env, 1)  # the server runs it again itself, to compile its SQL
            first = served_cpu_ms(env)
            got = [_timed(args, env) for _ in range(RUNS)]
            served, child_ms = requests(env), (served_cpu_ms(env) - first) / RUNS
            warm = int(str(status(env).get("served_warm", 0)))
        if served != RUNS + 1:
            raise RuntimeError(f"the resident process served {served} of {RUNS + 1} commands")
        return Samples(
            [w for w, _ in got],
            [c + child_ms for _, c in got],
            note=f"CPU: the client and the mean of its child; {warm} of {RUNS} served with the "
            f"warm engine (warming it: {warmed.get('warming_cpu_ms')} ms CPU of the server's, "
            "once)",
        )


_served("search", "search wilson")
_served("queue", "queue show my_work")
_served("case", "case show REF")
_served("diary", "diary today --team T")


def _open_refs(ctx: Ctx) -> list[str]:
    with ctx.db.read() as s:
        # Open, unrestricted cases: a closed or archived one refuses a contact without
        # --to-closed-case (the small demo's first cases are archived).
        refs = list(
            s.exec(
                select(CaseFile.reference)
                .where(col(CaseFile.status) == CaseStatus.OPEN, col(CaseFile.restricted).is_(False))
                .order_by(col(CaseFile.id))
                .limit(WRITERS)
            )
        )
    if len(refs) < WRITERS:
        raise Unavailable(f"fewer than {WRITERS} open cases")
    return refs


@bench(
    "cli_writes_at_once",
    f"{WRITERS} CLI writes started at once on one database (contact add)",
    target_ms=3000,
    runs=WRITERS,
)
def cli_writes_at_once(ctx: Ctx) -> Samples:
    db = _path(ctx)
    refs = _open_refs(ctx)
    # One CPU figure per writer (its own rusage from wait4): the RUSAGE_CHILDREN difference
    # around each of 16 threads counted the other writers' CPU too.
    got = one_round(Path(db), refs, "benchmark", probe=False)
    failed = [w for w in got if w.code]
    if failed:
        raise RuntimeError(f"{len(failed)} writers failed: {failed[0].stderr[-300:]}")
    return Samples([w.wall_ms for w in got], [w.cpu_ms for w in got], note="each a new process")


@bench(
    "cli_writes_at_once_resident",
    f"{WRITERS} CLI writes started at once, served by the resident process (contact add)",
    target_ms=3000,
    runs=WRITERS,
)
def cli_writes_at_once_resident(ctx: Ctx) -> Samples:
    db = _path(ctx)
    refs = _open_refs(ctx)
    with resident_env(_env()) as env:
        got = one_round(Path(db), refs, "benchmark, resident", probe=False, env=env)
        served, child_ms = requests(env), served_cpu_ms(env) / WRITERS
    if served != WRITERS:
        raise RuntimeError(f"the resident process served {served} of {WRITERS} writers")
    failed = [w for w in got if w.code]
    if failed:
        raise RuntimeError(f"{len(failed)} writers failed: {failed[0].stderr[-300:]}")
    return Samples(
        [w.wall_ms for w in got],
        [w.cpu_ms + child_ms for w in got],
        note="CPU: each client and an even share of the children's",
    )
