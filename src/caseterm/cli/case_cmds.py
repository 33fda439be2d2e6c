"""`caseterm case show|open`: a case's header, latest contacts, open tasks and next
appointments, and opening a new case file (for scripts with `--json`, for people as text)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import Session

from caseterm.cli.case_lifecycle_cmds import register_lifecycle
from caseterm.cli.common import (
    fmt_date,
    fmt_when,
    logged_refusal,
    plain,
    restricted_exit,
    staff_by_login,
)
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules.catalogue import (
    APPOINTMENT_KINDS,
    TASK_KINDS,
    WARNING_KINDS,
    label,
    status_label,
)
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import cases, contacts, diary_views, org, people, task_lists
from caseterm.core.services.cases import CaseView
from caseterm.core.services.diary_views import DiaryRow
from caseterm.core.services.identity import Actor
from caseterm.core.services.org import OfficeInfo, TeamInfo
from caseterm.core.services.queues import TaskRow
from caseterm.core.services.staff import StaffInfo
from caseterm.core.text import for_display

PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
CONTACTS_SHOWN = 10
TASKS_SHOWN = 20
APPOINTMENTS_SHOWN = 5


# --- case show -----------------------------------------------------------------------------


def _person_dict(view: CaseView) -> dict[str, Any]:
    subject = view.subject
    return {
        "id": subject.id,
        "name": subject.full_name,
        "date_of_birth": subject.date_of_birth,
        "date_of_death": subject.date_of_death,
    }


def _staff_dict(member: StaffInfo | None) -> dict[str, Any] | None:
    return {"login": member.login, "name": member.name} if member else None


def _unit_dict(unit: TeamInfo | OfficeInfo | None) -> dict[str, Any] | None:
    return {"code": unit.code, "name": unit.name} if unit else None


def _contact_dict(row: contacts.ContactRow) -> dict[str, Any]:
    e: contacts.ContactInfo = row.entry
    return {
        "id": e.id,
        "occurred_at": e.occurred_at,
        "logged_at": e.logged_at,
        "type": e.contact_type,
        "outcome": e.outcome,
        "description": contacts.describe(e.contact_type, e.outcome),
        "staff": row.staff_name,
        "notes": e.notes,
        "sensitive": e.sensitive,
        "appointment_id": e.appointment_id,
        "supersedes": e.supersedes_id,
        "superseded_by": row.superseded_by,
    }


def _task_dict(row: TaskRow) -> dict[str, Any]:
    return {
        "id": row.task_id,
        "kind": row.kind,
        "kind_label": label(TASK_KINDS, row.kind),
        "title": row.title,
        "due_date": row.due_date,
        "overdue": row.overdue,
        "priority": row.priority,
        "status": row.status,
        "assignee": row.assignee_name or None,
        "version": row.version,
    }


def _appointment_dict(row: DiaryRow) -> dict[str, Any]:
    a = row.appointment
    return {
        "id": a.id,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "kind": a.kind,
        "kind_label": label(APPOINTMENT_KINDS, a.kind),
        "status": a.status,
        "staff": row.staff_name,
        "room": row.room_name or None,
        "location": a.location,
    }


def case_summary(session: Session, actor: Actor, view: CaseView) -> dict[str, Any]:
    """What `case show` prints, as plain data (the JSON shape)."""
    case = view.case
    assert case.id is not None
    log = contacts.list_contacts(session, actor, case_id=case.id, limit=CONTACTS_SHOWN)
    return {
        "id": case.id,
        "reference": case.reference,
        "case_type": {"code": view.case_type.code, "name": view.case_type.name},
        "subject": _person_dict(view),
        "status": case.status,
        "status_reason": case.status_reason,
        "owner": _staff_dict(view.owner),
        "admin_owner": _staff_dict(view.admin_owner),
        "team": _unit_dict(view.team),
        "office": _unit_dict(view.office),
        "priority": case.priority,
        "restricted": case.restricted,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "summary": case.summary,
        "version": case.version,
        "warnings": [{"kind": w.kind, "text": w.text} for w in view.warnings],
        "parties": [
            {"person_id": p.id, "name": p.full_name, "role": party.role}
            for party, p in view.parties
        ],
        "linked_cases": [c.reference for c in view.links],
        "contact_count": contacts.count_contacts(session, case_id=case.id),
        "contacts": [_contact_dict(r) for r in log],
        "open_tasks": [
            _task_dict(r)
            for r in task_lists.open_tasks_for_case(
                session, actor, case_id=case.id, limit=TASKS_SHOWN
            )
        ],
        "next_appointments": [
            _appointment_dict(r)
            for r in diary_views.upcoming_for_case(
                session, actor, case_id=case.id, limit=APPOINTMENTS_SHOWN
            )
        ],
        **_clock_sections(session, actor, case.id),
    }


def _clock_sections(session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    """The case's timeline of casework events and its statutory clocks (issue 13)."""
    from caseterm.cli.event_cmds import clock_dict, event_dict
    from caseterm.core.services import case_events, deadlines

    return {
        "events": [event_dict(e) for e in case_events.list_events(session, actor, case_id=case_id)],
        "clocks": [clock_dict(c) for c in deadlines.case_clocks(session, actor, case_id=case_id)],
    }


