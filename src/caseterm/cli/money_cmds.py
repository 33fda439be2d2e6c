"""`caseterm money run`: the enforcement run over every fines account (for cron, nightly)."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.rules.money import format_pence
from caseterm.core.services import money_run


def run(args: argparse.Namespace) -> int:
    ctx = context(args)
    session_of = ctx.db.read if args.dry_run else ctx.db.write
    with session_of() as session:
        result = money_run.run_enforcement(session, ctx.actor, dry_run=args.dry_run)
    if args.json:
        print_json(result)
        return 0
    verb = "would propose" if args.dry_run else "proposed"
    print(
        plain(
            f"{result.considered} live accounts with an enforcement path; {verb} "
            f"{len(result.proposed)} steps (tasks in the Enforcement queue)"
            + (f"; {result.held} on hold skipped" if result.held else "")
        )
    )
    if result.proposed:
        print_table(
            ["Case", "Step", "Letter", "Missed", "Arrears", "Task"],
            [
                [
                    p.reference,
                    p.label,
                    p.letter,
                    p.missed,
                    format_pence(p.arrears_pence),
                    p.task_id or "",
                ]
                for p in result.proposed
            ],
        )
    return 0


def cashup(args: argparse.Namespace) -> int:
    from caseterm.cli.common import staff_by_login
    from caseterm.core.rules.when import parse_day
    from caseterm.core.services import cashup as cashups

    ctx = context(args)
    today = clock.today()
    day = parse_day(args.date, today, prefer="past", field="--date") if args.date else today
    with ctx.db.read() as session:
        staff_id = staff_by_login(session, args.staff, "--staff").id if args.staff else None
        result = cashups.cash_up(session, ctx.actor, day=day, staff_id=staff_id)
    if args.json:
        print_json(result)
        return 0
    print(
        plain(
            f"Cash-up for {day:%d/%m/%Y}: {result.count} payments, "
            f"{format_pence(result.total_pence)}"
        )
    )
    if result.lines:
        print_table(
            ["Officer", "Method", "Payments", "Total"],
            [[x.staff_name, x.method, x.count, format_pence(x.total_pence)] for x in result.lines],
        )
    return 0


def register(subparsers: Any) -> None:
    money = subparsers.add_parser("money", help="fines accounts in bulk: the enforcement run")
    sub = money.add_subparsers(dest="money_command", metavar="ACTION", required=True)
    p = sub.add_parser(
        "run",
        help="move defaulted accounts to their next enforcement step (as tasks)",
        description="Every live fines account whose missed instalments reach its case type's "
        "enforcement path gets its next step proposed as a task in the Enforcement queue; the "
        "officer confirms it by completing the task. Safe to run again or twice at once: a step "
        "is proposed once. For cron, nightly. Needs money.correct.",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="say what would be proposed; write nothing"
    )
    add_json_flag(p)
    p.set_defaults(handler=run)
    p = sub.add_parser(
        "cashup",
        help="money taken on a day per officer and method, to check against the banking",
    )
    p.add_argument("--date", metavar="DAY", help="the day (default today), e.g. 23/11/2026")
    p.add_argument("--staff", metavar="LOGIN", help="one officer's takings only")
    add_json_flag(p)
    p.set_defaults(handler=cashup)
    from caseterm.cli import bank_cmds

    bank_cmds.register(sub)
    from caseterm.cli import suspense_cmds

    suspense_cmds.register(sub)
