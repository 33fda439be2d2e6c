"""`caseterm search TEXT`: people and cases by reference, name, date of birth or identifier."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import whole_number
from caseterm.core.errors import ValidationError
from caseterm.core.services.search import search


def search_cmd(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise ValidationError(
            "text", "is empty: give a name, reference, date of birth or identifier"
        )
    if args.limit < 1:
        raise ValidationError("limit", "--limit must be at least 1")
    ctx = context(args)
    # Refused looks at restricted cases are written to the access log, so this writes.
    with ctx.db.write() as session:
        hits = search(session, ctx.actor, text=args.text, limit=args.limit, log_refusals=True)
    rows: list[dict[str, Any]] = [
        {
            "kind": h.kind,
            # A restricted hit says only that the case exists and whom to ask.
            "person_id": None if h.restricted else h.person_id,
            "case_id": h.case_id,
            "reference": h.reference,
            "name": h.name,
            "date_of_birth": h.date_of_birth,
            "matched": h.matched,
            "score": round(h.score, 1),
            "restricted": h.restricted,
            "ask": h.ask,
            "case_status": h.case_status,
            "case_type": h.case_type,
        }
        for h in hits
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"nothing found for {plain(args.text)!r}")
        return 0
    print_table(
        ["REFERENCE", "TYPE", "STATUS", "NAME", "BORN", "MATCHED"],
        [
            [
                r["reference"] or (f"person {r['person_id']}" if r["person_id"] else "-"),
                r["case_type"] or "",
                f"restricted — ask {r['ask']}" if r["restricted"] else (r["case_status"] or ""),
                r["name"] or "",
                fmt_date(r["date_of_birth"]),
                r["matched"],
            ]
            for r in rows
        ],
    )
    return 0


def register(subparsers: Any) -> None:
    finder = subparsers.add_parser(
        "search",
        help="find people and cases",
        description="Search by case reference, name (typo-tolerant, aliases), date of birth "
        "(DD/MM/YYYY) or identifier.",
    )
    finder.add_argument("text", help="what to look for")
    finder.add_argument("--limit", type=whole_number, default=20, help="most results (default 20)")
    add_json_flag(finder)
    finder.set_defaults(handler=search_cmd)
