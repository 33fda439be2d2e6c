"""`caseterm reviews add REF`, `reviews cancel ID` and `reviews list REF`: a case's review
schedules (a review, a statutory deadline or a bring-forward date) from a script or a shell.
`reviews run`, the scheduler that raises their tasks when due, is in clock_cmds.py."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseterm.cli.common import choose, fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.cli.working_days import read_day, warn
from caseterm.core.rules.when import DAY_EXAMPLES
from caseterm.core.services import cases, reviews


def _said(verb: str, row: reviews.ReviewRow, reference: str) -> str:
    kind = reviews.REVIEW_KINDS.get(row.kind, row.kind).lower()
    return f"{verb} review {row.id} on {reference}: {kind} due {fmt_date(row.due_date)}: " + (
        row.description
    )


def _add(args: argparse.Namespace) -> int:
    kind = choose("kind", args.kind, reviews.REVIEW_KINDS)
    ctx = context(args)
    note = ""
    with ctx.db.write() as session:
        due = None
        if args.due:
            due, note = read_day(session, args.due, field="--due")
        case = cases.case_label(session, ctx.actor, reference=args.reference)
        row = reviews.schedule_review(
            session,
            ctx.actor,
            case_id=case.case_id,
            kind=kind,
            description=args.description,
            due_date=due,
            working_days=args.working_days,
        )
        reference = case.reference
    warn("--due", note)
    if args.json:
        print_json(asdict(row))
    else:
        print(plain(_said("scheduled", row, reference)))
    return 0


def _cancel(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        row = reviews.cancel_review(session, ctx.actor, review_id=args.id, reason=args.reason)
        reference = cases.case_label(session, ctx.actor, case_id=row.case_id).reference
    if args.json:
        print_json(asdict(row))
    else:
        print(plain(_said("cancelled", row, reference)))
    return 0


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:  # a refusal of a restricted case is logged
        case = cases.case_label(session, ctx.actor, reference=args.reference)
        rows = reviews.reviews_for_case(session, ctx.actor, case.case_id)
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    print_table(
        ("ID", "KIND", "DUE", "STATUS", "WHAT"),
        [
            (
                r.id,
                reviews.REVIEW_KINDS.get(r.kind, r.kind),
                fmt_date(r.due_date),
                r.status,
                r.description,
            )
            for r in rows
        ],
    )
    return 0


def add_review_commands(sub: Any) -> None:
    """`add`, `cancel` and `list` under `caseterm reviews` (whose parser clock_cmds.py makes)."""
    a = sub.add_parser(
        "add",
        help="schedule a review, statutory deadline or bring-forward date on a case",
        description="Schedule a review on a case, due on a date (--due) or a number of working "
        "days from today (--working-days; weekends and bank holidays excluded). When due, "
        "`reviews run` raises a 'review due' task for the case owner. Kinds (key or label): "
        + ", ".join(reviews.REVIEW_KINDS)
        + ".",
    )
    a.add_argument("reference", metavar="REF", help="case reference")
    a.add_argument("--kind", default="review", help="review (default), statutory, bring_forward")
    a.add_argument("--description", required=True, help="what is to be reviewed")
    when = a.add_mutually_exclusive_group(required=True)
    when.add_argument("--due", metavar="DAY", help=f"the due date, e.g. {DAY_EXAMPLES}")
    when.add_argument("--working-days", type=int, metavar="N", help="N working days from today")
    add_json_flag(a)
    a.set_defaults(handler=_add)

    c = sub.add_parser("cancel", help="cancel a pending review, giving the reason")
    c.add_argument("id", type=record_id("review"), metavar="ID", help="review number")
    c.add_argument("--reason", required=True, help="why it is no longer needed")
    add_json_flag(c)
    c.set_defaults(handler=_cancel)

    ls = sub.add_parser("list", help="a case's review schedules, soonest first")
    ls.add_argument("reference", metavar="REF", help="case reference")
    add_json_flag(ls)
    ls.set_defaults(handler=_list)
