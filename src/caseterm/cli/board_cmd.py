"""`caseterm board`: the team information board's figures, for the daily meeting or a script."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.rules.money import format_pence
from caseterm.core.rules.when import parse_day


def figure_text(value: float, unit: str) -> str:
    if unit == "pence":
        return format_pence(value)
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{value:g}"


def change_text(value: float, unit: str) -> str:
    if value == 0:
        return "same"
    sign = "+" if value > 0 else "-"
    return sign + figure_text(abs(value), unit)


def add_scope_args(parser: argparse.ArgumentParser) -> None:
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument("--team", metavar="CODE", help="a team (default: yours)")
    whose.add_argument("--office", metavar="CODE", help="an office (every team in it)")


def board_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import board, data_span

    ctx = context(args)
    day = parse_day(args.date, clock.today(), prefer="past") if args.date else None
    with ctx.db.read() as session:
        scope = board.resolve_scope(session, ctx.actor, team=args.team, office=args.office)
        if day is not None:
            data_span.check_span(
                session, ctx.actor, start=day, end=day, start_field="--date", end_field="--date"
            )
        shown = board.team_board(session, ctx.actor, scope=scope, day=day)
        listed = (
            board.board_list(session, ctx.actor, scope=scope, figure=args.list, day=day)
            if args.list
            else None
        )
    if args.json:
        data: dict[str, Any] = {
            "scope": shown.scope,
            "day": shown.day,
            "figures": shown.figures,
            "ageing": [
                {"bucket": b, "today": n, "same_day_last_week": w} for b, n, w in shown.ageing
            ],
            "people": shown.people,
            "trends": shown.trends,
        }
        if listed is not None:
            data["list"] = listed
        print_json(data)
        return 0
    if listed is not None:
        print(f"{listed.label} on {listed.day:%a %d/%m/%Y}, {shown.scope.title}:")
        print_table(
            ("Ref", "Subject", "What", "Who", "When", "Status"),
            [(r.reference, r.subject, r.what, r.who, r.when or "", r.status) for r in listed.rows],
        )
        if listed.hidden:
            print(f"({listed.hidden} on restricted cases not listed)")
        return 0
    print(f"Board for {shown.scope.title} on {shown.day:%a %d/%m/%Y}")
    print_table(
        ("Figure", "Today", "vs last week", "Yesterday", "vs last week"),
        [
            (
                f.label,
                figure_text(f.today, f.unit),
                change_text(f.today - f.today_week_ago, f.unit),
                figure_text(f.yesterday, f.unit),
                change_text(f.yesterday - f.yesterday_week_ago, f.unit),
            )
            for f in shown.figures
        ],
    )
    print()
    print_table(
        ("Open work by age (working days)", "Today", "A week ago"),
        [(b, n, w) for b, n, w in shown.ageing],
    )
    if shown.people:
        print()
        print_table(
            ("Completed by", "Today", "Yesterday"),
            [(p.name, p.completed_today, p.completed_yesterday) for p in shown.people],
        )
    print()
    for t in shown.trends:
        print(f"{t.label} (12 weeks): " + " ".join(figure_text(v, t.unit) for v in t.values))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "board",
        help="the team information board: today's and yesterday's figures",
        description="The team information board (TIB): work received, completed (per person), "
        "in progress, unallocated, overdue, failed-to-attend rate, money taken, deadlines met "
        "and missed, letters issued and checked, sampled checks passed and failed, for today "
        "and yesterday, each against the same day last week; open work by age; 12-week "
        "trends. --list FIGURE lists what a figure counts (restricted cases are counted, "
        "never listed).",
    )
    add_scope_args(p)
    p.add_argument("--date", help="the day (default today): 25/11/2026, yesterday, -7")
    p.add_argument(
        "--list",
        metavar="FIGURE",
        help="list what a figure counts: received, completed, in_progress, unallocated, "
        "overdue, failed_to_attend, money_taken, deadlines_met, deadlines_missed, "
        "letters_issued, letters_checked, checks_passed, checks_failed; the open work by age: "
        "age_0_5, age_6_10, age_11_20, age_over_20; what one person completed yesterday and "
        "today: completed_by_ID (the staff id in the board's --json people)",
    )
    add_json_flag(p)
    p.set_defaults(handler=board_cmd)
