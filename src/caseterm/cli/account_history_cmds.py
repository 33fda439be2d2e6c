"""`caseterm account adjust REF --amount A --reason R` (a manual adjustment, through the officer's
limit), `caseterm account decisions REF` (the case's money decisions: held, approved, rejected)
and `caseterm account last-means REF` (the case's latest means form). Added to the `account`
command by `account_cmds.register`."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core.rules.money import FREQUENCIES, format_pence, parse_signed_amount


def _case_id(session: Any, reference: str) -> int:
    from caseterm.core.services import cases

    return cases.case_by_reference(session, reference).id


def adjust(args: argparse.Namespace) -> int:
    from caseterm.core.services import money_decisions

    amount = parse_signed_amount(args.amount, "--amount")
    ctx = context(args)
    with ctx.db.write() as session:
        d = money_decisions.adjust(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            amount_pence=amount,
            reason=args.reason,
            imposition_id=args.imposition,
        )
    if args.json:
        print_json(d)
    elif d.status == "posted":
        print(
            plain(
                f"{d.reference}: {d.what} (transaction {d.txn_id}); balance now "
                f"{format_pence(d.balance_after_pence)}"
            )
        )
    else:
        print(
            plain(f"{d.reference}: {d.what} held for a checker as decision #{d.id}: {d.why_held}")
        )
    return 0


def history(args: argparse.Namespace) -> int:
    from caseterm.core.services import money_decision_checks

    ctx = context(args)
    with ctx.db.read() as session:
        rows = money_decision_checks.case_decisions(
            session, ctx.actor, case_id=_case_id(session, args.reference)
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(plain(f"No money decisions on {args.reference.upper()}."))
        return 0
    print_table(
        ["Decision", "Made", "What", "Status", "Maker", "Checker", "Decided", "Reason"],
        [
            [
                d.id,
                f"{d.made_at:%d/%m/%Y %H:%M}" if d.made_at else "",
                d.what,
                d.status,
                d.maker,
                d.checker,
                f"{d.decided_at:%d/%m/%Y %H:%M}" if d.decided_at else "",
                d.decision_reason or d.why_held,
            ]
            for d in rows
        ],
    )
    return 0


def last_means(args: argparse.Namespace) -> int:
    from caseterm.core.services import means

    ctx = context(args)
    with ctx.db.read() as session:
        info = means.latest_means(session, ctx.actor, case_id=_case_id(session, args.reference))
    if args.json:
        print_json(info)
        return 0
    per = FREQUENCIES.get(info.frequency, info.frequency)
    print(
        plain(
            f"Means form #{info.id} on {info.reference}, {info.taken_at:%d/%m/%Y} by "
            f"{info.taken_by} ({per} figures)"
        )
    )
    for name, pence in info.figures.amounts().items():
        if pence:
            print(plain(f"  {name.replace('_', ' ')}: {format_pence(pence)}"))
    print(plain(f"Dependants {info.figures.dependants}"))
    print(plain(f"Disposable income {format_pence(info.disposable_pence)} {per}"))
    print(plain(f"Proposed instalment {format_pence(info.proposed_pence)} {per}"))
    return 0


def register_history(sub: Any) -> None:
    """The subcommands of `account` this module adds."""
    p = sub.add_parser(
        "adjust",
        help="a manual adjustment of the ledger, with a reason (held beyond your limit)",
        description="--amount 25 reduces what is owed; --amount=-25 increases it. Within your "
        "role's limit it is posted at once, beyond it held for a checker.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--amount", required=True, help="pounds: 25 reduces, -25 increases the balance")
    p.add_argument("--reason", required=True, help="why (the correction it makes)")
    p.add_argument("--imposition", type=record_id("imposition"), help="on this imposition")
    add_json_flag(p)
    p.set_defaults(handler=adjust)

    p = sub.add_parser("last-means", help="the case's latest means form")
    p.add_argument("reference", help="case reference")
    add_json_flag(p)
    p.set_defaults(handler=last_means)
