"""`caseterm task take|complete|assign ID`: working one task from a script or a shell."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import logged_refusal, plain, restricted_exit, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.models import Task
from caseterm.core.services import org, tasks
from caseterm.core.services.common import staff_name


def _task_dict(session: Session, task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "kind": task.kind,
        "title": task.title,
        "status": task.status,
        "due_date": task.due_date,
        "priority": task.priority,
        "case_id": task.case_id,
        "assignee": staff_name(session, task.assignee_id) if task.assignee_id else None,
        "team_id": task.team_id,
        "outcome": task.outcome,
        "version": task.version,
    }


def task_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:

        def act() -> dict[str, Any]:
            if args.task_command == "take":
                task = tasks.take_task(session, ctx.actor, args.id)
            elif args.task_command == "complete":
                task = tasks.complete_task(
                    session, ctx.actor, task_id=args.id, outcome=args.outcome
                )
            else:
                if not (args.to or args.team):
                    raise ValidationError("assign", "give --to LOGIN or --team CODE")
                assignee = staff_by_login(session, args.to, "to") if args.to else None
                team = org.team_by_code(session, args.team) if args.team else None
                task = tasks.assign_task(
                    session,
                    ctx.actor,
                    task_id=args.id,
                    assignee_id=assignee.id if assignee else None,
                    team_id=team.id if team else None,
                )
            return _task_dict(session, task)

        result = logged_refusal(act)
    if isinstance(result, RestrictedError):
        return restricted_exit(result, args.json)
    if args.json:
        print_json(result)
        return 0
    done = {"take": "took", "complete": "completed", "assign": "assigned"}[args.task_command]
    whom = f" to {result['assignee'] or 'the team'}" if args.task_command == "assign" else ""
    print(plain(f"{done} task {result['id']}{whom}: {result['title']}"))
    return 0


def register(subparsers: Any) -> None:
    task = subparsers.add_parser("task", help="take, complete or assign a task")
    task_sub = task.add_subparsers(dest="task_command", metavar="ACTION", required=True)
    take = task_sub.add_parser(
        "take",
        help="take an open task nobody holds",
        description="Take a task; if someone took it first, says who (exit 1).",
    )
    complete = task_sub.add_parser("complete", help="mark a task done")
    complete.add_argument("--outcome", default="", help="what was done (optional)")
    assign = task_sub.add_parser(
        "assign",
        help="give a task to a colleague or back to a team",
        description="Give a task to a member of staff (--to) or a team's unallocated pile "
        "(--team).",
    )
    assign.add_argument("--to", metavar="LOGIN", help="the member of staff")
    assign.add_argument("--team", metavar="CODE", help="the team")
    for sub in (take, complete, assign):
        sub.add_argument("id", type=record_id("task"), metavar="ID", help="task number")
        add_json_flag(sub)
        sub.set_defaults(handler=task_cmd)
