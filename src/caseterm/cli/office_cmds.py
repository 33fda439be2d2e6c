"""`caseterm office list|set`: the offices and the details their letters print (name, address,
telephone number), changed by the office's administrators."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.services import offices
from caseterm.core.services.org import OfficeInfo


def _info(o: OfficeInfo) -> dict[str, Any]:
    return {"id": o.id, "code": o.code, "name": o.name, "address": o.address, "phone": o.phone}


def list_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = offices.list_offices(session, ctx.actor)
    if args.json:
        print_json([_info(o) for o in rows])
    else:
        print_table(
            ("CODE", "NAME", "PHONE", "ADDRESS"),
            [(o.code, o.name, o.phone, o.address) for o in rows],
        )
    return 0


def set_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        office = offices.update_office(
            session,
            ctx.actor,
            code=args.code,
            name=args.name,
            address=args.address,
            phone=args.phone,
        )
    if args.json:
        print_json(_info(office))
    else:
        phone = office.phone or "no phone"
        print(
            plain(f"office {office.code}: {office.name}, {office.address or 'no address'}; {phone}")
        )
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("office", help="offices and the details their letters print")
    sub = p.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    a = sub.add_parser("list", help="every office with its address and phone")
    add_json_flag(a)
    a.set_defaults(handler=list_cmd)
    a = sub.add_parser(
        "set",
        help="change an office's name, address or phone (administrators)",
        description="Change the details an office's letters print: the letterhead and the "
        "office.name, office.address and office.phone merge fields. A phone is digits (7 to "
        '15) with spaces, brackets or dashes, a leading + and an optional extension ("ext '
        '214"); --phone "" clears it. Needs office.admin (administrators, managers).',
    )
    a.add_argument("code", metavar="CODE", help="the office's code, e.g. PRE")
    a.add_argument("--name", help="the office's name")
    a.add_argument("--address", help="its postal address, one line (commas between parts)")
    a.add_argument("--phone", help='its telephone number, e.g. "01772 555 0100"')
    add_json_flag(a)
    a.set_defaults(handler=set_cmd)
