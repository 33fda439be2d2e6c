"""`caseterm diary [DATE]` (`diary show`): a day's or week's appointments, yours or a
colleague's, a team's, a room's or an office's, of one kind or all; and the diary's actions
(`diary book|move|cancel|court-list`, in diary_book_cmds)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from sqlmodel import Session

from caseterm.cli.common import choose, fmt_date, plain, staff_by_login
from caseterm.cli.context import context
from caseterm.cli.diary_common import appointment_dict as _appointment_dict
from caseterm.cli.diary_common import room_by_name as _room
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, label, status_label
from caseterm.core.rules.when import parse_day
from caseterm.core.services import diary_deadlines, diary_views, org
from caseterm.core.services.identity import Actor


def _diary_filter(
    session: Session, actor: Actor, args: argparse.Namespace
) -> tuple[str, dict[str, Any]]:
    """Whose diary: a title and the keyword arguments for the diary service."""
    if args.team:
        team = org.team_by_code(session, args.team)
        return f"team {team.code} {team.name}", {"team_id": team.id}
    if args.room:
        room = _room(session, args.room)
        return f"room {room.label}", {"room_id": room.id}
    if args.office:
        office = org.office_by_code(session, args.office)
        return f"office {office.code} {office.name}", {"office_id": office.id}
    if args.staff:
        member = staff_by_login(session, args.staff, "staff")
        return member.name, {"staff_id": member.id}
    return actor.name, {"staff_id": actor.id}


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
    kinds = [choose("kind", k, APPOINTMENT_KINDS) for k in args.kind or []]
    ctx = context(args)
    with ctx.db.read() as session:
        title, whose = _diary_filter(session, ctx.actor, args)
        if kinds:
            title += f" ({', '.join(label(APPOINTMENT_KINDS, k).lower() for k in kinds)})"
        if args.ics:
            return _export_diary(session, ctx.actor, title, first, last, whose, Path(args.ics))
        rows = diary_views.diary_range(
            session,
            ctx.actor,
            start=datetime.combine(first, time.min),
            end=datetime.combine(last + timedelta(days=1), time.min),
            kinds=kinds,
            **whose,
        )
        due = _deadlines(session, ctx.actor, args, first, last, whose) if args.deadlines else None
    items = [_appointment_dict(r) for r in rows]
    if args.json:
        found: dict[str, Any] = {"from": first, "to": last, "whose": title, "appointments": items}
        if due is not None:
            found["deadlines"] = [_deadline_dict(d) for d in due.rows]
            found["deadlines_hidden"] = due.hidden
        print_json(found)
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
    if due is not None:
        _print_deadlines(due)
    return 0


def _deadlines(
    session: Session,
    actor: Actor,
    args: argparse.Namespace,
    first: date,
    last: date,
    whose: dict[str, Any],
) -> diary_deadlines.DiaryDeadlines:
    """The statutory deadlines on the cases of whose diary it is (a member of staff's or a
    team's): what `--deadlines` adds."""
    if "staff_id" not in whose and "team_id" not in whose:
        raise ValidationError("--deadlines", "shows a member of staff's or a team's deadlines")
    keys = {k: v for k, v in whose.items() if k in ("staff_id", "team_id")}
    return diary_deadlines.diary_deadlines(session, actor, first=first, last=last, **keys)


def _deadline_dict(row: diary_deadlines.DiaryDeadline) -> dict[str, Any]:
    c = row.clock
    return {
        "clock_id": c.id,
        "case_reference": c.case_reference,
        "clock": c.clock,
        "label": c.label,
        "due_date": c.due_date,
        "working_days_left": c.working_days_left,
        "overdue": c.overdue,
        "in_words": c.in_words,
        "person_name": row.person_name,
        "owner_name": row.owner_name,
    }


def _print_deadlines(due: diary_deadlines.DiaryDeadlines) -> None:
    hidden = f" ({due.hidden} on restricted cases not shown)" if due.hidden else ""
    print(plain(f"\nDeadlines: {len(due.rows)}{hidden}"))
    print_table(
        ["DUE", "CASE", "DEADLINE", "PERSON", "OWNER", "LEFT"],
        [
            [
                f"{d.due_date:%a} {fmt_date(d.due_date)}",
                d.clock.case_reference,
                d.clock.label,
                d.person_name,
                d.owner_name,
                d.clock.in_words,
            ]
            for d in due.rows
        ],
    )


class _ActionsOrDate(dict[str, Any]):
    """The actions by name, where argparse's check of a choice lets a date through too."""

    def __contains__(self, key: object) -> bool:
        return True


class _DiaryActions(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The diary's actions, where anything that is not one (`caseterm diary tomorrow --week`)
    is the date of `diary show`, read into the options already given (`diary --team T mon`)."""

    def let_dates_through(self) -> None:
        """Once every action is added: argparse's check of a choice lets a date through."""
        self.choices = _ActionsOrDate(self._name_parser_map)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if values and values[0] not in self._name_parser_map:
            show = self._name_parser_map["show"]
            rest = show.parse_known_args(list(values), namespace)[1]
            if rest:
                show.error(f"unrecognized arguments: {' '.join(rest)}")
            return
        super().__call__(parser, namespace, values, option_string)


def _add_show_arguments(parser: Any) -> None:
    parser.add_argument(
        "date",
        nargs="?",
        metavar="DATE",
        help="today (default), tomorrow, mon…sun (the coming one), 22/11/2026, 2026-11-22, +3",
    )
    _add_show_options(parser)


def _add_show_options(parser: Any) -> None:
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument("--staff", metavar="LOGIN", help="a colleague's diary")
    whose.add_argument("--team", metavar="CODE", help="a team's diary")
    whose.add_argument("--room", metavar="NAME", help="a room's diary (OFFICE/NAME if shared)")
    whose.add_argument("--office", metavar="CODE", help="an office's diary")
    parser.add_argument("--week", action="store_true", help="the whole week of DATE")
    parser.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="only this kind of appointment, e.g. 'court hearing' (repeatable)",
    )
    parser.add_argument(
        "--deadlines",
        action="store_true",
        help="also the statutory deadlines due on the cases (a member of staff's or a team's), "
        "and those already overdue when the range holds today",
    )
    add_json_flag(parser)
    parser.add_argument(
        "--ics", metavar="FILE", help="write these appointments as an iCalendar file"
    )


def register(subparsers: Any) -> None:
    from caseterm.cli.diary_book_cmds import add_action_parsers

    description = (
        "Appointments for a day (or its week, Monday to Sunday, with --week): "
        "yours unless --staff, --team, --room or --office says whose, of one --kind or all. "
        "Restricted cases you may not see show as 'Restricted'."
    )
    diary_parser = subparsers.add_parser(
        "diary",
        help="a day's or week's appointments",
        description=description
        + " Also: diary book, move, cancel (one or --rest of a series), attendees, court-list, "
        "agenda, minutes and booking (one booking with its agenda and minutes).",
    )
    _add_show_options(diary_parser)
    diary_parser.set_defaults(handler=diary_cmd, date=None)
    actions = diary_parser.add_subparsers(
        dest="diary_action", metavar="[DATE | ACTION]", action=_DiaryActions
    )
    show = actions.add_parser("show", help="the diary (the default)", description=description)
    _add_show_arguments(show)
    show.set_defaults(handler=diary_cmd)
    add_action_parsers(actions)
    from caseterm.cli.diary_attendees_cmds import add_attendees_parser

    add_attendees_parser(actions)
    from caseterm.cli.diary_papers_cmds import add_papers_parsers

    add_papers_parsers(actions)
    cast(_DiaryActions, actions).let_dates_through()
