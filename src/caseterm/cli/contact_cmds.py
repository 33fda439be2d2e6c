"""`caseterm contact add`: append an entry to a case's contact log."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import (
    choose,
    fmt_when,
    logged_refusal,
    plain,
    read_stdin_text,
    restricted_exit,
)
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.core import clock
from caseterm.core.errors import RestrictedError
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.core.rules.when import parse_when
from caseterm.core.services import cases, contacts


def add_contact(args: argparse.Namespace) -> int:
    contact_type = choose("type", args.type, CONTACT_TYPES)
    outcome = choose("outcome", args.outcome, OUTCOMES) if args.outcome else ""
    notes = read_stdin_text("notes") if args.notes == "-" else args.notes
    occurred = parse_when(args.when, clock.now(), field="when") if args.when else None
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.find_case(session, args.reference)
        assert case.id is not None
        case_id = case.id
        entry = logged_refusal(
            lambda: contacts.log_contact(
                session,
                ctx.actor,
                case_id=case_id,
                contact_type=contact_type,
                outcome=outcome,
                notes=notes or "",
                occurred_at=occurred,
                sensitive=args.sensitive,
                to_closed_case=args.to_closed_case,
            ),
        )
    if isinstance(entry, RestrictedError):
        return restricted_exit(entry, args.json)
    result = {
        "id": entry.id,
        "reference": case.reference,
        "occurred_at": entry.occurred_at,
        "logged_at": entry.logged_at,
        "type": entry.contact_type,
        "outcome": entry.outcome,
        "notes": entry.notes,
        "sensitive": entry.sensitive,
        "staff": ctx.actor.login,
    }
    if args.json:
        print_json(result)
    else:
        print(
            plain(
                f"logged #{entry.id} on {case.reference}: "
                f"{contacts.describe(entry.contact_type, entry.outcome)} at "
                f"{fmt_when(entry.occurred_at)}"
            )
        )
    return 0


def register(subparsers: Any) -> None:
    contact = subparsers.add_parser("contact", help="add to a case's contact log")
    contact_sub = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)
    add = contact_sub.add_parser(
        "add",
        help="log a contact on a case",
        description="Append an entry to a case's contact log. Types: "
        + ", ".join(CONTACT_TYPES)
        + ". Outcomes: "
        + ", ".join(k for k in OUTCOMES if k)
        + ".",
    )
    add.add_argument("reference", help="case reference")
    add.add_argument("--type", required=True, help="contact type key, e.g. phone_in")
    add.add_argument("--outcome", default="", help="outcome key, e.g. no_answer (default none)")
    add.add_argument("--notes", default="", help="notes; '-' reads them from standard input")
    add.add_argument(
        "--when",
        metavar="WHEN",
        help="when it happened (default now), e.g. 'today 14:30', 'yesterday 9am', "
        "'22/11/2026 10:15', '2h ago'; write --when=-30m for a value starting with '-'",
    )
    add.add_argument("--sensitive", action="store_true", help="mark the entry sensitive")
    add.add_argument(
        "--to-closed-case",
        action="store_true",
        help="confirm adding the entry to a closed or archived case",
    )
    add_json_flag(add)
    add.set_defaults(handler=add_contact)