def _print_case(data: dict[str, Any]) -> None:
    def line(title: str, value: object) -> None:
        print(f"{title + ':':<13}{plain(value)}")

    def who(person: dict[str, Any] | None) -> str:
        return person["name"] if person else "(none)"

    def unit(u: dict[str, Any] | None) -> str:
        return f"{u['code']} {u['name']}" if u else "(none)"

    print(plain(f"{data['reference']}  {data['case_type']['name']}"))
    subject = data["subject"]
    born = f" (born {fmt_date(subject['date_of_birth'])})" if subject["date_of_birth"] else ""
    died = f" (died {fmt_date(subject['date_of_death'])})" if subject["date_of_death"] else ""
    line("Subject", f"{subject['name']}{born}{died}  [person {subject['id']}]")
    status = status_label(data["status"])
    line("Status", f"{status} — {data['status_reason']}" if data["status_reason"] else status)
    line("Owner", who(data["owner"]))
    line("Admin owner", who(data["admin_owner"]))
    line("Team", unit(data["team"]))
    line("Office", unit(data["office"]))
    line("Priority", f"{data['priority']} ({PRIORITIES.get(data['priority'], '?')})")
    if data["restricted"]:
        line("Access", "restricted")
    warnings = [f"{label(WARNING_KINDS, w['kind'])}: {w['text']}" for w in data["warnings"]]
    line("Warnings", "; ".join(warnings) if warnings else "none")
    if data["summary"]:
        line("Summary", data["summary"])
    if data["linked_cases"]:
        line("Linked", ", ".join(data["linked_cases"]))
    for party in data["parties"]:
        line("Party", f"{party['name']} ({party['role']}) [person {party['person_id']}]")
    shown, total = len(data["contacts"]), data["contact_count"]
    print(f"\nContact log ({'latest ' + str(shown) + ' of ' if total > shown else ''}{total}):")
    for c in data["contacts"]:
        flags = " [sensitive]" if c["sensitive"] else ""
        if c["superseded_by"]:
            flags += f" [corrected by #{c['superseded_by']}]"
        print(
            plain(f"  #{c['id']} {fmt_when(c['occurred_at'])}  {c['description']}  {c['staff']}")
            + flags
        )
        for note_line in for_display(c["notes"], multiline=True).splitlines():
            print(f"      {note_line}")
    for section, rows in _extra_sections(data):
        print(f"\n{section}:")
        for row in rows:
            print(f"  {plain(row)}")


