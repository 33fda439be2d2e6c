"""Real processes for the concurrency tests, started from a fork server, together.

Each process starts as a fresh interpreter would, inheriting nothing but what it is passed (as
'spawn'), but from a server process that imported caseterm's services and the test's module once:
'spawn' imported them again in every process, some 1.5 s of CPU each, a dozen processes a test.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
from collections.abc import Callable, Sequence
from multiprocessing.context import ForkServerContext
from typing import Any

import pytest

PRELOAD = [
    "caseterm.core.services.clock_scheduler",
    "caseterm.core.services.contacts",
    "caseterm.core.services.tasks",
    "caseterm.core.services.identity",
    "caseterm.core.storage.database",
]


def processes(module: str) -> ForkServerContext:
    """The fork server context, its server importing caseterm and `module` (the test's own,
    where the processes' target functions live) before it forks any process."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([*PRELOAD, module])
    return ctx


def run_together(
    module: str, target: Callable[..., None], each: Sequence[tuple[Any, ...]], *, timeout: float
) -> tuple[list[dict[str, Any]], list[int | None]]:
    """One process per argument tuple in `each`, all calling `target(*args, barrier, results)`
    (the barrier lets them start at once; each puts one report on `results`). The reports in
    the order they came, and each process's exit code. A process that never reports fails the
    test; none is left running."""
    ctx = processes(module)
    barrier = ctx.Barrier(len(each))
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for args in each]
    for p in procs:
        p.start()
    reports: list[dict[str, Any]] = []
    try:
        for _ in procs:
            reports.append(results.get(timeout=timeout))
    except queue.Empty:
        pytest.fail(f"only {len(reports)} of {len(procs)} processes reported")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
                p.join()
    return reports, [p.exitcode for p in procs]
