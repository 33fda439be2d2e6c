"""`caseterm rules list|show|set`: the statutory clock rules per case type; `caseterm closures
add|remove|list`: office closure days (not working days for any clock)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseterm.cli.common import fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.clocks import UNITS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import clock_rules


def _rule_dict(rule: clock_rules.RuleRow) -> dict[str, Any]:
    data = asdict(rule)
    data["stopped_by"] = list(rule.stopped_by)
    data["key"] = rule.key
    data["period_text"] = rule.period_text
    return data


def _split_key(text: str) -> tuple[str, str, str]:
    parts = text.split("/")
    if len(parts) != 3 or not all(parts):
        raise ValidationError("rule", f"write it as CASETYPE/EVENT/CLOCK, not {text!r}")
    return parts[0].upper(), parts[1], parts[2]


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        found = clock_rules.list_rules(
            session, ctx.actor, case_type=args.case_type.upper() if args.case_type else None
        )
    if args.json:
        print_json({"rules": [_rule_dict(r) for r in found]})
        return 0
    print_table(
        ["RULE", "CLOCK", "PERIOD", "WARN", "TASK", "PRI", "LETTER", "SOURCE"],
        [
            [
                r.key,
                r.label,
                r.period_text + ("" if r.roll_forward else " (no roll)"),
                f"{r.warn_working_days} wd" if r.warn_working_days else "-",
                r.task_kind + (f" → {r.team_code}" if r.team_code else ""),
                r.priority,
                r.letter_template or "-",
                r.source + ("" if r.active else ", off"),
            ]
            for r in found
        ],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    case_type, event, clock_key = _split_key(args.rule)
    ctx = context(args)
    with ctx.db.read() as session:
        rule = clock_rules.show_rule(
            session, ctx.actor, case_type=case_type, event=event, clock=clock_key
        )
    if args.json:
        print_json(_rule_dict(rule))
        return 0
    for name, value in _rule_dict(rule).items():
        print(plain(f"{name:18} {value}"))
    return 0


def _set(args: argparse.Namespace) -> int:
    case_type, event, clock_key = _split_key(args.rule)
    changes: dict[str, Any] = {}
    for name in ("label", "period", "unit", "task_kind", "priority", "letter", "letter_template"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.warn is not None:
        changes["warn_working_days"] = args.warn
    if args.team is not None:
        changes["team_code"] = args.team
    if args.stopped_by is not None:
        changes["stopped_by"] = args.stopped_by
    if args.roll is not None:
        changes["roll_forward"] = args.roll == "forward"
    if args.active is not None:
        changes["active"] = args.active == "on"
    if not changes:
        raise ValidationError("rule", "nothing to change; give --period, --unit, --warn, …")
    ctx = context(args)
    with ctx.db.write() as session:
        rule = clock_rules.set_rule(
            session,
            ctx.actor,
            case_type=case_type,
            event=event,
            clock_key=clock_key,
            changes=changes,
        )
    if args.json:
        print_json(_rule_dict(rule))
    else:
        print(plain(f"{rule.key}: {rule.label}, {rule.period_text} ({rule.source})"))
    return 0


def _closure_add(args: argparse.Namespace) -> int:
    day = parse_uk_date(args.date, field="date")
    ctx = context(args)
    with ctx.db.write() as session:
        row = clock_rules.add_closure(session, ctx.actor, day=day, reason=args.reason)
    if args.json:
        print_json({"day": row.day, "reason": row.reason})
    else:
        print(plain(f"office closed on {row.day:%A} {fmt_date(row.day)}: {row.reason}"))
    return 0


def _closure_remove(args: argparse.Namespace) -> int:
    day = parse_uk_date(args.date, field="date")
    ctx = context(args)
    with ctx.db.write() as session:
        row = clock_rules.remove_closure(session, ctx.actor, day=day)
    if args.json:
        print_json({"day": row.day, "reason": row.reason, "removed": True})
    else:
        print(plain(f"office open again on {row.day:%A} {fmt_date(row.day)} (was: {row.reason})"))
    return 0


def _closure_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = clock_rules.list_closures(
            session, ctx.actor, from_day=None if args.all else clock.today()
        )
    if args.json:
        print_json({"closures": [{"day": r.day, "reason": r.reason} for r in rows]})
        return 0
    rows_shown = [[f"{r.day:%a}", fmt_date(r.day), r.reason] for r in rows]
    print_table(["DAY", "DATE", "REASON"], rows_shown)
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "rules",
        help="statutory clock rules per case type",
        description="The clock rules: which casework event starts which clock on which case "
        "type, for how long, with what warning and task. Shipped with defaults; a system "
        "administrator changes them with `rules set`.",
    )
    sub = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    a = sub.add_parser("list", help="every clock rule in force")
    a.add_argument("--case-type", metavar="CODE", help="one case type only (e.g. MHC)")
    add_json_flag(a)
    a.set_defaults(handler=_list)

    a = sub.add_parser("show", help="one clock rule")
    a.add_argument("rule", metavar="CASETYPE/EVENT/CLOCK", help="e.g. MHC/recall/recall_reports")
    add_json_flag(a)
    a.set_defaults(handler=_show)

    a = sub.add_parser("set", help="change a clock rule, or add one (system administrators)")
    a.add_argument("rule", metavar="CASETYPE/EVENT/CLOCK", help="e.g. MHC/recall/recall_reports")
    a.add_argument("--label", help="what the clock is called")
    a.add_argument("--period", type=int, help="how long it runs, in --unit")
    a.add_argument("--unit", choices=list(UNITS), help="what the period counts")
    a.add_argument("--roll", choices=["forward", "none"], help="an end on a closed day moves on")
    a.add_argument("--warn", type=int, metavar="N", help="warn N working days before the end")
    a.add_argument("--task-kind", help="kind of task raised (default: deadline)")
    a.add_argument("--team", metavar="CODE", help="team the task goes to (default: the case's)")
    a.add_argument("--priority", type=int, help="1 (urgent) to 5")
    a.add_argument("--stopped-by", metavar="EVENT,…", help="events that stop the clock")
    a.add_argument("--letter", help="stock letter proposed when the event is recorded")
    a.add_argument(
        "--letter-template",
        metavar="CODE",
        help="template code of the letter the clock's task issues ('' for none)",
    )
    a.add_argument("--active", choices=["on", "off"], help="switch the rule on or off")
    add_json_flag(a)
    a.set_defaults(handler=_set)

    c = subparsers.add_parser(
        "closures",
        help="office closure days (not working days)",
        description="Days the offices are closed: no clock counts them as working days.",
    )
    csub = c.add_subparsers(dest="closures_command", metavar="ACTION", required=True)
    a = csub.add_parser("add", help="add a closure day (system administrators)")
    a.add_argument("date", metavar="DD/MM/YYYY")
    a.add_argument("--reason", required=True, help="e.g. 'office move'")
    add_json_flag(a)
    a.set_defaults(handler=_closure_add)
    a = csub.add_parser("remove", help="remove a closure day (system administrators)")
    a.add_argument("date", metavar="DD/MM/YYYY")
    add_json_flag(a)
    a.set_defaults(handler=_closure_remove)
    a = csub.add_parser("list", help="closure days from today (--all: every one)")
    a.add_argument("--all", action="store_true", help="past ones too")
    add_json_flag(a)
    a.set_defaults(handler=_closure_list)
