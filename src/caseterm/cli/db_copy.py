"""`caseterm db copy --from SQLITE_PATH --to POSTGRES_URL`: move a team's whole database across.

The source is only read (it may stay in use meanwhile); the target must be an empty database,
whose schema the copy creates. Row counts of every table are compared before the copy is kept.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.engine import make_url

from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.config import to_url
from caseterm.core.storage.pg_copy import copy_database


def register_copy(db_subparsers: Any) -> None:
    p = db_subparsers.add_parser(
        "copy",
        help="copy a whole database into an empty one (e.g. SQLite to PostgreSQL)",
        description="Copy every table of a caseterm database into an empty database, checking "
        "the row counts at the end. The source is opened read-only and may stay in use.",
    )
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SQLITE_PATH",
        help="the database to copy (a file path or URL)",
    )
    p.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="POSTGRES_URL",
        help="an empty database, e.g. postgresql+psycopg://owner@dbhost/caseterm",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json_flag(p)
    p.set_defaults(handler=run_copy)


def shown(url: str) -> str:
    """A URL fit to print: never its password."""
    return make_url(url).render_as_string(hide_password=True)


def run_copy(args: argparse.Namespace) -> int:
    source, target = to_url(args.source), to_url(args.target)
    show_progress = not args.quiet and sys.stderr.isatty()

    def progress(table: str, done: int, total: int) -> None:
        if show_progress:
            end = "\n" if done >= total else ""
            print(f"\r  {table}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    if not args.quiet:
        print(f"copying {shown(source)} to {shown(target)}", file=sys.stderr)
    counts = copy_database(source, target, progress)
    if args.json:
        print_json({"from": shown(source), "to": shown(target), "rows": counts})
        return 0
    print_table(["table", "rows"], [(name, n) for name, n in counts.items()])
    print(
        f"copied {sum(counts.values())} rows in {len(counts)} tables; every count checked; "
        "the source was not changed"
    )
    return 0
