"""`caseterm money import-bank FILE` (a bank statement as CSV: matched lines posted, the rest
to suspense), `caseterm money bank-profiles` and `caseterm money reconcile` (what was banked
against the cash-up). Registered under `money` by `money_cmds.register`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import format_pence


def _content(path: str) -> bytes:
    from caseterm.core.services.bank_import import check_file_size

    file = Path(path)
    if not file.is_file():
        raise ValidationError("file", f"{path} is not a file")
    check_file_size(file.stat().st_size)
    try:
        return file.read_bytes()
    except OSError as e:
        raise ValidationError("file", f"cannot read {path}: {e.strerror}") from None


def import_bank(args: argparse.Namespace) -> int:
    from caseterm.core.services import bank_import

    ctx = context(args)
    content = _content(args.file)
    if args.dry_run:
        with ctx.db.read() as session:
            review = bank_import.review_statement(
                session, ctx.actor, content=content, profile=args.profile, mapping=args.map
            )
        if args.json:
            print_json(review)
            return 0
        print(
            plain(
                f"{args.file} ({review.encoding}; {review.mapping}): would post {review.matched}, "
                f"hold {review.unmatched} in suspense; {review.already} imported before, "
                f"{review.skipped} money out or nil (left alone). Nothing was posted."
            )
        )
        _table(review.lines)
        return 0
    with ctx.db.write() as session:
        result = bank_import.import_statement(
            session,
            ctx.actor,
            filename=Path(args.file).name,
            content=content,
            profile=args.profile,
            mapping=args.map,
        )
    if args.json:
        print_json(result)
        return 0
    print(
        plain(
            f"Posted {result.posted} payments ({format_pence(result.posted_pence)}); "
            f"{result.suspense} lines to suspense ({format_pence(result.suspense_pence)}, "
            f"tasks in the Suspense queue); {result.already} imported before; "
            f"{result.skipped} money out or nil (left alone)."
        )
    )
    _table(result.lines)
    return 0


def _table(lines: Any) -> None:
    if not lines:
        return
    print_table(
        ["Line", "Date", "Amount", "Reference", "Name", "Outcome", "Account", "How / why"],
        [
            [
                x.line_no,
                f"{x.paid_on:%d/%m/%Y}",
                format_pence(x.amount_pence),
                x.reference,
                x.name,
                x.outcome,
                x.case_reference,
                x.matched_by or x.note,
            ]
            for x in lines
        ],
    )


def profiles(args: argparse.Namespace) -> int:
    from caseterm.core.services import bank_import

    ctx = context(args)
    if args.save:
        if not args.map:
            raise ValidationError("map", "say the columns to save: --map date=COL,amount=COL,…")
        with ctx.db.write() as session:
            saved = bank_import.save_profile(session, ctx.actor, name=args.save, mapping=args.map)
        if args.json:
            print_json(saved)
        else:
            print(plain(f"Saved bank file profile {saved.name}: {saved.mapping}"))
        return 0
    with ctx.db.read() as session:
        rows = bank_import.list_profiles(session, ctx.actor)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No bank file profiles saved yet.")
        return 0
    print_table(["Profile", "Columns"], [[p.name, p.mapping] for p in rows])
    return 0


def reconcile(args: argparse.Namespace) -> int:
    from caseterm.core.rules.when import parse_day
    from caseterm.core.services import banking

    ctx = context(args)
    today = clock.today()
    day = parse_day(args.date, today, prefer="past", field="--date") if args.date else today
    if args.banked:
        amounts = banking.parse_banked(args.banked)
        with ctx.db.write() as session:
            result = banking.record_banking(session, ctx.actor, day=day, banked=amounts)
    else:
        with ctx.db.read() as session:
            result = banking.reconciliation(session, ctx.actor, day=day)
    if args.json:
        print_json(result)
        return 0
    print(plain(result.summary()))
    print_table(
        ["Method", "Expected", "Banked", "Difference"],
        [
            [
                x.label,
                format_pence(x.expected_pence),
                format_pence(x.banked_pence) if x.banked_pence is not None else "not entered",
                format_pence(x.difference_pence) if x.banked_pence is not None else "",
            ]
            for x in result.lines
        ],
    )
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import-bank",
        help="import a bank statement (CSV): post matched lines, hold the rest in suspense",
        description="Each line of money in is matched to a fines account by a case reference "
        "in its reference, else by the payer's name and the amount (instalment or balance). "
        "Matched lines are posted as bank-transfer payments; the rest are held in suspense "
        "with a task each in the Suspense queue. A line is imported once: importing the same "
        "file again posts nothing new. The file is read as UTF-8 (with or without a byte "
        "order mark) or Windows-1252; a bad line or column refuses the whole file. "
        "Needs money.bank.",
    )
    p.add_argument("file", metavar="FILE", help="the statement as CSV")
    p.add_argument(
        "--profile",
        metavar="NAME",
        help="a saved column profile; with --map, the mapping is saved under this name",
    )
    p.add_argument(
        "--map",
        metavar="MAP",
        help="which column holds what: date=COL,amount=COL,reference=COL,name=COL "
        "(without it and a profile, common headings are recognised)",
    )
    p.add_argument("--dry-run", action="store_true", help="show each line's match; post nothing")
    add_json_flag(p)
    p.set_defaults(handler=import_bank)
    p = sub.add_parser("bank-profiles", help="the saved bank file column profiles")
    p.add_argument("--save", metavar="NAME", help="save --map under this name")
    p.add_argument("--map", metavar="MAP", help="date=COL,amount=COL,reference=COL,name=COL")
    add_json_flag(p)
    p.set_defaults(handler=profiles)
    p = sub.add_parser(
        "reconcile",
        help="what was banked on a day against the cash-up, per method",
        description="Shows each payment method's expected total (the cash-up of the day) "
        "against what was banked and the difference. With --banked, records what was banked "
        "(replacing what was entered for those methods that day). Needs money.bank.",
    )
    p.add_argument("--date", metavar="DAY", help="the day (default today), e.g. 23/11/2026")
    p.add_argument(
        "--banked", metavar="AMOUNTS", help="what was banked: cash=123.45,cheque=60.00,…"
    )
    add_json_flag(p)
    p.set_defaults(handler=reconcile)
