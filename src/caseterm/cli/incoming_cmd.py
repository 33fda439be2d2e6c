"""`caseterm incoming add`: log what arrived (post opened, a phone message, a referral, a
walk-in) as an incoming item waiting for triage, from a script or a mail-room terminal."""

from __future__ import annotations

import argparse

from caseterm.cli.common import choose, plain, read_stdin_text
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import incoming, org

# Short names people type for the incoming kinds.
ALIASES = {"post": "post_in", "phone": "phone_message", "referral": "new_referral"}
KINDS = {k: TASK_KINDS[k] for k in INCOMING_KINDS}


def add_incoming_cmd(args: argparse.Namespace) -> int:
    kind = choose("kind", ALIASES.get(args.kind.strip().lower(), args.kind), KINDS)
    dob = parse_uk_date(args.dob, field="date of birth") if args.dob else None
    details = read_stdin_text("details") if args.details == "-" else args.details
    ctx = context(args)
    with ctx.db.write() as session:
        task = incoming.record_incoming(
            session,
            ctx.actor,
            kind=kind,
            summary=args.summary,
            about_name=args.about,
            about_dob=dob,
            source=args.source,
            details=details,
            priority=args.priority,
            office_code=args.office or "",
        )
        office = org.get_office(session, task.office_id) if task.office_id else None
    if args.json:
        print_json(
            {
                "id": task.id,
                "kind": task.kind,
                "summary": task.title,
                "about_name": task.about_name,
                "about_dob": task.about_dob,
                "source": task.source,
                "priority": task.priority,
                "status": task.status,
                "due_date": task.due_date,
                "office": office.code if office else None,
            }
        )
    else:
        about = f" about {plain(task.about_name)}" if task.about_name else ""
        at = f" at {plain(office.name)}" if office else ""
        print(
            f"incoming item {task.id}: {KINDS[task.kind]}{about}: {plain(task.title)} "
            f"(waiting in Incoming for triage{at})"
        )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("incoming", help="log post, phone messages and referrals for triage")
    sub = p.add_subparsers(dest="incoming_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="log an incoming item",
        description="Log what arrived as an item in the Incoming queue, due for triage today. "
        "Give whom it is about (--about, --dob) when the item says: triage then suggests the "
        "people already on file. Kinds: post (post_in), phone (phone_message), referral "
        "(new_referral), walk_in. It arrives at --office CODE (default: your own office): "
        "triage there shows it.",
    )
    add.add_argument("kind", metavar="KIND", help="post, phone, referral or walk_in")
    add.add_argument("summary", metavar="SUMMARY", help="one line: what it is")
    add.add_argument("--about", default="", metavar="NAME", help="whom it is about, as written")
    add.add_argument("--dob", metavar="DD/MM/YYYY", help="their date of birth, if given")
    add.add_argument(
        "--from",
        dest="source",
        default="",
        metavar="SOURCE",
        help='where it came from, e.g. "Preston Magistrates\' Court"',
    )
    add.add_argument("--office", metavar="CODE", help="the office it arrived at (default: yours)")
    add.add_argument("--details", default="", help="more text; '-' reads it from standard input")
    add.add_argument(
        "--priority", type=int, default=3, choices=(1, 2, 3, 4), help="1 urgent … 4 low (3)"
    )
    add_json_flag(add)
    add.set_defaults(handler=add_incoming_cmd)
