"""`caseterm audit` (history and the access log), `caseterm retention run` and `caseterm
restrict` (`caseterm person export` is in person_cmds.py).

`caseterm audit --case REF` is a case's history and needs only the right to read the case;
`--person ID` a person's; `--staff LOGIN --day DATE` one member of staff's day (your own, or
anyone's for an auditor). Any other combination searches the whole journal and needs the
auditor's right (`audit.read`: checkers, managers, system administrators), as does `--access`.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from caseterm.cli.context import Context, context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.core import clock
from caseterm.core.errors import NotFoundError, RestrictedError, ValidationError
from caseterm.core.rules.when import parse_day
from caseterm.core.services import cases, history, retention, staff
from caseterm.core.services.history import AuditQuery, HistoryRow
from caseterm.core.text import strip_controls


def _changes(row: HistoryRow) -> str:
    return "; ".join(f"{c.field}: {c.old_text} → {c.new_text}" for c in row.changes)


def _print_history(rows: list[HistoryRow], as_json: bool) -> None:
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    print_table(
        ("WHEN", "STAFF", "OS USER", "ACTION", "CASE", "SUMMARY", "CHANGES"),
        [
            (
                f"{r.at:%d/%m/%Y %H:%M:%S}",
                r.login or r.staff_name,
                r.os_user,
                r.action,
                r.case_reference,
                r.summary,
                _changes(r),
            )
            for r in rows
        ],
    )


def _case_id(session: Session, reference: str) -> int:
    return cases.case_by_reference(session, reference).id or 0


def _query(args: argparse.Namespace) -> AuditQuery:
    return AuditQuery(
        case_reference=args.case,
        person_id=args.person,
        staff_login=args.staff,
        day=parse_day(args.day, clock.today(), prefer="past", field="day") if args.day else None,
        action=args.action,
        limit=args.limit,
    )


def _read_history(ctx: Context, args: argparse.Namespace) -> list[HistoryRow]:
    """Pick the narrowest reading the filters allow (see the module docstring). Views and
    refusals of restricted cases are committed to the access log even when refused."""
    q = _query(args)
    actor = ctx.actor
    refused: RestrictedError | None = None
    rows: list[HistoryRow] = []
    only = {k for k in ("case", "person", "staff", "action") if getattr(args, k)}
    with ctx.db.write() as s:
        try:
            if actor.has("audit.read"):
                rows = history.search_audit(s, actor, query=q)
            elif only == {"case"} and not args.day:
                rows = history.case_history(s, actor, case_id=_case_id(s, args.case), limit=q.limit)
            elif only == {"person"} and not args.day:
                rows = history.person_history(s, actor, person_id=args.person, limit=q.limit)
            elif only <= {"staff"} and q.day:
                rows = history.staff_day(
                    s, actor, login=args.staff or actor.login, day=q.day, limit=q.limit
                )
            else:
                rows = history.search_audit(s, actor, query=q)  # refuses without audit.read
        except RestrictedError as err:
            refused = err
    if refused is not None:
        raise refused
    return rows


def _audit(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        if args.access:
            with ctx.db.read() as s:
                q = _query(args)
                access = history.access_log(
                    s,
                    ctx.actor,
                    case_id=_case_id(s, args.case) if args.case else None,
                    staff_login=q.staff_login,
                    day=q.day,
                    limit=q.limit,
                )
            if args.json:
                print_json([asdict(a) for a in access])
            else:
                print_table(
                    ("WHEN", "STAFF", "OS USER", "CASE", "ACTION", "WHERE", "REASON"),
                    [
                        (
                            f"{a.at:%d/%m/%Y %H:%M:%S}",
                            a.login,
                            a.os_user,
                            a.case_reference,
                            a.action,
                            a.where,
                            a.reason,
                        )
                        for a in access
                    ],
                )
            return 0
        _print_history(_read_history(ctx, args), args.json)
        return 0
    finally:
        ctx.db.dispose()


def _retention(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            report = retention.run_retention(s, ctx.actor, dry_run=args.dry_run)
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(asdict(report))
        return 0
    verb = "would anonymise" if report.dry_run else "anonymised"
    if not report.cases:
        print("no closed case is past its retention period")
        return 0
    print(f"{verb} {len(report.cases)} case(s):")
    print_table(
        ("CASE", "TYPE", "CLOSED", "DUE"),
        [
            (c.reference, c.case_type, f"{c.closed_on:%d/%m/%Y}", f"{c.due_on:%d/%m/%Y}")
            for c in report.cases
        ],
    )
    print(f"{verb} {len(report.people_anonymised)} person record(s)")
    for pid, why in report.people_kept.items():
        print(f"kept person {pid}: {why}")
    for table, n in sorted(report.rows.items()):
        print(f"  {table}: {n} row(s)")
    return 0


def _staff_ids(session: Session, logins: str | None) -> list[int]:
    ids = []
    for login in [x.strip() for x in (logins or "").split(",") if x.strip()]:
        try:
            ids.append(staff.find_staff(session, login).id)
        except NotFoundError:
            raise ValidationError("staff", f"no member of staff with login {login!r}") from None
    return ids


def _restrict(args: argparse.Namespace) -> int:
    if not (args.allow or args.deny or args.clear):
        raise ValidationError("access", "give --allow, --deny or --clear")
    if args.clear and (args.allow or args.deny):
        raise ValidationError("access", "--clear cannot be combined with --allow or --deny")
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            case = cases.case_by_reference(s, args.reference)
            changed = cases.restrict_case(
                s,
                ctx.actor,
                case_id=case.id,
                allow=_staff_ids(s, args.allow),
                deny=_staff_ids(s, args.deny),
            )
            reference, restricted = changed.reference, changed.restricted
    finally:
        ctx.db.dispose()
    state = "restricted" if restricted else "no longer restricted"
    print(strip_controls(f"{reference} is {state}"))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("audit", help="who did what, when (history and access log)")
    p.add_argument("--case", metavar="REF", help="one case's history")
    p.add_argument("--person", type=int, metavar="ID", help="one person's history")
    p.add_argument("--staff", metavar="LOGIN", help="one member of staff's actions")
    p.add_argument("--day", metavar="DATE", help="one day (today, yesterday, 22/11/2026…)")
    p.add_argument("--action", help="an action (case.open) or family (case)")
    p.add_argument("--limit", type=int, default=200, metavar="N", help="newest N (default 200)")
    p.add_argument("--access", action="store_true", help="the restricted-case access log")
    add_json_flag(p)
    p.set_defaults(handler=_audit)

    p = subparsers.add_parser("retention", help="anonymise closed cases past their period")
    sub = p.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    r = sub.add_parser("run", help="anonymise what is due, and report it")
    r.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    add_json_flag(r)
    r.set_defaults(handler=_retention)

    p = subparsers.add_parser("restrict", help="limit who may see a case")
    p.add_argument("reference", metavar="REF")
    p.add_argument("--allow", metavar="LOGIN,…", help="only these (and owner, admin owner)")
    p.add_argument("--deny", metavar="LOGIN,…", help="everyone but these")
    p.add_argument("--clear", action="store_true", help="lift the restriction")
    p.set_defaults(handler=_restrict)
