"""`caseterm diary attendees ID --add LOGIN,… --guest NAME --remove WHO [--rest] [--anyway]`:
change who attends a booking already made (this one, or with --rest it and the rest of its
series)."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id


def _names(values: list[str] | None) -> list[str]:
    """`--add a,b --add c` as ["a", "b", "c"]."""
    return [w.strip() for v in values or [] for w in v.split(",") if w.strip()]


def attendees_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import diary_attendance

    ctx = context(args)
    with ctx.db.write() as session:
        done = diary_attendance.change_attendees(
            session,
            ctx.actor,
            appointment_id=args.id,
            add=_names(args.add),
            guests=[g.strip() for g in args.guest or []],
            remove=[w.strip() for v in args.remove or [] for w in v.split(",") if w.strip()],
            rest=args.rest,
            allow_conflicts=args.anyway,
        )
    if args.json:
        print_json(
            {
                "changed": list(done.changed_ids),
                "added": list(done.added),
                "removed": list(done.removed),
                "attendees": list(done.now),
                "scope": "rest" if args.rest else "one",
            }
        )
        return 0
    scope = "this and the rest of its series" if args.rest else "this one"
    parts = [f"added {', '.join(done.added)}"] if done.added else []
    parts += [f"removed {', '.join(done.removed)}"] if done.removed else []
    print(
        plain(
            f"appointment {args.id} ({scope}, {len(done.changed_ids)} changed): {'; '.join(parts)}"
        )
    )
    print(plain(f"attending now: {', '.join(done.now) or 'nobody besides the member of staff'}"))
    return 0


def add_attendees_parser(actions: Any) -> None:
    parser = actions.add_parser(
        "attendees",
        help="add or remove attendees of a booking (staff by login, guests by name)",
        description="Add staff (--add, logins, comma between) and guests (--guest NAME) to a "
        "booked appointment, or remove them (--remove, a login or a guest's name); with --rest, "
        "on it and every later occurrence of its series. A colleague added who is busy then "
        "refuses it, naming the clash, unless --anyway; a disabled one is refused.",
    )
    parser.add_argument("id", type=record_id("appointment"), metavar="ID")
    parser.add_argument("--add", action="append", metavar="LOGIN,…", help="staff to add")
    parser.add_argument("--guest", action="append", metavar="NAME", help="a guest to add")
    parser.add_argument(
        "--remove", action="append", metavar="WHO", help="a login or a guest's name to remove"
    )
    parser.add_argument("--rest", action="store_true", help="this and the rest of the series")
    parser.add_argument("--anyway", action="store_true", help="add them despite clashes")
    add_json_flag(parser)
    parser.set_defaults(handler=attendees_cmd)
