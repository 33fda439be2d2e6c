"""`caseterm diary book|move|cancel|court-list`: book a meeting with attendees (staff by login,
guests by name), once or repeating until a date or a number of times; move or cancel one
appointment or it and the rest of its series; a day's court list by court and session."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import choose, fmt_date, plain, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.diary_common import appointment_dict, room_by_name
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.cli.working_days import day_note, read_moment, warn
from caseterm.core import clock
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, SESSION_LABELS, label
from caseterm.core.rules.recurrence import RECURRENCES
from caseterm.core.rules.when import parse_day

REPEATS = [r for r in RECURRENCES if r]


def _length(text: str) -> Any:
    from caseterm.tui.widgets.diary_clashes import parse_length

    return parse_length(text, "--length")


def _logins(values: list[str] | None) -> list[str]:
    """`--attendee a,b --attendee c` as ["a", "b", "c"]."""
    return [w.strip() for v in values or [] for w in v.split(",") if w.strip()]


def book_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import cases, diary, diary_views

    today = clock.today()
    starts = read_moment(args.at, field="--at")
    length = _length(args.length)
    kind = choose("kind", args.kind, APPOINTMENT_KINDS)
    repeat = choose("repeat", args.repeat, {r: r for r in REPEATS}) if args.repeat else ""
    until = parse_day(args.until, today, field="--until") if args.until else None
    ctx = context(args)
    with ctx.db.write() as session:
        member = staff_by_login(session, args.staff, "--staff") if args.staff else None
        attendees = [staff_by_login(session, x, "--attendee") for x in _logins(args.attendee)]
        room = room_by_name(session, args.room) if args.room else None
        case = cases.case_by_reference(session, args.case) if args.case else None
        note = day_note(session, starts.date())
        booked = diary.book_appointment(
            session,
            ctx.actor,
            staff_id=member.id if member else ctx.actor.id,
            starts_at=starts,
            ends_at=starts + length,
            kind=kind,
            case_id=case.id if case else None,
            room_id=room.id if room else None,
            location=args.location or "",
            notes=args.notes or "",
            recurrence=repeat,
            occurrences=args.count or 1,
            until=until,
            attendee_ids=[a.id for a in attendees],
            guests=args.guest or [],
            allow_conflicts=args.anyway,
        )
        ids = [a.id or 0 for a in booked]
        rows = {
            r.appointment.id: r
            for r in diary_views.diary_range(
                session,
                ctx.actor,
                start=booked[0].starts_at,
                end=booked[-1].ends_at,
                staff_id=booked[0].staff_id,
            )
        }
    items = [appointment_dict(rows[i]) for i in ids if i in rows]
    warn("--at", note)
    if args.json:
        print_json({"booked": items})
        return 0
    first = items[0]
    who = ", ".join(first["attendees"])
    more = f" (and {len(items) - 1} more, {repeat})" if len(items) > 1 else ""
    print(
        plain(
            f"booked #{first['id']} {first['kind_label']} {fmt_date(first['starts_at'].date())} "
            f"{first['starts_at']:%H:%M}–{first['ends_at']:%H:%M} with {first['staff_name']}"
            + (f", {who}" if who else "")
            + (f" in {first['room_name']}" if first["room_name"] else "")
            + more
        )
    )
    return 0


def _scope(args: argparse.Namespace) -> str:
    return "this and the rest of its series" if args.rest else "this one"


def move_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import diary, diary_series

    starts = read_moment(args.to, field="--to")
    ctx = context(args)
    with ctx.db.write() as session:
        if args.length:
            length = _length(args.length)
        else:
            length = diary_series.appointment_length(session, ctx.actor, appointment_id=args.id)
        if args.rest:
            done = diary_series.move_rest_of_series(
                session,
                ctx.actor,
                appointment_id=args.id,
                starts_at=starts,
                ends_at=starts + length,
                allow_conflicts=args.anyway,
            )
            moved, new = list(done.changed_ids), list(done.new_ids)
        else:
            one = diary.reschedule_appointment(
                session,
                ctx.actor,
                appointment_id=args.id,
                starts_at=starts,
                ends_at=starts + length,
                allow_conflicts=args.anyway,
            )
            moved, new = [args.id], [one.id or 0]
        note = day_note(session, starts.date())
    warn("--to", note)
    if args.json:
        print_json({"moved": moved, "new": new, "scope": "rest" if args.rest else "one"})
        return 0
    print(plain(f"moved {len(moved)} appointment(s) ({_scope(args)}); new ids: {new}"))
    return 0


def cancel_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import diary, diary_series

    ctx = context(args)
    with ctx.db.write() as session:
        if args.rest:
            ids = list(
                diary_series.cancel_rest_of_series(
                    session, ctx.actor, appointment_id=args.id, reason=args.reason
                ).changed_ids
            )
        else:
            diary.cancel_appointment(session, ctx.actor, appointment_id=args.id, reason=args.reason)
            ids = [args.id]
    if args.json:
        print_json({"cancelled": ids, "scope": "rest" if args.rest else "one"})
        return 0
    print(plain(f"cancelled {len(ids)} appointment(s) ({_scope(args)})"))
    return 0


def court_list_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import diary_court, org

    today = clock.today()
    day = parse_day(args.date, today, field="--date") if args.date else today
    ctx = context(args)
    with ctx.db.read() as session:
        office = org.office_by_code(session, args.office) if args.office else None
        sittings = diary_court.court_list(
            session, ctx.actor, day=day, office_id=office.id if office else None
        )
    if args.json:
        print_json(
            {
                "date": day,
                "sittings": [
                    {
                        "court": c.court,
                        "session": c.session,
                        "hearings": [appointment_dict(h) for h in c.hearings],
                    }
                    for c in sittings
                ],
            }
        )
        return 0
    total = sum(len(c.hearings) for c in sittings)
    print(plain(f"Court list for {day:%A} {fmt_date(day)} — {total} hearing(s)"))
    for c in sittings:
        print(plain(f"\n{c.court} · {SESSION_LABELS[c.session]}"))
        print_table(
            ["TIME", "KIND", "CASE", "PERSON", "OFFICER"],
            [
                [
                    f"{h.appointment.starts_at:%H:%M}",
                    label(APPOINTMENT_KINDS, h.appointment.kind),
                    h.case_reference,
                    h.person_name,
                    h.staff_name,
                ]
                for h in c.hearings
            ],
        )
    return 0


def add_action_parsers(actions: Any) -> None:
    """The diary's actions, beside `show` (added by diary_cmds)."""
    book = actions.add_parser(
        "book",
        help="book an appointment or a meeting with attendees, once or repeating",
        description="Book an appointment (yours unless --staff), with other staff (--attendee "
        "LOGIN,LOGIN) and people outside caseterm (--guest NAME) attending. Clashes of anyone, "
        "the room or the person refuse it (named one by one) unless --anyway. A repeat needs an "
        "end: --until DATE or --count N.",
    )
    book.add_argument("--at", required=True, metavar="WHEN", help="e.g. '24/11/2026 10:00'")
    book.add_argument("--length", default="1h", help="45m, 1h, 1h30 (default 1h)")
    book.add_argument("--kind", default="meeting", help="supervision, meeting, court hearing…")
    book.add_argument("--staff", metavar="LOGIN", help="whom it is with (default: you)")
    book.add_argument(
        "--attendee", action="append", metavar="LOGIN,…", help="staff attending (repeatable)"
    )
    book.add_argument(
        "--guest", action="append", metavar="NAME", help="someone outside caseterm (repeatable)"
    )
    book.add_argument("--case", metavar="REF", help="the case it is for")
    book.add_argument("--room", metavar="NAME", help="a room (OFFICE/NAME if shared)")
    book.add_argument("--location", help="where, when not in a room (e.g. a court)")
    book.add_argument("--notes")
    book.add_argument("--repeat", metavar="HOW", help=f"one of {', '.join(REPEATS)}")
    book.add_argument("--until", metavar="DATE", help="the last day a repeat may fall on")
    book.add_argument("--count", type=int, metavar="N", help="how many times in all")
    book.add_argument("--anyway", action="store_true", help="book over clashes")
    add_json_flag(book)
    book.set_defaults(handler=book_cmd)

    move = actions.add_parser(
        "move",
        help="move an appointment, or it and the rest of its series",
        description="Move appointment ID to --to (keeping its length unless --length); with "
        "--rest, every later booked occurrence of its series moves by the same shift.",
    )
    move.add_argument("id", type=record_id("appointment"), metavar="ID")
    move.add_argument("--to", required=True, metavar="WHEN", help="the new start")
    move.add_argument("--length", help="a new length (45m, 1h…)")
    move.add_argument("--rest", action="store_true", help="this and the rest of the series")
    move.add_argument("--anyway", action="store_true", help="move over clashes")
    add_json_flag(move)
    move.set_defaults(handler=move_cmd)

    cancel = actions.add_parser(
        "cancel",
        help="cancel an appointment, or it and the rest of its series",
        description="Cancel appointment ID giving the reason; with --rest, every later booked "
        "occurrence of its series too.",
    )
    cancel.add_argument("id", type=record_id("appointment"), metavar="ID")
    cancel.add_argument("--reason", required=True)
    cancel.add_argument("--rest", action="store_true", help="this and the rest of the series")
    add_json_flag(cancel)
    cancel.set_defaults(handler=cancel_cmd)

    court = actions.add_parser(
        "court-list",
        help="a day's hearings by court and session (morning, afternoon)",
        description="Court hearings and tribunals for a day, by court (the room, or the "
        "location given) and session: morning before 13:00, afternoon from then.",
    )
    court.add_argument("--date", metavar="DATE", help="today (default), tomorrow, 24/11/2026…")
    court.add_argument("--office", metavar="CODE", help="one office's hearings")
    add_json_flag(court)
    court.set_defaults(handler=court_list_cmd)