def _extra_sections(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    tasks = [
        f"#{t['id']} due {fmt_date(t['due_date']) or '-'}{' OVERDUE' if t['overdue'] else ''}  "
        f"P{t['priority']}  {t['kind_label']}: {t['title']}  ({t['assignee'] or 'unassigned'})"
        for t in data["open_tasks"]
    ]
    appointments = [
        f"{fmt_when(a['starts_at'])}–{a['ends_at'].strftime('%H:%M')}  {a['kind_label']}  "
        f"{a['staff']}  {a['room'] or a['location'] or '-'}  ({status_label(a['status'])})"
        for a in data["next_appointments"]
    ]
    clocks = [
        f"{c['label']}: ends {fmt_date(c['due_date'])}, {c['in_words']}"
        for c in data["clocks"]
        if c["status"] == "running"
    ]
    events = [
        f"{fmt_date(e['date'])}  {e['label']}  {e['details']}"
        + "".join(f"  [#{d['id']} {d['filename'] or d['title']}]" for d in e["documents"])
        for e in data["events"]
    ]
    return [
        (f"Open tasks ({len(tasks)})", tasks),
        (f"Next appointments ({len(appointments)})", appointments),
        *([(f"Deadlines ({len(clocks)})", clocks)] if clocks else []),
        *([(f"Timeline ({len(events)})", events)] if events else []),
    ]


def show_case(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        data = logged_refusal(
            lambda: case_summary(
                session,
                ctx.actor,
                cases.view_case(session, ctx.actor, reference_or_id=args.reference),
            )
        )
    if isinstance(data, RestrictedError):
        return restricted_exit(data, args.json)
    if args.json:
        print_json(data)
    else:
        _print_case(data)
    return 0


# --- case open -----------------------------------------------------------------------------


def split_name(text: str) -> tuple[str, str]:
    """'Given Family' (the last word is the family name) or 'Family, Given'."""
    if "," in text:
        family, _, given = text.partition(",")
    else:
        given, _, family = text.strip().rpartition(" ")
    given, family = given.strip(), family.strip()
    if not given or not family:
        raise ValidationError(
            "new_person", 'give the given and family names, e.g. "Ann Smith" or "van Dijk, Ann"'
        )
    return given, family


def team_code(session: Session, team_id: int | None) -> str | None:
    """The code of the team a case went to (chosen by the service when --team is not given)."""
    return next((t.code for t in org.list_teams(session) if t.id == team_id), None)


def open_case_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    dob = parse_uk_date(args.dob, field="dob") if args.dob else None
    if args.dob and args.person is not None:
        raise ValidationError("dob", "--dob goes with --new-person")
    with ctx.db.write() as session:
        if args.person is not None:
            person_id = args.person
        else:
            given, family = split_name(args.new_person)
            person = people.create_person(
                session,
                ctx.actor,
                people.PersonInput(given_name=given, family_name=family, date_of_birth=dob),
                create_anyway=args.create_anyway,
                confirm="add --create-anyway",
            )
            assert person.id is not None
            person_id = person.id
        owner = staff_by_login(session, args.owner, "owner") if args.owner else None
        team = org.team_by_code(session, args.team) if args.team else None
        office = org.office_by_code(session, args.office) if args.office else None
        case = cases.open_case(
            session,
            ctx.actor,
            case_type=args.type,
            subject_id=person_id,
            owner_id=owner.id if owner else None,
            team_id=team.id if team else None,
            office_id=office.id if office else None,
            priority=args.priority,
            summary=args.summary or "",
            status=args.status,
        )
        result = {
            "id": case.id,
            "reference": case.reference,
            "case_type": args.type.strip().upper(),
            "person_id": person_id,
            "status": case.status,
            "owner": owner.login if owner else None,
            "priority": case.priority,
            "team": team_code(session, case.team_id),
        }
    if args.json:
        print_json(result)
    else:
        where = f", team {result['team']}" if result["team"] else ""
        print(f"opened {result['reference']} (person {person_id}{where})")
    return 0


# --- registration --------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    case = subparsers.add_parser("case", help="show, open, edit, transfer or close a case file")
    case_sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    show = case_sub.add_parser(
        "show",
        help="a case's header, latest contacts, open tasks and next appointments",
        description="Show a case. Viewing a restricted case is written to the access log; "
        "one you may not see prints whom to ask and exits with status 3.",
    )
    show.add_argument("reference", help="case reference, e.g. OM/2026/000123")
    add_json_flag(show)
    show.set_defaults(handler=show_case)

    opener = case_sub.add_parser(
        "open",
        help="open a new case file for a person",
        description="Open a case with a generated reference, for an existing person (--person) "
        "or a new one (--new-person).",
    )
    opener.add_argument("--type", required=True, help="case type code, e.g. OM, FINE, MHC")
    who = opener.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--person", type=record_id("person"), metavar="ID", help="an existing person's id"
    )
    who.add_argument(
        "--new-person", metavar="NAME", help='a new person: "Given Family" or "Family, Given"'
    )
    opener.add_argument("--dob", metavar="DD/MM/YYYY", help="the new person's date of birth")
    opener.add_argument(
        "--create-anyway",
        action="store_true",
        help="create the new person even though a likely existing record was found",
    )
    opener.add_argument("--owner", metavar="LOGIN", help="the case owner (caseworker)")
    opener.add_argument(
        "--team", metavar="CODE", help="team (default: the one at the office that works this type)"
    )
    opener.add_argument("--office", metavar="CODE", help="office (default: yours)")
    opener.add_argument(
        "--priority", type=int, default=3, choices=(1, 2, 3, 4), help="1 urgent … 4 low"
    )
    opener.add_argument(
        "--status",
        default=CaseStatus.OPEN,
        choices=(CaseStatus.OPEN, CaseStatus.REFERRAL),
        help="starting status",
    )
    opener.add_argument("--summary", metavar="TEXT", help="a short summary of the case")
    add_json_flag(opener)
    opener.set_defaults(handler=open_case_cmd)

    register_lifecycle(case_sub)  # edit, close, reopen, transfer, accept, return, party, link…
