"""`caseterm money suspense` (bank credits held in suspense), `caseterm money allocate-suspense
LINE REF` (one of them allocated to the account it was traced to) and `caseterm money
settle-suspense TASK --apply|--refund` (an account's overpayment). Registered under `money` by
`money_cmds.register`."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core.rules.money import format_pence, parse_amount


def held(args: argparse.Namespace) -> int:
    from caseterm.core.services import bank_suspense

    ctx = context(args)
    with ctx.db.read() as session:
        rows = bank_suspense.suspense_lines(session, ctx.actor)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No bank credits in suspense.")
        return 0
    print_table(
        ["Line", "Task", "Paid", "Amount", "Payer", "Reference", "Why"],
        [
            [
                r.line_id,
                r.task_id,
                f"{r.paid_on:%d/%m/%Y}" if r.paid_on else "",
                format_pence(r.amount_pence),
                r.payer,
                r.reference,
                r.note,
            ]
            for r in rows
        ],
    )
    return 0


def allocate(args: argparse.Namespace) -> int:
    from caseterm.core.services import bank_suspense

    amount = parse_amount(args.amount, "--amount") if args.amount else None
    ctx = context(args)
    with ctx.db.write() as session:
        done = bank_suspense.allocate_line(
            session,
            ctx.actor,
            line_id=args.line,
            case_reference=args.reference,
            amount_pence=amount,
        )
    if args.json:
        print_json(done)
        return 0
    r = done.receipt
    print(
        plain(
            f"bank line {done.line_id}: {format_pence(r.amount_pence)} allocated to "
            f"{done.case_reference}, receipt {r.receipt_no}; balance now "
            f"{format_pence(r.balance_after_pence)}"
            + (
                f"; {format_pence(r.to_suspense_pence)} held in suspense"
                if r.to_suspense_pence
                else ""
            )
        )
    )
    return 0


def settle(args: argparse.Namespace) -> int:
    from caseterm.core.services import bank_suspense

    ctx = context(args)
    with ctx.db.write() as session:
        posted = bank_suspense.settle_overpayment(
            session, ctx.actor, task_id=args.task, refund=args.refund, reason=args.reason or ""
        )
    if args.json:
        print_json(posted)
        return 0
    way = "refunded" if args.refund else "applied to the balance"
    print(
        plain(
            f"{format_pence(abs(posted.amount_pence))} {way} (transaction {posted.txn_id}); "
            f"balance now {format_pence(posted.balance_after_pence)}"
        )
    )
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("suspense", help="bank credits held in suspense, to trace and allocate")
    add_json_flag(p)
    p.set_defaults(handler=held)

    p = sub.add_parser(
        "allocate-suspense",
        help="allocate a bank credit held in suspense to an account (posts the payment)",
        description="Posted as a bank transfer on the statement's date, with a receipt; more "
        "than is owed goes to that account's suspense; the line's Suspense task is done. "
        "Needs money.bank.",
    )
    p.add_argument("line", type=record_id("bank line"), help="bank line id (money suspense)")
    p.add_argument("reference", help="the case reference of the account")
    p.add_argument("--amount", help="confirm the amount in pounds (must agree with the line)")
    add_json_flag(p)
    p.set_defaults(handler=allocate)

    p = sub.add_parser(
        "settle-suspense",
        help="apply or refund an account's overpayment held in suspense (from its task)",
    )
    p.add_argument("task", type=record_id("task"), help="the Suspense task's id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--apply", action="store_true", help="apply it to the account's balance")
    how.add_argument("--refund", action="store_true", help="record it as paid back")
    p.add_argument("--reason", help="e.g. refunded by cheque")
    add_json_flag(p)
    p.set_defaults(handler=settle)
