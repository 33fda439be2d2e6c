"""`caseterm reviews run` (the scheduler, for cron), `caseterm deadlines` (running statutory
clocks, overdue ones in words) and `caseterm clock met|waive ID` (compliance)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import fmt_date, plain, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.event_cmds import clock_dict
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.review_cmds import add_review_commands
from caseterm.core import clock
from caseterm.core.rules.when import parse_day
from caseterm.core.services import case_events, clock_scheduler, deadlines, org


def _raised_dict(r: clock_scheduler.RaisedRow) -> dict[str, Any]:
    return {
        "key": r.key,
        "case_id": r.case_id,
        "title": r.title,
        "due_date": r.due_date,
        "task_id": r.task_id,
    }


def _print_raised(rows: tuple[clock_scheduler.RaisedRow, ...]) -> None:
    for r in rows:
        print(plain(f"  {r.key}  {r.title}" + (f"  → task #{r.task_id}" if r.task_id else "")))


def _run(args: argparse.Namespace) -> int:
    ctx = context(args)
    day = clock.today()
    if args.dry_run:
        with ctx.db.read() as session:
            run = clock_scheduler.run_scheduler(session, ctx.actor, today=day, dry_run=True)
        if args.json:
            items = [_raised_dict(r) for r in run.raised]
            print_json({"day": day, "dry_run": True, "count": run.count, "raised": items})
            return 0
        print(f"would raise {run.count} task(s) due by {fmt_date(day)}")
        _print_raised(run.raised)
        return 0

    def write(work: Callable[[Session], clock_scheduler.SchedulerRun]) -> Any:
        with ctx.db.write() as session:
            return work(session)

    # A batch per transaction (tens of thousands after a long gap); text is printed as each
    # batch commits, JSON once at the end.
    kept: list[dict[str, Any]] = []

    def each(run: clock_scheduler.SchedulerRun) -> None:
        if args.json:
            kept.extend(_raised_dict(r) for r in run.raised)
        else:
            _print_raised(run.raised)

    count = clock_scheduler.raise_due(write, ctx.actor, today=day, each=each)
    if args.json:
        print_json({"day": day, "dry_run": False, "count": count, "raised": kept})
    else:
        print(f"raised {count} task(s) due by {fmt_date(day)}")
    return 0


def _deadlines(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        whose: dict[str, Any] = {}
        if args.team:
            whose["team_id"] = org.team_by_code(session, args.team).id
        elif args.staff:
            whose["staff_id"] = staff_by_login(session, args.staff, "staff").id
        found = deadlines.deadline_list(session, ctx.actor, overdue_only=args.overdue, **whose)
    if args.json:
        print_json({"deadlines": [clock_dict(r) for r in found.rows], "hidden": found.hidden})
        return 0
    print_table(
        ["CASE", "CLOCK", "ENDS", "STATE", "LETTER"],
        [
            [r.case_reference, r.label, fmt_date(r.due_date), r.in_words, r.letter_template or "-"]
            for r in found.rows
        ],
    )
    if found.hidden:
        print(f"({found.hidden} on restricted cases not shown)")
    return 0


def _close(waive: bool) -> Any:
    def handler(args: argparse.Namespace) -> int:
        on = parse_day(args.date, clock.today(), prefer="past") if args.date else None
        ctx = context(args)
        with ctx.db.write() as session:
            status = case_events.close_clock(
                session,
                ctx.actor,
                clock_id=args.clock_id,
                on=on,
                waive_reason=args.reason if waive else "",
            )
        if args.json:
            print_json({"clock_id": args.clock_id, "status": status})
        else:
            print(f"clock {args.clock_id}: {status}")
        return 0

    return handler


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "reviews",
        help="raise the tasks of clocks and reviews that are due (for cron)",
        description="The scheduler: raises each statutory clock's warning and end task, and "
        "each review schedule's 'review due' task, exactly once, however many run it at once.",
    )
    sub = p.add_subparsers(dest="reviews_command", metavar="ACTION", required=True)
    a = sub.add_parser("run", help="raise what is due today")
    a.add_argument("--dry-run", action="store_true", help="say what would be raised; write nothing")
    add_json_flag(a)
    a.set_defaults(handler=_run)
    add_review_commands(sub)

    d = subparsers.add_parser(
        "deadlines",
        help="running statutory clocks, soonest first",
        description="Running clocks on your team's cases (or --team's, or the cases --staff "
        "owns), with working days left; overdue ones say so in words.",
    )
    whose = d.add_mutually_exclusive_group()
    whose.add_argument("--team", metavar="CODE", help="a team's cases")
    whose.add_argument("--staff", metavar="LOGIN", help="cases a member of staff owns")
    d.add_argument("--overdue", action="store_true", help="only those past their end")
    add_json_flag(d)
    d.set_defaults(handler=_deadlines)

    c = subparsers.add_parser("clock", help="record a statutory clock as met or waived")
    csub = c.add_subparsers(dest="clock_command", metavar="ACTION", required=True)
    a = csub.add_parser("met", help="the clock was met (late if after its end)")
    a.add_argument("clock_id", type=int, metavar="ID")
    a.add_argument("--date", help="when (default: today)")
    add_json_flag(a)
    a.set_defaults(handler=_close(False), reason="")
    a = csub.add_parser("waive", help="waive the clock, with a reason")
    a.add_argument("clock_id", type=int, metavar="ID")
    a.add_argument("--reason", required=True)
    add_json_flag(a)
    a.set_defaults(handler=_close(True), date=None)
