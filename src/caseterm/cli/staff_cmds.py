"""`caseterm staff add|list|disable|enable|roles`: enrolling staff (system administrators).

The first member of a new database enrols themselves (`caseterm staff add MY_LOGIN --name …`)
and becomes its system administrator; after that only system administrators enrol staff or
change roles. Everyone enrolled may list the staff.
"""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context, open_db
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.errors import ValidationError
from caseterm.core.models import ROLES
from caseterm.core.services import org, staff
from caseterm.core.services.identity import effective_login, resolve_actor, roles_of


def _roles(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [r.strip() for r in text.split(",") if r.strip()]


def _add(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        with db.write() as s:
            if staff.count_staff(s) == 0:
                me = effective_login(s)  # the database role on PostgreSQL; overrides checked
                if args.login != me:
                    raise ValidationError(
                        "login",
                        f"the first member of a new database enrols themselves: "
                        f"'caseterm staff add {me} --name \"Your Name\"'",
                    )
                actor = None
            else:
                actor = resolve_actor(s)
            member = staff.add_staff(
                s,
                actor,
                login=args.login,
                name=args.name,
                roles=_roles(args.roles),
                team_code=args.team,
                office_code=args.office,
            )
            roles = sorted(roles_of(s, member.id or 0))
    finally:
        db.dispose()
    print(plain(f"enrolled {member.login} ({member.name}): {', '.join(roles)}"))
    return 0


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as s:
        rows = staff.list_staff(s)
        teams = {t.id: t.code for t in org.list_teams(s)}
        offices = {o.id: o.code for o in org.list_offices(s)}
    ctx.db.dispose()
    data: list[dict[str, Any]] = [
        {
            "login": m.login,
            "name": m.name,
            "roles": list(m.roles),
            "team": teams.get(m.team_id or 0),
            "office": offices.get(m.office_id or 0),
            "active": m.active,
        }
        for m in rows
    ]
    if args.json:
        print_json(data)
        return 0
    print_table(
        ("LOGIN", "NAME", "ROLES", "TEAM", "OFFICE", "ACTIVE"),
        [
            (d["login"], d["name"], ",".join(d["roles"]), d["team"], d["office"], d["active"])
            for d in data
        ],
    )
    return 0


def _set_active(active: bool) -> Any:
    def handler(args: argparse.Namespace) -> int:
        ctx = context(args)
        with ctx.db.write() as s:
            staff.set_active(s, ctx.actor, login=args.login, active=active)
        ctx.db.dispose()
        print(plain(f"{args.login} {'enabled' if active else 'disabled'}"))
        return 0

    return handler


def _roles_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    wanted = _roles(args.roles)
    if wanted is None:
        ctx.actor.require("staff.admin")
        with ctx.db.read() as s:
            member = staff.find_staff(s, args.login)
            roles = sorted(roles_of(s, member.id or 0))
    else:
        with ctx.db.write() as s:
            roles = staff.set_roles(s, ctx.actor, login=args.login, roles=wanted)
    ctx.db.dispose()
    print(plain(f"{args.login}: {', '.join(roles)}"))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("staff", help="enrol staff and set their roles")
    sub = p.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    roles_help = f"comma-separated, from {', '.join(ROLES)}"

    a = sub.add_parser("add", help="enrol a member of staff by Unix login")
    a.add_argument("login")
    a.add_argument("--name", required=True, help="full name as colleagues see it")
    a.add_argument("--roles", help=f"{roles_help} (default: caseworker)")
    a.add_argument("--team", help="team code")
    a.add_argument("--office", help="office code")
    a.set_defaults(handler=_add)

    a = sub.add_parser("list", help="everyone enrolled, with roles")
    add_json_flag(a)
    a.set_defaults(handler=_list)

    for name, active in (("disable", False), ("enable", True)):
        a = sub.add_parser(name, help=f"{name} a login")
        a.add_argument("login")
        a.set_defaults(handler=_set_active(active))

    a = sub.add_parser("roles", help="show a member's roles, or set them")
    a.add_argument("login")
    a.add_argument("roles", nargs="?", help=roles_help)
    a.set_defaults(handler=_roles_cmd)
