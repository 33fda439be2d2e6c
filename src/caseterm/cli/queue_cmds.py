"""`caseterm queue list|show|save|delete`: the queues of work with their counts, a page of one,
and your own named queues over tasks (the workstation's home screen lists them with the built-in
ones; `--shared` shows one to everyone)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import choose, fmt_date, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import whole_number
from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS, label
from caseterm.core.services import queues, saved_queues
from caseterm.core.services.identity import Actor
from caseterm.core.text import listing, shorten

ASSIGNED = {"anyone": None, "me": "me", "team": "team", "nobody": "none"}


def find_queue(summaries: list[queues.QueueSummary], wanted: str) -> queues.QueueSummary:
    """A queue by key (`my_work`, `saved:3`) or by name, ignoring case, spaces and dashes."""
    folded = wanted.strip().casefold()
    loose = folded.replace("-", "_").replace(" ", "_")
    for q in summaries:
        if folded in (q.key.casefold(), q.name.casefold()) or loose == q.key:
            return q
    choices = listing([f"{q.key} ({q.name})" for q in summaries])
    raise ValidationError("queue", f"no queue {shorten(wanted, 60)!r}; choose from {choices}")


# --- list and show -------------------------------------------------------------------------


def list_queues_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        summaries = queues.list_queues(session, ctx.actor)
    if args.json:
        print_json([asdict(q) for q in summaries])
        return 0
    print_table(
        ["KEY", "NAME", "ITEMS", "OVERDUE", "OWNER"],
        [
            [q.key, q.name, q.count, q.overdue or "", q.owner_name + (" (shared)" * q.shared)]
            for q in summaries
        ],
    )
    return 0


def _row_dict(row: queues.TaskRow) -> dict[str, Any]:
    data = asdict(row)
    data["kind_label"] = label(TASK_KINDS, row.kind) if row.kind != "arrival" else "Arrival"
    return data


def show_queue_cmd(args: argparse.Namespace) -> int:
    if args.limit < 1 or args.offset < 0:
        raise ValidationError("limit", "--limit must be at least 1 and --offset not negative")
    target, kind = (args.csv, "csv") if args.csv else (args.xlsx, "xlsx")
    if target:
        from caseterm.core import exports

        exports.check_output_path(Path(target), option=f"--{kind}")
    ctx = context(args)
    with ctx.db.read() as session:
        found = find_queue(queues.list_queues(session, ctx.actor), args.name)
        if target:
            return _export_queue(session, ctx.actor, found, Path(target), kind)
        rows = queues.queue_page(
            session, ctx.actor, key=found.key, offset=args.offset, limit=args.limit
        )
    if args.json:
        print_json(
            {
                "key": found.key,
                "name": found.name,
                "count": found.count,
                "overdue": found.overdue,
                "offset": args.offset,
                "limit": args.limit,
                "items": [_row_dict(r) for r in rows],
            }
        )
        return 0
    late = f", {found.overdue} overdue" if found.overdue else ""
    shown = f"; showing {args.offset + 1}–{args.offset + len(rows)}" if rows else ""
    print(plain(f"{found.name}: {found.count} items{late}{shown}"))
    if not rows:
        return 0
    # The Incoming queue says where each item arrived (OFFICE; its items have no case yet).
    office = found.key == "incoming"
    print_table(
        ["ID", "DUE", "P", "KIND", *(["OFFICE"] * office), "CASE", "SUBJECT", "TITLE", "ASSIGNEE"],
        [
            [
                f"appt {r.appointment_id}" if r.appointment_id else r.task_id,
                fmt_date(r.due_date) + (" !" if r.overdue else ""),
                r.priority,
                _row_dict(r)["kind_label"],
                *([r.office_code or "—"] * office),
                r.case_reference,
                r.subject_name,
                r.title,
                r.assignee_name,
            ]
            for r in rows
        ],
    )
    return 0


def _export_queue(
    session: Session, actor: Actor, found: queues.QueueSummary, target: Path, kind: str
) -> int:
    """The whole queue (not one page) to a CSV or XLSX file, written whole or not at all."""
    from caseterm.core import exports
    from caseterm.core.services import export_views

    sheet = export_views.queue_sheet(session, actor, key=found.key, title=found.name)
    write = exports.write_csv if kind == "csv" else lambda path, s: exports.write_xlsx(path, [s])
    n = write(target, sheet)
    print(plain(f"wrote {target}: {found.name}, {n} items"))
    return 0


# --- save and delete -----------------------------------------------------------------------


def save_queue_cmd(args: argparse.Namespace) -> int:
    kinds = [
        choose("kind", k, TASK_KINDS) for part in args.kind for k in part.split(",") if k.strip()
    ]
    status = None if args.status == "any" else args.status
    flt = saved_queues.QueueFilter(
        kinds=kinds,
        assignee=ASSIGNED[args.assigned],
        status=status,
        due_within_days=args.due_within,
        case_type=args.case_type,
    )
    ctx = context(args)
    with ctx.db.write() as session:
        saved = saved_queues.save_queue(
            session, ctx.actor, name=args.name, flt=flt, shared=args.shared
        )
        key = saved.key
        count, overdue = queues.queue_totals(session, ctx.actor, key)
    if args.json:
        print_json(
            {
                "key": key,
                "name": saved.name,
                "shared": saved.shared,
                "count": count,
                "overdue": overdue,
                "filters": flt,
            }
        )
    else:
        print(plain(f"saved queue {key} {saved.name!r}: {count} items now"))
    return 0


def delete_queue_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        found = find_queue(queues.list_queues(session, ctx.actor), args.name)
        if found.builtin:
            raise ValidationError("queue", f"{found.name!r} is built in and cannot be deleted")
        saved_queues.delete_queue(session, ctx.actor, int(found.key.split(":", 1)[1]))
    if args.json:
        print_json({"key": found.key, "name": found.name, "deleted": True})
    else:
        print(plain(f"deleted queue {found.key} {found.name!r}"))
    return 0


# --- registration --------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    queue = subparsers.add_parser("queue", help="queues of work and their counts")
    queue_sub = queue.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    lister = queue_sub.add_parser(
        "list",
        help="every queue you can see, with counts",
        description="The built-in queues, then your saved queues and those shared with you, "
        "with how many items each holds and how many are overdue.",
    )
    add_json_flag(lister)
    lister.set_defaults(handler=list_queues_cmd)
    shower = queue_sub.add_parser(
        "show",
        help="one page of a queue",
        description="A page of a queue in queue order (overdue and earliest due first, then "
        "priority). NAME is a key from 'queue list' (my_work, saved:3) or a queue's name.",
    )
    shower.add_argument("name", metavar="NAME", help="queue key or name, e.g. my_work")
    shower.add_argument(
        "--limit", type=whole_number, default=50, help="items per page (default 50)"
    )
    shower.add_argument("--offset", type=whole_number, default=0, help="items to skip (default 0)")
    add_json_flag(shower)
    out = shower.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write the whole queue as CSV (UTF-8, BOM)")
    out.add_argument("--xlsx", metavar="FILE", help="write the whole queue as an Excel workbook")
    shower.set_defaults(handler=show_queue_cmd)
    _register_edits(queue_sub)


def _register_edits(queue_sub: Any) -> None:
    saver = queue_sub.add_parser(
        "save",
        help="save a named queue over tasks",
        description="Save your own queue: tasks of the given kinds, assigned as given, with "
        "the given status, due within N days (overdue included), of one case type. 'me' and "
        "'team' mean whoever looks at the queue. Kinds: " + ", ".join(TASK_KINDS) + ".",
    )
    saver.add_argument("name", metavar="NAME", help="what to call it (unique among yours)")
    saver.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND[,KIND]",
        help="task kinds (repeat or comma-separate; default any)",
    )
    saver.add_argument(
        "--assigned", choices=tuple(ASSIGNED), default="anyone", help="whose (default anyone)"
    )
    saver.add_argument(
        "--status",
        default=TaskStatus.OPEN,
        choices=(*TaskStatus, "any"),
        help="task status (default open)",
    )
    saver.add_argument(
        "--due-within", type=whole_number, metavar="DAYS", help="due within DAYS days"
    )
    saver.add_argument("--case-type", metavar="CODE", help="only cases of this type, e.g. OM")
    saver.add_argument("--shared", action="store_true", help="everyone sees it too")
    add_json_flag(saver)
    saver.set_defaults(handler=save_queue_cmd)
    deleter = queue_sub.add_parser(
        "delete",
        help="delete one of your saved queues",
        description="Delete a saved queue of yours by key (saved:3) or name. Built-in queues "
        "cannot be deleted; a system administrator may delete anyone's.",
    )
    deleter.add_argument("name", metavar="NAME", help="queue key or name")
    add_json_flag(deleter)
    deleter.set_defaults(handler=delete_queue_cmd)
