"""`caseterm case show|open`, `caseterm contact add` and `caseterm search`: the main case actions
for scripts (`--json`) and for people (plain text)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import (
    NotFoundError,
    RestrictedError,
    ValidationError,
)
from caseterm.core.models import Appointment, ContactEntry, Office, Room, Staff, Task, Team
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules.catalogue import (
    APPOINTMENT_KINDS,
    CONTACT_TYPES,
    OUTCOMES,
    TASK_KINDS,
    WARNING_KINDS,
    label,
)
from caseterm.core.rules.when import parse_uk_date, parse_when
from caseterm.core.services import cases, contacts, org, people, staff
from caseterm.core.services.cases import CaseView
from caseterm.core.text import strip_controls

T = TypeVar("T")
EXIT_RESTRICTED = 3
PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
CONTACTS_SHOWN = 10
TASKS_SHOWN = 20
APPOINTMENTS_SHOWN = 5


# --- helpers shared with work_cmds ---------------------------------------------------------


def plain(value: object) -> str:
    """A stored value as one safe line of text."""
    return strip_controls("" if value is None else str(value))


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_when(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def restricted_exit(err: RestrictedError, as_json: bool) -> int:
    """A restricted case the actor may not see: its existence and whom to ask, nothing more."""
    if as_json:
        print_json({"reference": err.reference, "restricted": True, "ask": err.ask})
    print(str(err), file=sys.stderr)
    return EXIT_RESTRICTED


def logged_refusal(action: Callable[[], T]) -> T | RestrictedError:
    """Run `action` (inside a writing session); a RestrictedError is returned instead of raised,
    so the session still commits the refusal that the access log recorded."""
    try:
        return action()
    except RestrictedError as err:
        return err


def staff_by_login(session: Session, login: str, field: str) -> staff.StaffInfo:
    try:
        return staff.find_staff(session, login)
    except NotFoundError:
        raise ValidationError(field, f"no member of staff with login {login!r}") from None


def choose(field: str, value: str, table: dict[str, str]) -> str:
    """A catalogue key from its key or its label, any case, '-' or ' ' for '_'."""
    wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
    for key, text in table.items():
        if wanted in (key, text.lower().replace(" ", "_")):
            return key
    choices = ", ".join(k for k in table if k)
    raise ValidationError(field, f"unknown {field} {value!r}; choose from {choices}")


# --- case show -----------------------------------------------------------------------------


def _person_dict(view: CaseView) -> dict[str, Any]:
    subject = view.subject
    return {
        "id": subject.id,
        "name": subject.full_name,
        "date_of_birth": subject.date_of_birth,
        "date_of_death": subject.date_of_death,
    }


def _staff_dict(member: Staff | None) -> dict[str, Any] | None:
    return {"login": member.login, "name": member.name} if member else None


def _unit_dict(unit: Team | Office | None) -> dict[str, Any] | None:
    return {"code": unit.code, "name": unit.name} if unit else None


def _contact_dict(row: contacts.ContactRow) -> dict[str, Any]:
    e: ContactEntry = row.entry
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


def _names(session: Session, model: type[Staff] | type[Room], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(model.id, model.name).where(col(model.id).in_(ids))).all()
    return {key: name for key, name in rows if key is not None}


# Read-only queries the services do not offer yet (wanted: tasks.open_tasks_for_case and
# diary_views.upcoming_for_case, which the TUI case screen needs too).
def _open_tasks(session: Session, case_id: int) -> list[dict[str, Any]]:
    found = session.exec(
        select(Task)
        .where(Task.case_id == case_id, col(Task.status).in_(("untriaged", "open")))
        .order_by(
            col(Task.due_date).is_(None), col(Task.due_date), col(Task.priority), col(Task.id)
        )
        .limit(TASKS_SHOWN)
    ).all()
    names = _names(session, Staff, {t.assignee_id for t in found if t.assignee_id})
    today = clock.today()
    return [
        {
            "id": t.id,
            "kind": t.kind,
            "kind_label": label(TASK_KINDS, t.kind),
            "title": t.title,
            "due_date": t.due_date,
            "overdue": t.due_date is not None and t.due_date < today,
            "priority": t.priority,
            "status": t.status,
            "assignee": names.get(t.assignee_id or 0),
            "version": t.version,
        }
        for t in found
    ]


def _next_appointments(session: Session, case_id: int) -> list[dict[str, Any]]:
    found = session.exec(
        select(Appointment)
        .where(
            Appointment.case_id == case_id,
            col(Appointment.ends_at) >= clock.now(),
            col(Appointment.status).in_(("booked", "arrived")),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
        .limit(APPOINTMENTS_SHOWN)
    ).all()
    staff_names = _names(session, Staff, {a.staff_id for a in found})
    rooms = _names(session, Room, {a.room_id for a in found if a.room_id})
    return [
        {
            "id": a.id,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "kind": a.kind,
            "kind_label": label(APPOINTMENT_KINDS, a.kind),
            "status": a.status,
            "staff": staff_names.get(a.staff_id, ""),
            "room": rooms.get(a.room_id or 0),
            "location": a.location,
        }
        for a in found
    ]


def case_summary(session: Session, actor: Any, view: CaseView) -> dict[str, Any]:
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
        "open_tasks": _open_tasks(session, case.id),
        "next_appointments": _next_appointments(session, case.id),
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
    status = data["status"].replace("_", " ")
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
        for note_line in strip_controls(c["notes"], multiline=True).splitlines():
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
        f"{a['staff']}  {a['room'] or a['location'] or '-'}  ({a['status']})"
        for a in data["next_appointments"]
    ]
    return [
        (f"Open tasks ({len(tasks)})", tasks),
        (f"Next appointments ({len(appointments)})", appointments),
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
        }
    if args.json:
        print_json(result)
    else:
        print(f"opened {result['reference']} (person {person_id})")
    return 0


# --- contact add ---------------------------------------------------------------------------


def add_contact(args: argparse.Namespace) -> int:
    contact_type = choose("type", args.type, CONTACT_TYPES)
    outcome = choose("outcome", args.outcome, OUTCOMES) if args.outcome else ""
    notes = sys.stdin.read() if args.notes == "-" else args.notes
    occurred = parse_when(args.when, clock.now(), field="when") if args.when else None
    ctx = context(args)
    with ctx.db.write() as session:
        case = cases.find_case(session, args.reference)
        assert case.id is not None
        case_id = case.id
        entry = logged_refusal(
            lambda: contacts.log_contact(
                session,
                ctx.actor,
                case_id=case_id,
                contact_type=contact_type,
                outcome=outcome,
                notes=notes or "",
                occurred_at=occurred,
                sensitive=args.sensitive,
            ),
        )
    if isinstance(entry, RestrictedError):
        return restricted_exit(entry, args.json)
    result = {
        "id": entry.id,
        "reference": case.reference,
        "occurred_at": entry.occurred_at,
        "logged_at": entry.logged_at,
        "type": entry.contact_type,
        "outcome": entry.outcome,
        "notes": entry.notes,
        "sensitive": entry.sensitive,
        "staff": ctx.actor.login,
    }
    if args.json:
        print_json(result)
    else:
        print(
            f"logged #{entry.id} on {case.reference}: "
            f"{contacts.describe(entry.contact_type, entry.outcome)} at "
            f"{fmt_when(entry.occurred_at)}"
        )
    return 0


# --- search --------------------------------------------------------------------------------


def search_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services.search import search

    ctx = context(args)
    # Refused looks at restricted cases are written to the access log, so this writes.
    with ctx.db.write() as session:
        hits = search(session, ctx.actor, text=args.text, limit=args.limit, log_refusals=True)
    rows: list[dict[str, Any]] = [
        {
            "kind": h.kind,
            # A restricted hit says only that the case exists and whom to ask.
            "person_id": None if h.restricted else h.person_id,
            "case_id": h.case_id,
            "reference": h.reference,
            "name": h.name,
            "date_of_birth": h.date_of_birth,
            "matched": h.matched,
            "score": round(h.score, 1),
            "restricted": h.restricted,
            "ask": h.ask,
            "case_status": h.case_status,
            "case_type": h.case_type,
        }
        for h in hits
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"nothing found for {plain(args.text)!r}")
        return 0
    print_table(
        ["REFERENCE", "TYPE", "STATUS", "NAME", "BORN", "MATCHED"],
        [
            [
                r["reference"] or (f"person {r['person_id']}" if r["person_id"] else "-"),
                r["case_type"] or "",
                f"restricted — ask {r['ask']}" if r["restricted"] else (r["case_status"] or ""),
                r["name"] or "",
                fmt_date(r["date_of_birth"]),
                r["matched"],
            ]
            for r in rows
        ],
    )
    return 0


# --- registration --------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    case = subparsers.add_parser("case", help="show or open a case file")
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
    who.add_argument("--person", type=int, metavar="ID", help="an existing person's id")
    who.add_argument(
        "--new-person", metavar="NAME", help='a new person: "Given Family" or "Family, Given"'
    )
    opener.add_argument("--dob", metavar="DD/MM/YYYY", help="the new person's date of birth")
    opener.add_argument("--owner", metavar="LOGIN", help="the case owner (caseworker)")
    opener.add_argument("--team", metavar="CODE", help="team (default: yours)")
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

    contact = subparsers.add_parser("contact", help="add to a case's contact log")
    contact_sub = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)
    add = contact_sub.add_parser(
        "add",
        help="log a contact on a case",
        description="Append an entry to a case's contact log. Types: "
        + ", ".join(CONTACT_TYPES)
        + ". Outcomes: "
        + ", ".join(k for k in OUTCOMES if k)
        + ".",
    )
    add.add_argument("reference", help="case reference")
    add.add_argument("--type", required=True, help="contact type key, e.g. phone_in")
    add.add_argument("--outcome", default="", help="outcome key, e.g. no_answer (default none)")
    add.add_argument("--notes", default="", help="notes; '-' reads them from standard input")
    add.add_argument(
        "--when",
        metavar="WHEN",
        help="when it happened (default now), e.g. 'today 14:30', 'yesterday 9am', "
        "'22/11/2026 10:15', '2h ago'; write --when=-30m for a value starting with '-'",
    )
    add.add_argument("--sensitive", action="store_true", help="mark the entry sensitive")
    add_json_flag(add)
    add.set_defaults(handler=add_contact)

    finder = subparsers.add_parser(
        "search",
        help="find people and cases",
        description="Search by case reference, name (typo-tolerant, aliases), date of birth "
        "(DD/MM/YYYY) or identifier.",
    )
    finder.add_argument("text", help="what to look for")
    finder.add_argument("--limit", type=int, default=20, help="most results (default 20)")
    add_json_flag(finder)
    finder.set_defaults(handler=search_cmd)
