"""Bare `caseterm`: the workstation (queues, cases, contact log, diary, search).

`caseterm --demo` uses a demo database of its own in the user data directory, built on first
use, so trying caseterm never touches a real one. The schema is checked and upgraded before the
screen starts (Alembic logs to stderr, which would scribble over the screen).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

import platformdirs

from caseterm.cli.context import context
from caseterm.cli.registry import DEMO_FILE
from caseterm.core.config import APP_NAME
from caseterm.core.errors import ValidationError


def register(sub: Any) -> None:
    """The workstation is what `caseterm` runs with no subcommand; it adds none."""


def demo_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / DEMO_FILE


def ensure_demo_database(path: Path | None = None) -> Path:
    """The demo database, built (size small) if it is missing. It is built under a temporary
    name and renamed when complete, so an interrupted build leaves no half-filled demo."""
    path = path or demo_database_path()
    if path.exists():
        return path
    from caseterm.core.demo import build_demo
    from caseterm.core.storage.opening import open_database

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    print(f"caseterm: building the demo database at {path} (first use)…", file=sys.stderr)
    db = open_database(str(partial)).db
    try:
        build_demo(db, size="small")
    finally:
        db.dispose()  # the last connection closing folds the WAL back into the file
    partial.replace(path)
    return path


def run_workstation(args: argparse.Namespace, *, start_queue: str | None = None) -> int:
    """Open (and upgrade) the database, resolve who is acting, and run the workstation."""
    if getattr(args, "demo", False):
        if getattr(args, "db", None):
            raise ValidationError("--demo", "cannot be combined with --db")
        args.db = str(ensure_demo_database())
    ctx = context(args)
    from caseterm.tui.context import TuiContext
    from caseterm.tui.first_rows import read_early

    tui_ctx = TuiContext(ctx.db, ctx.actor)
    answer_keys_first()
    early = read_early(tui_ctx)  # overlaps importing Textual and building the screen
    from caseterm.tui.app import CasetermApp

    app = CasetermApp(tui_ctx, early=early, start_queue=start_queue, when_started=collect_again)
    app.run()
    ctx.db.dispose()
    return int(app.return_code or 0)


# How long a thread may hold the interpreter while another waits for it (Python's default is
# 5 ms). A screen's database work runs in worker threads; a key pressed meanwhile waits for the
# interpreter at every step of drawing its answer. Measured on the large demo while the
# workstation raised an 80,000-task backlog: cursor-move p95 15-30 ms at 5 ms, 8.5-15.7 at 1 ms.
SWITCH_INTERVAL = 0.001


def answer_keys_first() -> None:
    """Before a screen starts: worker threads give the interpreter back to the screen sooner."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def collect_again() -> None:
    """Once the first screen is up: what start-up built lives as long as the program, so it is
    moved out of the collector's sight (`gc.freeze`) and collection, off since `main` began,
    resumes for what comes after."""
    gc.freeze()
    gc.enable()
