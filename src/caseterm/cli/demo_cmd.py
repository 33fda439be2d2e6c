"""`caseterm demo`: build the demo database, refusing to touch one that already holds work
unless `--force`, which moves the old file aside (it is never deleted)."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from caseterm.cli.common import plain
from caseterm.core import clock
from caseterm.core.config import default_database_path, resolve_database_url
from caseterm.core.demo.existing import existing_content
from caseterm.core.errors import DatabaseError, ValidationError
from caseterm.core.services.identity import os_login
from caseterm.core.storage.database import shown_url, sqlite_path
from caseterm.core.storage.opening import open_database

PROGRESS_EVERY = 2.0  # seconds between progress lines within one phase


def move_aside(path: Path) -> Path:
    """Rename the database (and its -wal/-shm files, so nothing committed is lost) to
    `<name>.old-<stamp>`."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.old-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.old-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


class ProgressLines:
    """Progress on stderr: a line when a phase starts, then at most one every few seconds."""

    def __init__(self) -> None:
        self.phase = ""
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < PROGRESS_EVERY:
            return
        self.phase, self.last = phase, now
        amount = f" {done:,}/{total:,}" if total > 1 else ""
        print(f"caseterm demo: {phase}{amount}", file=sys.stderr, flush=True)


def _prepare(url: str, force: bool) -> None:
    """Make room for the demo at `url`, or refuse."""
    path = sqlite_path(url)
    if path is None:
        reason = existing_content(url)
        if reason:
            extra = " (--force moves only SQLite files aside)" if force else ""
            raise DatabaseError(
                f"the database {reason}; the demo builds only into an empty database{extra}"
            )
        return
    if path == default_database_path():
        path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return
    reason = existing_content(url)
    if reason is None:
        return
    if not force:
        raise DatabaseError(f"{path} {reason}; use --force to move it aside and build a fresh demo")
    moved = move_aside(path)
    print(f"caseterm demo: moved the old database to {moved}", file=sys.stderr)


def build(args: argparse.Namespace) -> int:
    from caseterm.core.demo import build_demo
    from caseterm.core.demo.context import SIZES

    if args.size not in SIZES:
        raise ValidationError("size", f"unknown size {args.size!r}; choose from {', '.join(SIZES)}")
    url = resolve_database_url(args.db)
    _prepare(url, args.force)
    db = open_database(url).db
    options: dict[str, Any] = {"size": args.size}
    if args.seed is not None:
        options["seed"] = args.seed
    try:
        summary = build_demo(db, login=os_login(), progress=ProgressLines(), **options)
    finally:
        db.dispose()
    path = sqlite_path(url)
    where = plain(str(path) if path is not None else shown_url(url))  # never a password
    counts = summary.counts
    print(
        f"Demo database ready: {where}\n"
        f"  {summary.size}, seed {summary.seed}: {counts.get('person', 0):,} people, "
        f"{counts.get('case_file', 0):,} cases, {counts.get('contact_entry', 0):,} contact "
        f"entries, {counts.get('appointment', 0):,} appointments, {counts.get('task', 0):,} "
        f"tasks in {summary.seconds:.1f} s\n"
        f"  you are enrolled as {summary.login!r}"
    )
    launch = "caseterm" if args.db is None else f"caseterm --db {shlex.quote(where)}"
    print(plain(f"Launch the workstation with:  {launch}"))
    return 0


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="build a demo database to try caseterm on",
        description="Build a realistic, repeatable demo organisation (people, cases, contact "
        "logs, diaries, queues) at the database location (--db, $CASETERM_DATABASE_URL, the "
        "config file, or the user data directory), with you enrolled and given a caseload. "
        "A database that already holds work is refused unless --force, which moves it aside "
        "to <name>.old-<date>-<time> (it is never deleted).",
    )
    demo.add_argument(
        "--size",
        default="small",
        help="small (a few hundred people; the default), large (about 100k people, "
        "120k cases, 1M contact entries) or xl (1M people, 1.2M cases, 10M contact entries: "
        "about 9 GB, for measuring how cost grows)",
    )
    demo.add_argument("--seed", type=int, help="random seed (the same seed gives the same data)")
    demo.add_argument(
        "--force", action="store_true", help="move an existing database aside and start afresh"
    )
    demo.set_defaults(handler=build)
