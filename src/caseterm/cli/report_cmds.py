"""`caseterm report list` and `caseterm report NAME`: management reports for a team or an office
over a period, printed, as JSON, or written as CSV (UTF-8 with a byte-order mark) or XLSX (a
formatted table and a native chart). Fit for cron: the file is written whole or not at all, and
any error exits non-zero with one line on stderr."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.board_cmd import add_scope_args, figure_text
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.rules.when import parse_day


def list_reports_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import reports

    infos = reports.list_reports()
    if args.json:
        print_json(infos)
    else:
        print_table(
            ("Report", "Title", "What it shows"), [(i.name, i.title, i.what) for i in infos]
        )
    return 0


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "pence":
        return figure_text(value, "pence")
    if kind == "date":
        return f"{value:%d/%m/%Y}"
    if kind == "percent":
        return f"{value:.1f}%"
    return str(value)


def report_cmd(args: argparse.Namespace) -> int:
    if args.name == "list":
        return list_reports_cmd(args)
    from caseterm.core import exports
    from caseterm.core.services import board, data_span, reports

    today = clock.today()
    start = parse_day(args.start, today, prefer="past", field="--from") if args.start else None
    end = parse_day(args.end, today, prefer="past", field="--to") if args.end else None
    for option, target in (("--csv", args.csv), ("--xlsx", args.xlsx)):
        if target:
            exports.check_output_path(Path(target), option=option)
    ctx = context(args)
    with ctx.db.read() as session:
        scope = board.resolve_scope(session, ctx.actor, team=args.team, office=args.office)
        # after today, ends before it starts: said first, naming the option typed
        reports.period_of(start, end, start_field="--from", end_field="--to")
        data_span.check_span(
            session, ctx.actor, start=start, end=end, start_field="--from", end_field="--to"
        )
        report = reports.run_report(
            session, ctx.actor, name=args.name, scope=scope, start=start, end=end
        )
    if args.csv or args.xlsx:
        sheet = reports.report_sheet(report)
        if args.csv:
            n = exports.write_csv(Path(args.csv), sheet)
            print(f"wrote {args.csv}: {report.title}, {n} rows")
        if args.xlsx:
            n = exports.write_xlsx(Path(args.xlsx), [sheet])
            print(f"wrote {args.xlsx}: {report.title}, {n} rows and a chart")
        return 0
    if args.json:
        print_json(
            {
                "report": report.name,
                "title": report.title,
                "scope": report.scope,
                "from": report.period.start,
                "to": report.period.end,
                "columns": report.columns,
                "rows": report.as_dicts(),
                "notes": report.notes,
            }
        )
        return 0
    period = f"{report.period.start:%d/%m/%Y} to {report.period.end:%d/%m/%Y}"
    print(f"{report.title}: {report.scope.title}, {period}")
    for note in report.notes:
        print(note)
    print_table(
        [c.label for c in report.columns],
        [
            [_cell(v, c.kind) for v, c in zip(row, report.columns, strict=True)]
            for row in report.rows
        ],
    )
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="management reports (caseterm report list names them)",
        description="Run a management report for your team (or --team/--office) over a period "
        "(default: the last 12 weeks). `caseterm report list` names the reports. Output: a "
        "table, --json, --csv FILE (UTF-8 with a byte-order mark) or --xlsx FILE (a formatted "
        "table with a chart). For cron: the file is written whole or not at all; errors exit "
        "non-zero.",
    )
    p.add_argument("name", metavar="NAME", help="a report name, or `list`")
    add_scope_args(p)
    p.add_argument("--from", dest="start", metavar="DATE", help="first day (e.g. 01/09/2026)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day (default today)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write CSV (UTF-8 with BOM)")
    out.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook with a chart")
    add_json_flag(p)
    p.set_defaults(handler=report_cmd)
