"""`caseterm checks rate set|list`, `checks draw`, `checks list`, `checks accuracy` and
`caseterm check show|pass|fail ID`: sampled cross-checking of colleagues' work."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseterm.cli.common import fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core import clock
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import check_outcomes, checks
from caseterm.core.services.check_outcomes import CheckInfo


def rate_set_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        rate = checks.set_rate(
            session,
            ctx.actor,
            team=args.team,
            work_kind=args.kind,
            percent=args.percent,
            staff_login=args.staff,
        )
    if args.json:
        print_json(asdict(rate))
    else:
        whose = f" ({rate.staff})" if rate.staff else ""
        print(plain(f"{rate.team} {rate.work_kind}{whose}: {rate.percent}% checked"))
    return 0


def rate_list_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rates = checks.list_rates(session, ctx.actor)
    if args.json:
        print_json([asdict(r) for r in rates])
        return 0
    print_table(
        ("TEAM", "KIND", "STAFF", "PERCENT"),
        [(r.team, r.work_kind, r.staff or "(team)", r.percent) for r in rates],
    )
    return 0


def draw_cmd(args: argparse.Namespace) -> int:
    day = parse_uk_date(args.date, field="--date") if args.date else None
    ctx = context(args)
    with ctx.db.write() as session:
        result = checks.draw_checks(session, ctx.actor, day=day, dry_run=args.dry_run)
    if args.json:
        print_json(asdict(result))
        return 0
    verb = "would draw" if result.dry_run else "drew"
    print(
        f"{fmt_date(result.day)}: {verb} {len(result.drawn)} check(s); "
        f"{result.already} already drawn"
    )
    print_table(
        ("ID", "TEAM", "KIND", "ITEM", "OFFICER", "CHECKER"),
        [
            (d.id or "-", d.team, d.work_kind, d.item_id, d.officer, d.checker or "(team)")
            for d in result.drawn
        ],
    )
    return 0


def list_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = check_outcomes.checks_awaiting(session, ctx.actor)
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    print_table(
        ("ID", "WORK OF", "KIND", "ITEM", "CASE", "OFFICER"),
        [
            (r.id, fmt_date(r.drawn_for), r.work_label, r.item_id, r.reference, r.officer)
            for r in rows
        ],
    )
    return 0


def accuracy_cmd(args: argparse.Namespace) -> int:
    today = clock.today()
    start = parse_uk_date(args.date_from, field="--from") if args.date_from else today
    end = parse_uk_date(args.date_to, field="--to") if args.date_to else today
    ctx = context(args)
    with ctx.db.read() as session:
        figures = check_outcomes.accuracy(
            session, ctx.actor, team=args.team, date_from=start, date_to=end
        )
    if args.json:
        print_json(asdict(figures))
        return 0
    print(plain(f"{figures.team}: checks decided {fmt_date(start)} to {fmt_date(end)}"))
    print_table(
        ("OFFICER", "CHECKED", "PASSED", "FAILED", "ACCURACY"),
        [
            (o.name, o.checked, o.passed, o.failed, "-" if o.percent is None else f"{o.percent}%")
            for o in [*figures.officers, figures.total]
        ],
    )
    for category, count in figures.failures_by_category.items():
        print(plain(f"  failed as {category}: {count}"))
    return 0


def _show(info: CheckInfo, as_json: bool) -> None:
    if as_json:
        print_json(asdict(info))
        return
    print(plain(f"Check #{info.id}: {info.work_label} #{info.item_id} by {info.officer}"))
    print(plain(f"  case {info.reference or '-'}; work of {fmt_date(info.drawn_for)}"))
    width = max((len(name) for name, _ in info.work), default=0)
    for name, value in info.work:
        print(plain(f"  {name:<{width}} {value}"))
    print(plain(f"  status {info.status}" + (f" ({info.category})" if info.category else "")))
    if info.notes:
        print(plain(f"  notes: {info.notes}"))
    if info.rework_task_id:
        print(f"  rework task #{info.rework_task_id}")
    if info.status == "pending":
        print("  categories: " + ", ".join(code for code, _ in info.categories))


def show_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        info = check_outcomes.show_check(session, ctx.actor, check_id=args.id)
    _show(info, args.json)
    return 0


def pass_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        info = check_outcomes.pass_check(session, ctx.actor, check_id=args.id, notes=args.notes)
    _show(info, args.json)
    return 0


def fail_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        info = check_outcomes.fail_check(
            session, ctx.actor, check_id=args.id, category=args.category or "", notes=args.notes
        )
    _show(info, args.json)
    return 0


def _with(p: Any, handler: Any) -> None:
    add_json_flag(p)
    p.set_defaults(handler=handler)


def register(subparsers: Any) -> None:
    top = subparsers.add_parser("checks", help="sampled cross-checking of colleagues' work")
    sub = top.add_subparsers(dest="checks_command", metavar="ACTION", required=True)
    rate = sub.add_parser("rate", help="what share of a team's work is checked")
    rate_sub = rate.add_subparsers(dest="rate_command", metavar="ACTION", required=True)
    p = rate_sub.add_parser(
        "set", help="set the rate for a team's work of one kind (co-ordinators)"
    )
    p.add_argument("--team", required=True, metavar="CODE", help="team code")
    p.add_argument("--kind", required=True, help="kind of work: task, contact or write_off")
    p.add_argument("--percent", required=True, type=int, help="0 to 100 (0 stops sampling)")
    p.add_argument("--staff", metavar="LOGIN", help="a rate for one officer's work (new starter)")
    _with(p, rate_set_cmd)
    _with(rate_sub.add_parser("list", help="every sampling rate"), rate_list_cmd)
    p = sub.add_parser(
        "draw",
        help="draw a day's sample of work as checks (for cron)",
        description="Draw the sample of a day's work (default yesterday) at every rate. The "
        "sample is seeded from the date, team and kind, so drawing again gives the same items "
        "and adds nothing new.",
    )
    p.add_argument("--date", help="the day whose work is sampled, dd/mm/yyyy (default yesterday)")
    p.add_argument("--dry-run", action="store_true", help="show the sample, make no checks")
    _with(p, draw_cmd)
    _with(sub.add_parser("list", help="sampled checks awaiting me"), list_cmd)
    p = sub.add_parser("accuracy", help="checks passed and failed per officer of a team")
    p.add_argument("--team", required=True, metavar="CODE", help="team code")
    p.add_argument("--from", dest="date_from", help="first day dd/mm/yyyy (default today)")
    p.add_argument("--to", dest="date_to", help="last day dd/mm/yyyy (default today)")
    _with(p, accuracy_cmd)

    one = subparsers.add_parser("check", help="pass or fail a sampled check")
    one_sub = one.add_subparsers(dest="check_command", metavar="ACTION", required=True)
    for name, text, handler in (
        ("show", "a check with the work and its checklist", show_cmd),
        ("pass", "the work was right", pass_cmd),
        ("fail", "the work was wrong: raises a rework task to the officer", fail_cmd),
    ):
        p = one_sub.add_parser(name, help=text)
        p.add_argument("id", type=record_id("check"), help="check id")
        if name != "show":
            p.add_argument("--notes", default="", help="what was found (required to fail)")
        if name == "fail":
            p.add_argument("--category", help="error category (check show lists them)")
        _with(p, handler)
