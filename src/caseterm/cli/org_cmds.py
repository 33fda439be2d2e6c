"""`caseterm org list|add-office|add-team|add-room`: the offices, teams and rooms staff work in,
set up by a system administrator (`staff.admin`) when caseterm is installed and as the service
changes. Each addition is audited (`office.create`, `team.create`, `room.create`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.services import org


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        offices = org.list_offices(session)
        teams = org.list_teams(session)
        rooms = org.list_rooms(session)
    if args.json:
        print_json(
            {
                "offices": [asdict(o) for o in offices],
                "teams": [asdict(t) for t in teams],
                "rooms": [asdict(r) for r in rooms],
            }
        )
        return 0
    code_of = {o.id: o.code for o in offices}
    print_table(
        ("KIND", "CODE", "NAME", "OFFICE"),
        [("office", o.code, o.name, "") for o in offices]
        + [("team", t.code, t.name, code_of.get(t.office_id or 0, "")) for t in teams]
        + [("room", "", r.name, code_of.get(r.office_id, "")) for r in rooms],
    )
    return 0


def _add(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        office = org.office_by_code(session, args.office) if getattr(args, "office", None) else None
        if args.org_command == "add-office":
            made: Any = org.create_office(
                session, ctx.actor, code=args.code, name=args.name, address=args.address
            )
            said = f"added office {made.code}: {made.name}"
        elif args.org_command == "add-team":
            made = org.create_team(
                session,
                ctx.actor,
                code=args.code,
                name=args.name,
                office_id=office.id if office else None,
            )
            said = f"added team {made.code}: {made.name}"
        else:
            assert office is not None
            made = org.create_room(session, ctx.actor, office_id=office.id, name=args.name)
            said = f"added room {made.name} at {office.code}"
    if args.json:
        print_json(asdict(made))
    else:
        print(plain(said))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("org", help="offices, teams and rooms (system administrators)")
    sub = p.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    a = sub.add_parser("list", help="every office, team and room")
    add_json_flag(a)
    a.set_defaults(handler=_list)

    a = sub.add_parser("add-office", help="add an office")
    a.add_argument("code", help="a short code, e.g. PRE")
    a.add_argument("name", help="its name, e.g. Preston")
    a.add_argument("--address", default="", help="its postal address (one line)")
    add_json_flag(a)
    a.set_defaults(handler=_add)

    a = sub.add_parser("add-team", help="add a team, at an office")
    a.add_argument("code", help="a short code, e.g. PRE-OM")
    a.add_argument("name", help="its name")
    a.add_argument("--office", metavar="CODE", help="the office it works from")
    add_json_flag(a)
    a.set_defaults(handler=_add)

    a = sub.add_parser("add-room", help="add a room that can be booked, at an office")
    a.add_argument("name", help="its name, e.g. Interview 1")
    a.add_argument("--office", metavar="CODE", required=True, help="the office it is in")
    add_json_flag(a)
    a.set_defaults(handler=_add)
