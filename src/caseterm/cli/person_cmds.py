"""`caseterm person show|edit|verify|merge|export` and `caseterm person warning add|clear|
reviews`: the master record from the command line.

`person show ID` follows a merged record's old id to the survivor. `person edit` applies every
change given in one transaction (all or nothing), refusing a record changed since `--version`.
`person merge` prints the preview and changes nothing unless `--yes` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import fmt_date, logged_refusal, plain, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.private_files import write_private
from caseterm.core.rules.catalogue import VERIFICATION_KINDS, WARNING_KINDS, status_label
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import (
    people,
    person_details,
    person_merge,
    person_view,
    person_warnings,
    privacy,
    verification,
)
from caseterm.core.services.identity import Actor
from caseterm.core.services.person_view import PersonView

# --- show ---------------------------------------------------------------------------------


def _print_person(v: PersonView) -> None:
    def line(title: str, value: object) -> None:
        print(f"{title + ':':<15}{plain(value)}")

    moved = f"  (person {v.asked_id} was merged into this record)" if v.asked_id != v.id else ""
    print(plain(f"Person {v.id}  {v.title} {v.full_name}".replace("  ", " ")) + moved)
    line("Born", fmt_date(v.date_of_birth) or "not known")
    if v.date_of_death:
        line("Died", f"{fmt_date(v.date_of_death)} (source: {v.date_of_death_source})")
    line("Gender", v.gender or "-")
    interpreter = " (needs an interpreter)" if v.interpreter else ""
    line("Language", f"{v.language}{interpreter}")
    for n in v.aliases:
        line("Alias", f"{n.given_name} {n.family_name}")
    for i in v.identifiers:
        line("Identifier", f"#{i.id} {i.id_type} {i.value}")
    for kind, rows in (("Address", v.addresses), ("Phone", v.phones), ("Email", v.emails)):
        for c in rows:
            when = "current" if c.current else f"ended {fmt_date(c.valid_to)}"
            line(kind, f"#{c.id} {c.value} ({when})")
    for w in v.warnings:
        review = f", review {fmt_date(w.review_on)}" if w.review_on else ""
        state = "" if w.active else f" [cleared {fmt_date(w.cleared_at)}: {w.clear_reason}]"
        line("Warning", f"#{w.id} {w.kind_label}: {w.text}{review}{state}")
    for ver in v.verifications:
        line(
            "Verified",
            f"{ver.what_label} {fmt_date(ver.verified_on)} from {ver.evidence} ({ver.verified_by})",
        )
    for pc in v.cases:
        if pc.restricted:
            line("Case", f"{pc.reference} {pc.shown}")
        else:
            status = status_label(pc.status)
            line("Case", f"{pc.reference} {pc.case_type} · {status} · {pc.role} · {pc.owner}")
    if v.merged_from:
        line("Merged from", ", ".join(f"person {m}" for m in v.merged_from))
    line("Version", v.version)


def _show(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:  # views and refusals of restricted cases are logged
            found = logged_refusal(
                lambda: person_view.view_person(s, ctx.actor, person_id=args.person_id)
            )
    finally:
        ctx.db.dispose()
    if isinstance(found, RestrictedError):
        return restricted_exit(found, args.json)
    if args.json:
        print_json(asdict(found))
    else:
        _print_person(found)
    return 0


# --- edit ---------------------------------------------------------------------------------


def _name_pair(text: str) -> tuple[str, str]:
    from caseterm.cli.case_cmds import split_name

    return split_name(text)


def _apply_edit(s: Session, actor: Actor, args: argparse.Namespace) -> None:
    pid = args.person_id
    changes: dict[str, object] = {}
    for key in ("given_name", "family_name", "title", "gender", "language"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if args.dob is not None:
        changes["date_of_birth"] = parse_uk_date(args.dob, field="dob") if args.dob else None
    if args.interpreter is not None:
        changes["interpreter"] = args.interpreter
    version = args.version
    if changes:
        person = people.update_person(s, actor, person_id=pid, expected_version=version, **changes)
        version = person.version
    if args.date_of_death is not None:
        died = (
            parse_uk_date(args.date_of_death, field="date_of_death") if args.date_of_death else None
        )
        if died is not None and not args.death_source:
            raise ValidationError("death_source", "say where the date of death came from")
        version = person_details.record_death(
            s,
            actor,
            person_id=pid,
            date_of_death=died,
            source=args.death_source or "",
            expected_version=version,
        ).version
    for alias in args.add_alias or []:
        given, family = _name_pair(alias)
        people.add_alias(s, actor, person_id=pid, given=given, family=family)
    for item in args.add_identifier or []:
        id_type, sep, value = item.partition("=")
        if not sep:
            raise ValidationError("add_identifier", "give TYPE=VALUE, e.g. NHS=943 476 5919")
        people.add_identifier(s, actor, person_id=pid, id_type=id_type, value=value)
    for ident_id in args.remove_identifier or []:
        if not args.reason:
            raise ValidationError("reason", "say why the identifier is removed (--reason)")
        person_details.remove_identifier(
            s, actor, person_id=pid, identifier_id=ident_id, reason=args.reason
        )
    for kind in ("address", "phone", "email"):
        for value in getattr(args, f"add_{kind}") or []:
            person_details.add_contact(s, actor, person_id=pid, kind=kind, value=value)
    for contact_id in args.end_contact or []:
        person_details.end_contact(
            s, actor, person_id=pid, contact_id=contact_id, reason=args.reason or ""
        )


def _edit(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            _apply_edit(s, ctx.actor, args)
        with ctx.db.read() as s:
            found = logged_refusal(
                lambda: person_view.view_person(s, ctx.actor, person_id=args.person_id)
            )
    finally:
        ctx.db.dispose()
    if isinstance(found, RestrictedError):
        return restricted_exit(found, args.json)
    if args.json:
        print_json(asdict(found))
    else:
        print(plain(f"updated person {found.id} {found.full_name} (version {found.version})"))
    return 0


def _verify(args: argparse.Namespace) -> int:
    ctx = context(args)
    when = parse_uk_date(args.on, field="on") if args.on else None
    try:
        with ctx.db.write() as s:
            done = verification.record_verification(
                s,
                ctx.actor,
                person_id=args.person_id,
                what=args.what,
                evidence=args.evidence,
                verified_on=when,
            )
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(asdict(done))
    else:
        print(
            plain(
                f"verified {done.what_label} from {done.evidence} on {fmt_date(done.verified_on)}"
            )
        )
    return 0


# --- merge --------------------------------------------------------------------------------


def _print_preview(p: person_merge.MergePreview, done: bool) -> None:
    verb = "merged" if done else "would merge"
    print(
        plain(
            f"{verb} person {p.merged.id} ({p.merged.name}) "
            f"into {p.survivor.id} ({p.survivor.name})"
        )
    )
    for what, n in p.moves.items():
        print(f"  {what.replace('_', ' ')}: {n}")
    for diff in p.differences:
        print(plain(f"  differs: {diff}"))
    if not done:
        print("nothing changed; add --yes to merge")


def _merge(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            if args.yes:
                if not args.reason:
                    raise ValidationError("reason", "say why these are the same person (--reason)")
                result = person_merge.merge_people(
                    s,
                    ctx.actor,
                    survivor_id=args.survivor,
                    merged_id=args.merged,
                    reason=args.reason,
                )
            else:
                result = person_merge.preview_merge(
                    s, ctx.actor, survivor_id=args.survivor, merged_id=args.merged
                )
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(asdict(result) | {"merged_now": bool(args.yes)})
    else:
        _print_preview(result, bool(args.yes))
    return 0


# --- warnings -----------------------------------------------------------------------------


def _warning_add(args: argparse.Namespace) -> int:
    ctx = context(args)
    review = parse_uk_date(args.review, field="review") if args.review else None
    try:
        with ctx.db.write() as s:
            w = people.add_warning(
                s,
                ctx.actor,
                person_id=args.person_id,
                kind=args.kind,
                text=args.reason,
                desk_text=args.desk_text or "",
                review_on=review,
            )
            result = {
                "id": w.id,
                "person_id": w.person_id,
                "kind": w.kind,
                "review_on": w.review_on,
            }
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(result)
    else:
        print(f"added warning #{result['id']} to person {args.person_id}")
    return 0


def _warning_clear(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            row = person_warnings.clear_warning(
                s, ctx.actor, warning_id=args.warning_id, reason=args.reason
            )
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(asdict(row))
    else:
        print(plain(f"cleared warning #{row.id} ({row.kind_label}): {row.clear_reason}"))
    return 0


def _warning_reviews(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.write() as s:
            raised = person_warnings.raise_warning_reviews(s, ctx.actor)
    finally:
        ctx.db.dispose()
    if args.json:
        print_json(asdict(raised))
    else:
        print(f"{len(raised.task_ids)} review task(s) raised ({raised.checked} warning(s) due)")
    return 0


# --- export (data protection) -------------------------------------------------------------


def _write_private(path: Path, text: str) -> None:
    """Personal data: a new file only its creator can read, complete or not there at all."""
    try:
        write_private(path, text)
    except FileExistsError:
        raise ValidationError("out", f"{path} already exists; choose a new file") from None
    except OSError as exc:
        raise ValidationError("out", f"cannot write {path}: {exc.strerror}") from None


def _export(args: argparse.Namespace) -> int:
    if args.out and (
        Path(args.out).exists() or Path(args.out).is_symlink()
    ):  # before the export is journalled
        raise ValidationError("out", f"{args.out} already exists; choose a new file")
    ctx = context(args)
    refused: RestrictedError | None = None
    data: dict[str, Any] = {}
    try:
        with ctx.db.write() as s:  # a refusal's access-log row is committed, then reported
            try:
                data = privacy.export_person(
                    s, ctx.actor, person_id=args.person_id, reason=args.reason
                )
            except RestrictedError as err:
                refused = err
    finally:
        ctx.db.dispose()
    if refused is not None:
        raise refused
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if args.out:
        _write_private(Path(args.out), text)
        print(f"wrote everything held about person {args.person_id} to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


# --- registration -------------------------------------------------------------------------


def _edit_arguments(e: argparse.ArgumentParser) -> None:
    e.add_argument("person_id", type=record_id("person"), metavar="ID")
    e.add_argument(
        "--version",
        type=int,
        metavar="N",
        help="refuse if changed since version N (names, dates, death)",
    )
    e.add_argument("--given", dest="given_name", metavar="NAME")
    e.add_argument("--family", dest="family_name", metavar="NAME")
    e.add_argument("--title", metavar="TEXT")
    e.add_argument("--dob", metavar="DD/MM/YYYY", help="date of birth ('' clears it)")
    e.add_argument("--gender", metavar="TEXT")
    e.add_argument("--language", metavar="TEXT")
    e.add_argument(
        "--interpreter", action=argparse.BooleanOptionalAction, help="needs an interpreter"
    )
    e.add_argument("--date-of-death", metavar="DD/MM/YYYY", help="'' withdraws it")
    e.add_argument("--death-source", metavar="TEXT", help="where the date of death came from")
    e.add_argument("--add-alias", action="append", metavar="NAME", help='"Given Family"')
    e.add_argument("--add-identifier", action="append", metavar="TYPE=VALUE")
    e.add_argument("--remove-identifier", action="append", type=int, metavar="ID")
    e.add_argument("--add-address", action="append", metavar="TEXT", help="ends the current one")
    e.add_argument("--add-phone", action="append", metavar="NUMBER")
    e.add_argument("--add-email", action="append", metavar="ADDRESS")
    e.add_argument("--end-contact", action="append", type=int, metavar="ID")
    e.add_argument("--reason", metavar="TEXT", help="why (removing an identifier)")
    add_json_flag(e)
    e.set_defaults(handler=_edit)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("person", help="a person's master record, warnings and merging")
    sub = p.add_subparsers(dest="person_command", metavar="ACTION", required=True)

    s = sub.add_parser("show", help="a person's record, warnings, verification and cases")
    s.add_argument("person_id", type=record_id("person"), metavar="ID")
    add_json_flag(s)
    s.set_defaults(handler=_show)

    _edit_arguments(sub.add_parser("edit", help="change a person's record (all or nothing)"))

    v = sub.add_parser("verify", help="record what was verified, from what evidence")
    v.add_argument("person_id", type=record_id("person"), metavar="ID")
    v.add_argument("--what", required=True, choices=tuple(VERIFICATION_KINDS))
    v.add_argument("--evidence", required=True, metavar="TEXT")
    v.add_argument("--on", metavar="DD/MM/YYYY", help="when (default today)")
    add_json_flag(v)
    v.set_defaults(handler=_verify)

    m = sub.add_parser("merge", help="merge a duplicate record into another (preview first)")
    m.add_argument("survivor", type=record_id("person"), metavar="SURVIVOR_ID")
    m.add_argument("merged", type=record_id("person"), metavar="DUPLICATE_ID")
    m.add_argument("--reason", metavar="TEXT", help="why they are the same person")
    m.add_argument("--yes", action="store_true", help="merge (without it: preview only)")
    add_json_flag(m)
    m.set_defaults(handler=_merge)

    w = sub.add_parser("warning", help="add or clear a warning; raise due reviews")
    wsub = w.add_subparsers(dest="warning_command", metavar="ACTION", required=True)
    a = wsub.add_parser("add", help="a warning with its reason, desk text and review date")
    a.add_argument("person_id", type=record_id("person"), metavar="ID")
    a.add_argument("--kind", required=True, choices=tuple(WARNING_KINDS))
    a.add_argument("--reason", required=True, metavar="TEXT")
    a.add_argument("--desk-text", metavar="TEXT", help="what reception may see")
    a.add_argument("--review", metavar="DD/MM/YYYY", help="when to review it")
    add_json_flag(a)
    a.set_defaults(handler=_warning_add)
    c = wsub.add_parser("clear", help="clear a warning with a reason (it stays as history)")
    c.add_argument("warning_id", type=record_id("warning"), metavar="WARNING_ID")
    c.add_argument("--reason", required=True, metavar="TEXT")
    add_json_flag(c)
    c.set_defaults(handler=_warning_clear)
    r = wsub.add_parser("reviews", help="raise a task for each warning whose review has come")
    add_json_flag(r)
    r.set_defaults(handler=_warning_reviews)

    e = sub.add_parser("export", help="everything held about a person, as JSON")
    e.add_argument("person_id", type=int, metavar="ID")
    e.add_argument(
        "--reason",
        required=True,
        metavar="TEXT",
        help="why (e.g. the request's reference); kept in the audit journal and access log",
    )
    e.add_argument("--out", metavar="FILE", help="a new file, readable only by you")
    e.set_defaults(handler=_export)
