"""Real processes for the concurrency tests, started from a fork server.

Each process starts as a fresh interpreter would, inheriting nothing but what it is passed (as
'spawn'), but from a server process that imported caseterm's services and the test's module once:
'spawn' imported them again in every process, some 1.5 s of CPU each, a dozen processes a test.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.context import ForkServerContext

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
