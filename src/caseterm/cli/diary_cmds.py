"""`caseterm diary [DATE]`: a day's or week's appointments, yours or a colleague's, a team's,
a room's or an office's."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import fmt_date, plain, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, label, status_label
from caseterm.core.rules.when import parse_day
from caseterm.core.services import diary_views, org
from caseterm.core.services.identity import Actor
from caseterm.core.text import listing, shorten


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
        which = listing([f"{offices.get(r.office_id, '?')}/{r.name}" for r in matches])
        raise ValidationError(
            "room", f"{shorten(text, 60)!r} is in more than one office; say which: {which}"
        )
    known = listing([f"{offices.get(r.office_id, '?')}/{r.name}" for r in rooms]) or "none"
    raise ValidationError("room", f"no room {shorten(text, 60)!r}; rooms: {known}")


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


def _export_diary(
    session: Session,
    actor: Actor,
    title: str,
    first: date,
    last: date,
    whose: dict[str, Any],
    target: Path,
) -> int:
    """The diary as an iCalendar file (Europe/London times) for the calendar staff already use."""
    from caseterm.core import exports
    from caseterm.core.services import export_views

    events = export_views.diary_events(
        session,
        actor,
        start=datetime.combine(first, time.min),
        end=datetime.combine(last + timedelta(days=1), time.min),
        **whose,
    )
    n = exports.write_ics(target, events, name=f"caseterm: {title}")
    print(plain(f"wrote {target}: the diary of {title}, {n} appointments"))
    return 0


def diary_cmd(args: argparse.Namespace) -> int:
    today = clock.today()
    day = parse_day(args.date, today, field="date") if args.date else today
    first = day - timedelta(days=day.weekday()) if args.week else day
    last = first + timedelta(days=6 if args.week else 0)
    if args.ics:
        from caseterm.core import exports

        exports.check_output_path(Path(args.ics), option="--ics")
    ctx = context(args)
    with ctx.db.read() as session:
        title, whose = _diary_filter(session, ctx.actor, args)
        if args.ics:
            return _export_diary(session, ctx.actor, title, first, last, whose, Path(args.ics))
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
                    status_label(i["status"]),
                ]
                for i in by_day[on]
            ],
        )
    return 0


def register(subparsers: Any) -> None:
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
    diary_parser.add_argument(
        "--ics", metavar="FILE", help="write these appointments as an iCalendar file"
    )
    diary_parser.set_defaults(handler=diary_cmd)
