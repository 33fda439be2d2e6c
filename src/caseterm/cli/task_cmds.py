"""`caseterm task take|complete|reopen|assign|priority ID`, `caseterm task add REF`: working one
task from a script or a shell."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import choose, logged_refusal, plain, restricted_exit, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id
from caseterm.cli.working_days import read_day, warn
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.when import DAY_EXAMPLES
from caseterm.core.services import cases, org, tasks
from caseterm.core.services.common import staff_name
from caseterm.core.services.task_info import TaskInfo


def _task_dict(session: Session, task: TaskInfo) -> dict[str, Any]:
    team = next((t for t in org.list_teams(session) if t.id == task.team_id), None)
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
        "team": team.code if team else None,
        "team_name": team.name if team else None,
        "outcome": task.outcome,
        "completed_on_behalf": task.completed_on_behalf,
        "version": task.version,
    }


def _act(session: Session, args: argparse.Namespace, actor: Any) -> TaskInfo:
    command = args.task_command
    if command == "take":
        return tasks.take_task(session, actor, args.id)
    if command == "complete":
        return tasks.complete_task(
            session, actor, task_id=args.id, outcome=args.outcome, on_behalf=args.on_behalf
        )
    if command == "reopen":
        return tasks.reopen_task(session, actor, task_id=args.id, reason=args.reason)
    if command == "priority":
        return tasks.set_task_priority(session, actor, task_id=args.id, priority=args.priority)
    if command == "add":
        return _add(session, args, actor)
    if not (args.to or args.team):
        raise ValidationError("assign", "give --to LOGIN or --team CODE")
    assignee = staff_by_login(session, args.to, "to") if args.to else None
    team = org.team_by_code(session, args.team) if args.team else None
    return tasks.assign_task(
        session,
        actor,
        task_id=args.id,
        assignee_id=assignee.id if assignee else None,
        team_id=team.id if team else None,
    )


def _add(session: Session, args: argparse.Namespace, actor: Any) -> TaskInfo:
    kind = choose("kind", args.kind, TASK_KINDS)
    due = None
    if args.due:
        due, args.due_warning = read_day(session, args.due, field="--due")
    case = cases.case_by_reference(session, args.reference)
    assignee = staff_by_login(session, args.to, "to") if args.to else None
    team = org.team_by_code(session, args.team) if args.team else None
    return tasks.create_task(
        session,
        actor,
        kind=kind,
        title=args.title,
        case_id=case.id,
        due_date=due,
        priority=args.priority,
        assignee_id=assignee.id if assignee else None,
        team_id=team.id if team else None,
        details=args.details,
    )


def _said(command: str, result: dict[str, Any]) -> str:
    team = f"team {result['team']} ({result['team_name']})" if result["team"] else "no team"
    if command == "add":
        whom = result["assignee"] or f"{team}, unallocated"
        return f"added task {result['id']} for {whom}: {result['title']}"
    if command == "assign":
        whom = result["assignee"] or f"{team}'s unallocated work"
        return f"assigned task {result['id']} to {whom}: {result['title']}"
    if command == "priority":
        return f"task {result['id']} is now priority {result['priority']}: {result['title']}"
    if command == "reopen":
        return f"reopened task {result['id']} ({result['status']}): {result['title']}"
    done = {"take": "took", "complete": "completed"}[command]
    behalf = f" on behalf of {result['assignee']}" if result["completed_on_behalf"] else ""
    return f"{done} task {result['id']}{behalf}: {result['title']}"


def task_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        result = logged_refusal(lambda: _task_dict(session, _act(session, args, ctx.actor)))
    if isinstance(result, RestrictedError):
        return restricted_exit(result, args.json)
    warn("--due", getattr(args, "due_warning", ""))
    if args.json:
        print_json(result)
        return 0
    print(plain(_said(args.task_command, result)))
    return 0


def register(subparsers: Any) -> None:
    task = subparsers.add_parser(
        "task", help="add, take, complete, reopen, assign or prioritise a task"
    )
    task_sub = task.add_subparsers(dest="task_command", metavar="ACTION", required=True)
    take = task_sub.add_parser(
        "take",
        help="take an open task nobody holds",
        description="Take a task; if someone took it first, says who (exit 1).",
    )
    complete = task_sub.add_parser(
        "complete",
        help="mark a task done",
        description="Mark a task done. A task someone else holds is refused unless you manage "
        "their team or give --on-behalf (recorded on the task and in the journal).",
    )
    complete.add_argument("--outcome", default="", help="what was done (optional)")
    complete.add_argument(
        "--on-behalf",
        action="store_true",
        help="you did it on behalf of the colleague who holds it",
    )
    reopen = task_sub.add_parser(
        "reopen",
        help="reopen a done or cancelled task",
        description="Reopen a done or cancelled task; it keeps its assignee.",
    )
    reopen.add_argument("--reason", default="", help="why it is reopened (optional)")
    assign = task_sub.add_parser(
        "assign",
        help="give a task to a colleague or back to a team",
        description="Give a task to a member of staff (--to) or a team's unallocated pile "
        "(--team).",
    )
    assign.add_argument("--to", metavar="LOGIN", help="the member of staff")
    assign.add_argument("--team", metavar="CODE", help="the team")
    priority = task_sub.add_parser("priority", help="change a task's priority (1 urgent … 4 low)")
    for sub in (take, complete, reopen, assign, priority):
        sub.add_argument("id", type=record_id("task"), metavar="ID", help="task number")
        add_json_flag(sub)
        sub.set_defaults(handler=task_cmd)
    priority.add_argument("priority", type=int, metavar="PRIORITY", help="1 urgent … 4 low")
    add = task_sub.add_parser(
        "add",
        help="create a task on a case",
        description="Create a task on a case, for a member of staff (--to) or a team's "
        "unallocated work (--team; default the case's team). Kinds (key or label): "
        + ", ".join(TASK_KINDS)
        + ".",
    )
    add.add_argument("reference", help="case reference")
    add.add_argument("--kind", required=True, help="task kind, e.g. general or 'Post in'")
    add.add_argument("--title", required=True, help="what is to be done")
    add.add_argument("--due", metavar="DAY", help=f"due date, e.g. {DAY_EXAMPLES}")
    add.add_argument("--priority", type=int, default=3, help="1 urgent … 4 low (default 3)")
    add.add_argument("--to", metavar="LOGIN", help="the member of staff")
    add.add_argument("--team", metavar="CODE", help="the team")
    add.add_argument("--details", default="", help="more about it (optional)")
    add_json_flag(add)
    add.set_defaults(handler=task_cmd)
