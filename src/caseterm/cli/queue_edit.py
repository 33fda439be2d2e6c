"""`caseterm queue save|delete`: your own named queues over tasks (the workstation's home screen
lists them with the built-in ones; `--shared` shows one to everyone)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from caseterm.cli.case_cmds import choose, plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS

if TYPE_CHECKING:
    from caseterm.core.services import queues

ASSIGNED = {"anyone": None, "me": "me", "team": "team", "nobody": "none"}


def find_queue(summaries: list[queues.QueueSummary], wanted: str) -> queues.QueueSummary:
    """A queue by key (`my_work`, `saved:3`) or by name, ignoring case, spaces and dashes."""
    folded = wanted.strip().casefold()
    loose = folded.replace("-", "_").replace(" ", "_")
    for q in summaries:
        if folded in (q.key.casefold(), q.name.casefold()) or loose == q.key:
            return q
    choices = ", ".join(f"{q.key} ({q.name})" for q in summaries)
    raise ValidationError("queue", f"no queue {wanted!r}; choose from {choices}")


def save_queue_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import queues, saved_queues

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
    from caseterm.core.services import queues, saved_queues

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


def register_queue_edits(queue_sub: Any) -> None:
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
    saver.add_argument("--due-within", type=int, metavar="DAYS", help="due within DAYS days")
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
