"""`caseterm contact add|correct|list`: append an entry to a case's contact log, correct one,
list a whole log."""

from __future__ import annotations

import argparse
import sys
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
from caseterm.cli.output import add_json_flag, json_text, print_json
from caseterm.cli.registry import record_id
from caseterm.core import clock
from caseterm.core.errors import RestrictedError
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.core.rules.when import parse_when
from caseterm.core.services import cases, contacts

LIST_PAGE = 500  # entries read at a time by `contact list` (a log may hold 10,000)


def add_contact(args: argparse.Namespace) -> int:
    contact_type = choose("type", args.type, CONTACT_TYPES)
    outcome = choose("outcome", args.outcome, OUTCOMES) if args.outcome else ""
    notes = read_stdin_text("notes") if args.notes == "-" else args.notes
    occurred = parse_when(args.when, clock.now(), field="when") if args.when else None
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.case_by_reference(session, args.reference)
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


def _entry_dict(
    entry: contacts.ContactInfo, staff: str, corrected_by: int | None
) -> dict[str, Any]:
    return {
        "id": entry.id,
        "occurred_at": entry.occurred_at,
        "logged_at": entry.logged_at,
        "type": entry.contact_type,
        "outcome": entry.outcome,
        "notes": entry.notes,
        "sensitive": entry.sensitive,
        "staff": staff,
        "appointment_id": entry.appointment_id,
        "corrects": entry.supersedes_id,
        "correction_reason": entry.correction_reason,
        "corrected_by": corrected_by,
    }


def correct_contact(args: argparse.Namespace) -> int:
    contact_type = choose("type", args.type, CONTACT_TYPES) if args.type else None
    outcome = choose("outcome", args.outcome, OUTCOMES) if args.outcome is not None else None
    notes = read_stdin_text("notes") if args.notes == "-" else args.notes
    occurred = parse_when(args.when, clock.now(), field="when") if args.when else None
    ctx = context(args)
    with ctx.db.write() as session:
        entry = logged_refusal(
            lambda: contacts.correct_contact(
                session,
                ctx.actor,
                entry_id=args.id,
                reason=args.reason,
                contact_type=contact_type,
                outcome=outcome,
                notes=notes,
                occurred_at=occurred,
            )
        )
        if isinstance(entry, RestrictedError):
            return restricted_exit(entry, args.json)
        result = _entry_dict(entry, ctx.actor.login, None)
    if args.json:
        print_json(result)
    else:
        print(
            plain(
                f"entry #{args.id} corrected by #{result['id']}: "
                f"{contacts.describe(result['type'], result['outcome'])} at "
                f"{fmt_when(result['occurred_at'])} ({args.reason})"
            )
        )
    return 0


def list_contacts(args: argparse.Namespace) -> int:
    """The whole log, newest first, read a page at a time and printed as it is read."""
    ctx = context(args)
    flt = contacts.ContactFilter(include_superseded=args.all)
    with ctx.db.write() as session:
        case = cases.case_by_reference(session, args.reference)
        case_id = case.id or 0
        first = logged_refusal(
            lambda: contacts.list_contacts(
                session, ctx.actor, case_id=case_id, flt=flt, limit=LIST_PAGE
            )
        )
    if isinstance(first, RestrictedError):
        return restricted_exit(first, args.json)
    page, offset, shown = first, 0, 0
    if args.json:
        sys.stdout.write("[")
    while page:
        for row in page:
            item = _entry_dict(row.entry, row.staff_name, row.superseded_by)
            if args.json:
                # One entry a line: a long log streams as it is read.
                sys.stdout.write(("," if shown else "") + "\n" + json_text(item, indent=None))
            else:
                _print_entry(item)
            shown += 1
        if len(page) < LIST_PAGE:
            break
        offset += LIST_PAGE
        with ctx.db.read() as session:
            page = contacts.list_contacts(
                session, ctx.actor, case_id=case_id, flt=flt, limit=LIST_PAGE, offset=offset
            )
    if args.json:
        sys.stdout.write("\n]\n")
    elif not shown:
        print(plain(f"{case.reference}: no contact entries"))
    return 0


def _print_entry(item: dict[str, Any]) -> None:
    mark = f" (corrected by #{item['corrected_by']})" if item["corrected_by"] else ""
    fixes = (
        f" (corrects #{item['corrects']}: {item['correction_reason']})" if item["corrects"] else ""
    )
    notes = item["notes"].replace("\n", " ")
    print(
        plain(
            f"#{item['id']} {fmt_when(item['occurred_at'])} "
            f"{contacts.describe(item['type'], item['outcome'])} by {item['staff']}"
            f"{mark}{fixes}: {notes}"
        )
    )


def register(subparsers: Any) -> None:
    contact = subparsers.add_parser("contact", help="add to, correct or list a case's contact log")
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

    correct = contact_sub.add_parser(
        "correct",
        help="correct a contact entry (a new entry supersedes it; the original stays)",
        description="Correct an entry: a new entry with what is given here (the rest copied "
        "from the original) supersedes it, with the reason. Correcting an appointment's outcome "
        "withdraws the follow-up and enforcement tasks the first outcome raised, if still open. "
        "Types and outcomes are keys or labels.",
    )
    correct.add_argument("id", type=record_id("contact entry"), metavar="ID", help="entry number")
    correct.add_argument("--reason", required=True, help="why it is corrected")
    correct.add_argument("--type", help="the right contact type")
    correct.add_argument(
        "--outcome", help="the right outcome, a key or label ('no outcome' for none)"
    )
    correct.add_argument("--notes", help="the right notes; '-' reads them from standard input")
    correct.add_argument("--when", metavar="WHEN", help="when it really happened")
    add_json_flag(correct)
    correct.set_defaults(handler=correct_contact)
    listing = contact_sub.add_parser(
        "list",
        help="a case's whole contact log, newest first",
        description="Every entry of a case's contact log, newest first. Corrected entries are "
        "left out unless --all is given (then each says which entry corrected it).",
    )
    listing.add_argument("reference", help="case reference")
    listing.add_argument("--all", action="store_true", help="include entries that were corrected")
    add_json_flag(listing)
    listing.set_defaults(handler=list_contacts)
