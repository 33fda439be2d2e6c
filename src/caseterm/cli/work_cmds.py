"""`caseterm queue list|show`, `caseterm diary` and `caseterm task take|complete|assign`: the
day's work for scripts (`--json`) and for people (plain text).

The queue, diary and task services are imported by the handlers that use them: they pull in the
bank-holiday calendar, which every other command would otherwise pay for at start-up."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from caseterm.cli.case_cmds import (
    fmt_date,
    logged_refusal,
    plain,
    restricted_exit,
    staff_by_login,
)
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.queue_edit import find_queue, register_queue_edits
from caseterm.core import clock
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.models import Task
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, TASK_KINDS, label
from caseterm.core.rules.when import parse_day
from caseterm.core.services import org
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor

if TYPE_CHECKING:
    from caseterm.core.services import diary_views, queues

# --- queues --------------------------------------------------------------------------------


def _queue_dict(q: queues.QueueSummary) -> dict[str, Any]:
    return asdict(q)


def list_queues_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import queues

    ctx = context(args)
    with ctx.db.read() as session:
        summaries = queues.list_queues(session, ctx.actor)
    if args.json:
        print_json([_queue_dict(q) for q in summaries])
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
    from caseterm.core.services import queues

    if args.limit < 1 or args.offset < 0:
        raise ValidationError("limit", "--limit must be at least 1 and --offset not negative")
    ctx = context(args)
    with ctx.db.read() as session:
        found = find_queue(queues.list_queues(session, ctx.actor), args.name)
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
    print_table(
        ["ID", "DUE", "P", "KIND", "CASE", "SUBJECT", "TITLE", "ASSIGNEE"],
        [
            [
                f"appt {r.appointment_id}" if r.appointment_id else r.task_id,
                fmt_date(r.due_date) + (" !" if r.overdue else ""),
                r.priority,
                _row_dict(r)["kind_label"],
                r.case_reference,
                r.subject_name,
                r.title,
                r.assignee_name,
            ]
            for r in rows
        ],
    )
    return 0


# --- diary ---------------------------------------------------------------------------------


def _room(session: Session, text: str) -> org.RoomInfo:
    """A room by name, or `OFFICE/Name` where two offices have a room of that name."""
    office_code, _, name = text.rpartition("/")
    rooms = org.list_rooms(session)
    offices = {o.id: o.code for o in org.list_offices(session)}
    matches = [
        r
        for r in rooms
        if r.name.casefold() == name.strip().casefold()
        and (not office_code or offices.get(r.office_id, "").casefold() == office_code.casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        which = ", ".join(f"{offices.get(r.office_id, '?')}/{r.name}" for r in matches)
        raise ValidationError("room", f"{text!r} is in more than one office; say which: {which}")
    known = ", ".join(f"{offices.get(r.office_id, '?')}/{r.name}" for r in rooms) or "none"
    raise ValidationError("room", f"no room {text!r}; rooms: {known}")


def _diary_filter(
    session: Session, actor: Actor, args: argparse.Namespace
) -> tuple[str, dict[str, Any]]:
    """Whose diary: a title and the keyword arguments for the diary service."""
    if args.team:
        team = org.team_by_code(session, args.team)
        return f"team {team.code} {team.name}", {"team_id": team.id}
    if args.room:
        room = _room(session, args.room)
        return f"room {room.name}", {"room_id": room.id}
    if args.office:
        office = org.office_by_code(session, args.office)
        return f"office {office.code} {office.name}", {"office_id": office.id}
    if args.staff:
        member = staff_by_login(session, args.staff, "staff")
        return member.name, {"staff_id": member.id}
    return actor.name, {"staff_id": actor.id}


def _appointment_dict(row: diary_views.DiaryRow) -> dict[str, Any]:
    a = row.appointment
    return {
        "id": a.id,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "kind": a.kind,
        "kind_label": label(APPOINTMENT_KINDS, a.kind),
        "status": a.status,
        "case_reference": row.case_reference,
        "person_name": row.person_name,
        "staff_name": row.staff_name,
        "room_name": row.room_name,
        "location": a.location,
        "restricted": row.restricted,
        "version": a.version,
    }


def diary_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import diary_views

    today = clock.today()
    day = parse_day(args.date, today, field="date") if args.date else today
    first = day - timedelta(days=day.weekday()) if args.week else day
    last = first + timedelta(days=6 if args.week else 0)
    ctx = context(args)
    with ctx.db.read() as session:
        title, whose = _diary_filter(session, ctx.actor, args)
        rows = diary_views.diary_range(
            session,
            ctx.actor,
            start=datetime.combine(first, time.min),
            end=datetime.combine(last + timedelta(days=1), time.min),
            **whose,
        )
    items = [_appointment_dict(r) for r in rows]
    if args.json:
        print_json({"from": first, "to": last, "whose": title, "appointments": items})
        return 0
    span = f"{first:%A} {fmt_date(first)}"
    if last != first:
        span += f" to {last:%A} {fmt_date(last)}"
    print(plain(f"Diary of {title}: {span} — {len(items)} appointments"))
    by_day: dict[date, list[dict[str, Any]]] = {}
    for item in items:
        by_day.setdefault(item["starts_at"].date(), []).append(item)
    for on in sorted(by_day):
        print(f"\n{on:%A} {fmt_date(on)}")
        print_table(
            ["TIME", "KIND", "CASE", "PERSON", "STAFF", "ROOM", "STATUS"],
            [
                [
                    f"{i['starts_at']:%H:%M}–{i['ends_at']:%H:%M}",
                    i["kind_label"],
                    i["case_reference"],
                    i["person_name"],
                    i["staff_name"],
                    i["room_name"] or i["location"],
                    i["status"].replace("_", " "),
                ]
                for i in by_day[on]
            ],
        )
    return 0


# --- tasks ---------------------------------------------------------------------------------


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
    from caseterm.core.services import tasks

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
    shower.add_argument("--limit", type=int, default=50, help="items per page (default 50)")
    shower.add_argument("--offset", type=int, default=0, help="items to skip (default 0)")
    add_json_flag(shower)
    shower.set_defaults(handler=show_queue_cmd)
    register_queue_edits(queue_sub)

    diary_parser = subparsers.add_parser(
        "diary",
        help="a day's or week's appointments",
        description="Appointments for a day (or its week, Monday to Sunday, with --week): "
        "yours unless --staff, --team, --room or --office says whose. Restricted cases you "
        "may not see show as 'Restricted'.",
    )
    diary_parser.add_argument(
        "date",
        nargs="?",
        metavar="DATE",
        help="today (default), tomorrow, mon…sun (the coming one), 22/11/2026, 2026-11-22, +3",
    )
    whose = diary_parser.add_mutually_exclusive_group()
    whose.add_argument("--staff", metavar="LOGIN", help="a colleague's diary")
    whose.add_argument("--team", metavar="CODE", help="a team's diary")
    whose.add_argument("--room", metavar="NAME", help="a room's diary (OFFICE/NAME if shared)")
    whose.add_argument("--office", metavar="CODE", help="an office's diary")
    diary_parser.add_argument("--week", action="store_true", help="the whole week of DATE")
    add_json_flag(diary_parser)
    diary_parser.set_defaults(handler=diary_cmd)

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
        sub.add_argument("id", type=int, metavar="ID", help="task number")
        add_json_flag(sub)
        sub.set_defaults(handler=task_cmd)
