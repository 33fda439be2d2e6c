"""`caseterm case-rules list|show|set|check`: the case lifecycle's rules per case type — the
closure reasons with their mandatory steps (the rules file: shipped defaults with the config
file's `case_rules` laid over them) and the working days to acknowledge a transfer."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core.errors import ValidationError
from caseterm.core.rules import case_lifecycle
from caseterm.core.services import case_rules


def _reasons_text(row: case_rules.CaseTypeRules) -> str:
    return ", ".join(r.code for r in row.reasons)


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        found = case_rules.list_case_rules(session, ctx.actor)
    if args.json:
        print_json({"case_types": [asdict(r) for r in found]})
        return 0
    print_table(
        ["TYPE", "ACK DAYS", "CLOSURE REASONS"],
        [[r.case_type, str(r.transfer_ack_days), _reasons_text(r)] for r in found],
    )
    return 0


def _print_rules(row: case_rules.CaseTypeRules) -> None:
    print(plain(f"{row.case_type}  {row.name}"))
    print(plain(f"transfer to be acknowledged within {row.transfer_ack_days} working days"))
    print(plain(f"rules file: {row.rules_file or 'the shipped defaults'}"))
    print(plain(f"payments allocated: {' > '.join(row.allocation_order)}"))
    for reason in row.reasons:
        death = " (records the date of death)" if reason.needs_date_of_death else ""
        print(plain(f"{reason.code}: {reason.label}{death}"))
        for step in reason.steps:
            need = "must" if step.mandatory else "may "
            action = f" [{step.action}]" if step.action else ""
            print(plain(f"  {need} {step.code}: {step.label}{action}"))


def _show(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        row = case_rules.show_case_rules(session, ctx.actor, case_type=args.case_type)
    if args.json:
        print_json(asdict(row))
    else:
        _print_rules(row)
    return 0


def _set(args: argparse.Namespace) -> int:
    if args.transfer_ack_days is None and args.allocation_order is None:
        raise ValidationError("case-rules set", "give --transfer-ack-days or --allocation-order")
    ctx = context(args)
    with ctx.db.write() as session:  # both, or neither
        if args.transfer_ack_days is not None:
            row = case_rules.set_transfer_ack_days(
                session, ctx.actor, case_type=args.case_type, days=args.transfer_ack_days
            )
        if args.allocation_order is not None:
            row = case_rules.set_allocation_order(
                session, ctx.actor, case_type=args.case_type, order=args.allocation_order
            )
    if args.json:
        print_json(asdict(row))
        return 0
    if args.transfer_ack_days is not None:
        print(plain(f"{row.case_type}: transfers acknowledged within {row.transfer_ack_days} wd"))
    if args.allocation_order is not None:
        print(plain(f"{row.case_type}: payments allocated {' > '.join(row.allocation_order)}"))
    return 0


def _check(args: argparse.Namespace) -> int:
    chosen = Path(args.file).expanduser() if args.file else case_lifecycle.configured_file()
    loaded = case_lifecycle.load_rules(chosen)
    ctx = context(args)
    with ctx.db.read() as session:  # which of the database's case types use the DEFAULT list
        in_use = [r.case_type for r in case_rules.list_case_rules(session, ctx.actor)]
    types = sorted(loaded.by_type)
    reasons = sorted({r.code for rs in loaded.by_type.values() for r in rs})
    by_default = [t for t in in_use if t not in loaded.by_type]
    if args.json:
        print_json({"ok": True, "case_types": types, "reasons": reasons, "default_for": by_default})
    else:
        print(plain(f"rules fine: {len(types)} case types, {len(reasons)} closure reasons"))
        if by_default:
            print(plain(f"the DEFAULT reasons apply to {', '.join(by_default)}"))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "case-rules",
        help="closure reasons and steps, transfer acknowledgement days, per case type",
        description="The closure reasons each case type may close with and the steps each "
        "needs, read from the shipped case_rules.toml with the file named by `case_rules` in "
        "the config file laid over it (change that file, then `case-rules check` it); and the "
        "working days a receiving office has to acknowledge a transfer (`case-rules set`).",
    )
    sub = p.add_subparsers(dest="case_rules_command", metavar="ACTION", required=True)
    a = sub.add_parser("list", help="every case type's closure reasons and acknowledgement days")
    add_json_flag(a)
    a.set_defaults(handler=_list)

    a = sub.add_parser("show", help="one case type's closure reasons with their steps")
    a.add_argument("case_type", metavar="TYPE", help="e.g. MHC")
    add_json_flag(a)
    a.set_defaults(handler=_show)

    a = sub.add_parser("set", help="change a case type's rule (system administrators)")
    a.add_argument("case_type", metavar="TYPE", help="e.g. MHC")
    a.add_argument(
        "--transfer-ack-days",
        type=int,
        metavar="N",
        help="working days a receiving office has to acknowledge a transfer",
    )
    a.add_argument(
        "--allocation-order",
        metavar="KINDS",
        help="the order a payment is allocated across impositions, e.g. "
        "compensation,victim_surcharge,costs,fine (each kind once; kinds not named come last)",
    )
    add_json_flag(a)
    a.set_defaults(handler=_set)

    a = sub.add_parser("check", help="check a rules file (default: the configured one)")
    a.add_argument("file", nargs="?", help="a TOML file to lay over the defaults")
    add_json_flag(a)
    a.set_defaults(handler=_check)
