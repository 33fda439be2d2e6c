"""`caseterm event add REF KIND --date D [--details TEXT]` and `caseterm event list REF`: the
casework events on a case's timeline, which start and stop its statutory clocks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core import clock
from caseterm.core.rules.catalogue import RECEIVED_KINDS
from caseterm.core.rules.when import parse_day
from caseterm.core.services import case_events, cases, deadlines


def _read(path: Path) -> bytes:
    from caseterm.cli.document_cmds import read_file

    return read_file(path)


def event_dict(row: case_events.EventRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "label": row.label,
        "date": row.event_date,
        "details": row.details,
        "recorded_by": row.recorded_by,
        "recorded_at": row.recorded_at,
        "documents": [
            {"id": d.document_id, "kind": d.kind, "title": d.title, "filename": d.filename}
            for d in row.documents
        ],
    }


def clock_dict(row: deadlines.ClockRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "case_reference": row.case_reference,
        "clock": row.clock,
        "label": row.label,
        "started_on": row.started_on,
        "due_date": row.due_date,
        "warn_date": row.warn_date,
        "status": row.status,
        "stopped_on": row.stopped_on,
        "late_by": row.late_by,
        "reason": row.reason,
        "working_days_left": row.working_days_left if row.status == "running" else None,
        "overdue": row.overdue,
        "in_words": row.in_words,
        "letter_template": row.letter_template,
    }


def _add(args: argparse.Namespace) -> int:
    from caseterm.core.services import received_evidence

    day = parse_day(args.date, clock.today(), prefer="past", field="date")
    path = Path(args.file) if args.file else None
    data = _read(path) if path is not None else None
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.case_by_reference(session, args.reference)
        with_doc = received_evidence.record_event_with_document(
            session,
            ctx.actor,
            case_id=case.id or 0,
            kind=args.kind,
            event_date=day,
            details=args.details or "",
            document_id=args.document,
            filename=path.name if path is not None else "",
            data=data,
            document_kind=args.file_kind,
        )
        done = with_doc.recorded
        started = [
            c
            for c in deadlines.case_clocks(session, ctx.actor, case_id=case.id or 0)
            if c.id in done.started
        ]
    if args.json:
        print_json(
            {
                "event_id": done.event_id,
                "case_reference": case.reference,
                "document_id": with_doc.document_id,
                "started": [clock_dict(c) for c in started],
                "stopped": list(done.stopped),
                "task_ids": list(done.task_ids),
            }
        )
        return 0
    print(plain(f"recorded event #{done.event_id} on {case.reference} ({fmt_date(day)})"))
    if with_doc.document_id is not None:
        print(f"  evidenced by document #{with_doc.document_id}")
    for c in started:
        print(plain(f"  started: {c.label}, due {fmt_date(c.due_date)} ({c.in_words})"))
    if done.stopped:
        print(f"  stopped {len(done.stopped)} clock(s)")
    if done.task_ids:
        print(f"  raised task(s): {', '.join('#' + str(t) for t in done.task_ids)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.case_by_reference(session, args.reference)
        rows = case_events.list_events(session, ctx.actor, case_id=case.id or 0, kind=args.kind)
        clocks = deadlines.case_clocks(session, ctx.actor, case_id=case.id or 0)
    if args.json:
        print_json(
            {
                "case_reference": case.reference,
                "events": [event_dict(r) for r in rows],
                "clocks": [clock_dict(c) for c in clocks],
            }
        )
        return 0
    print_table(
        ["#", "DATE", "EVENT", "DETAILS", "RECORDED BY", "DOCUMENTS"],
        [
            [
                r.id,
                fmt_date(r.event_date),
                r.label,
                r.details,
                r.recorded_by,
                ", ".join(d.short for d in r.documents),
            ]
            for r in rows
        ],
    )
    if clocks:
        print()
        print_table(
            ["CLOCK", "STARTED", "ENDS", "STATE"],
            [[c.label, fmt_date(c.started_on), fmt_date(c.due_date), c.in_words] for c in clocks],
        )
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "event",
        help="casework events on a case's timeline (start and stop its clocks)",
        description="Record a casework event (a recall, a tribunal application, a breach "
        "referral…) or list a case's timeline. `caseterm rules list` shows which event starts "
        "which clock.",
    )
    sub = p.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    a = sub.add_parser("add", help="record an event on a case")
    a.add_argument("reference", metavar="REF", help="case reference, e.g. MH/2026/000007")
    a.add_argument("kind", metavar="KIND", help="event kind, e.g. recall, tribunal_application")
    a.add_argument("--date", required=True, help="when it happened: today, 01/12/2026, -3…")
    a.add_argument("--details", help="what happened")
    doc = a.add_mutually_exclusive_group()
    doc.add_argument(
        "--document",
        type=record_id("document"),
        metavar="ID",
        help="a document of the case that evidences it (caseterm document list REF)",
    )
    doc.add_argument("--file", metavar="FILE", help="a received file that evidences it (stored)")
    a.add_argument(
        "--file-kind",
        default="other",
        choices=list(RECEIVED_KINDS),
        help="what the --file is (default: other)",
    )
    add_json_flag(a)
    a.set_defaults(handler=_add)
    a = sub.add_parser("list", help="a case's timeline and clocks")
    a.add_argument("reference", metavar="REF")
    a.add_argument("--kind", help="one event kind only")
    add_json_flag(a)
    a.set_defaults(handler=_list)
