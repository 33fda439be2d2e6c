"""`caseterm enforcement-paths list|show|set|reset`: the enforcement paths of fines accounts per
case type and account kind — the shipped defaults (core/rules/enforcement_paths.toml) with a
system administrator's own, kept in the database as the clock rules are."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table

if TYPE_CHECKING:
    from caseterm.core.services.enforcement_paths import PathRow

KINDS = ("instalments", "by_date", "*")


def _path_dict(path: PathRow) -> dict[str, Any]:
    data = asdict(path)
    data["key"] = path.key
    data["steps_text"] = path.steps_text
    return data


def _list(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_paths

    ctx = context(args)
    with ctx.db.read() as session:
        found = enforcement_paths.list_paths(session, ctx.actor, case_type=args.case_type)
    if args.json:
        print_json({"paths": [_path_dict(p) for p in found]})
        return 0
    print_table(
        ["PATH", "TRIGGER", "STEPS", "SOURCE"],
        [
            [
                p.key,
                f"{p.trigger_missed} missed",
                p.steps_text,
                p.source + ("" if p.active else ", off"),
            ]
            for p in found
        ],
    )
    return 0


def _print_path(path: PathRow) -> None:
    state = "" if path.active else " (switched off)"
    print(plain(f"{path.key}: starts after {path.trigger_missed} missed ({path.source}){state}"))
    for step in path.steps:
        extras = [
            f"letter: {step.letter}" if step.letter else "no letter",
            f"template {step.template}" if step.template else "no template",
        ]
        if step.appeal_working_days:
            extras.append(f"appeal within {step.appeal_working_days} working days")
        if step.fine_only:
            extras.append("the fine only")
        if step.warrant:
            extras.append("generates a warrant")
        after = f"+{step.days_after} days" if step.number else "at once"
        print(plain(f"  {step.number + 1}. {step.label} ({after}); {', '.join(extras)}"))


def _show(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_paths

    ctx = context(args)
    with ctx.db.read() as session:
        path = enforcement_paths.show_path(
            session, ctx.actor, case_type=args.case_type, account_kind=args.kind
        )
    if args.json:
        print_json(_path_dict(path))
    else:
        _print_path(path)
    return 0


def _set(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_paths

    ctx = context(args)
    active = None if args.active is None else args.active == "on"
    with ctx.db.write() as session:
        path = enforcement_paths.set_path(
            session,
            ctx.actor,
            case_type=args.case_type,
            account_kind=args.kind,
            steps=args.steps,
            trigger_missed=args.trigger,
            active=active,
        )
    if args.json:
        print_json(_path_dict(path))
    else:
        print(plain(f"set {path.key}: {path.describe()}" + ("" if path.active else " (off)")))
    return 0


def _reset(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_paths

    ctx = context(args)
    with ctx.db.write() as session:
        path = enforcement_paths.reset_path(
            session, ctx.actor, case_type=args.case_type, account_kind=args.kind
        )
    if args.json:
        print_json(_path_dict(path) if path else None)
    elif path is None:
        print(plain(f"{args.case_type.upper()}/{args.kind}: no path now (none is shipped)"))
    else:
        print(plain(f"back to the shipped {path.key}: {path.describe()}"))
    return 0


def _kind(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kind",
        default="*",
        help="account kind: the kind of the terms in force, instalments or by_date; * any "
        "(default)",
    )


def register(subparsers: Any) -> None:
    top = subparsers.add_parser(
        "enforcement-paths",
        help="enforcement paths of fines accounts per case type and account kind",
        description="The steps a defaulted account takes (the money run proposes each as a "
        "task): the shipped defaults with a system administrator's own.",
    )
    sub = top.add_subparsers(dest="paths_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="every path in force (switched-off ones marked)")
    p.add_argument("--case-type", help="only this case type, e.g. FINE")
    add_json_flag(p)
    p.set_defaults(handler=_list)

    p = sub.add_parser("show", help="one path: its steps, letters and appeal windows")
    p.add_argument("case_type", help="case type code, e.g. FINE")
    _kind(p)
    add_json_flag(p)
    p.set_defaults(handler=_show)

    p = sub.add_parser(
        "set",
        help="change a path or add one (system administrators)",
        description="--steps 'reminder:0,further_steps_notice:14,…' (action:days after the "
        "step before); actions: reminder, further_steps_notice, attachment_of_earnings, "
        "benefit_deductions, increase_fine, warrant_of_control, referral_to_court. Each must "
        "be allowed to follow the one before, none may come twice, days are not negative.",
    )
    p.add_argument("case_type", help="case type code, e.g. FINE")
    _kind(p)
    p.add_argument("--steps", help="action:days, comma-separated, in order")
    p.add_argument("--trigger", type=int, help="missed instalments that start the path")
    p.add_argument("--active", choices=("on", "off"), help="switch the path on or off")
    add_json_flag(p)
    p.set_defaults(handler=_set)

    p = sub.add_parser("reset", help="go back to the shipped path (system administrators)")
    p.add_argument("case_type", help="case type code, e.g. FINE")
    _kind(p)
    add_json_flag(p)
    p.set_defaults(handler=_reset)
