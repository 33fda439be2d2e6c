"""`caseterm letter draft|show|revise|submit|approve|reject|issue|checks`: stock letters on a
case, drafted by a maker, checked by someone else of the case's team, then issued."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session

from caseterm.cli.common import (
    fmt_date,
    fmt_when,
    logged_refusal,
    plain,
    read_stdin_text,
    restricted_exit,
)
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.cli.template_cmds import typed_values
from caseterm.core import clock
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import DISPATCH_VIA, DOCUMENT_STATUSES
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import (
    cases,
    letter_approval,
    letter_issue,
    letter_proposals,
    letter_views,
    letters,
)
from caseterm.core.services.letter_records import LetterInfo
from caseterm.core.text import for_display


def _info(x: LetterInfo, *, body: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": x.id,
        "reference": x.reference,
        "title": x.title,
        "status": x.status,
        "template": x.template_code,
        "template_version": x.template_version,
        "recipient": x.recipient,
        "created_by": x.created_by,
        "submitted_at": x.submitted_at,
        "checked_by": x.checked_by,
        "checked_at": x.checked_at,
        "reject_reason": x.reject_reason,
        "approved_sha256": x.approved_hash,
        "sha256": x.sha256,
        "issued_at": x.issued_at,
        "via": x.via,
        "dispatched_on": x.dispatched_on,
        "version": x.version,
        "file": (
            {"document_id": x.id, "filename": x.file_name, "size": x.file_size,
             "sha256": x.file_sha256}
            if x.file_name
            else None
        ),
    }  # fmt: skip
    if body:
        data["body"] = x.body
    return data


def _summary(x: LetterInfo, verb: str) -> str:
    return plain(f"{verb} letter #{x.id} on {x.reference}: {x.title} ({x.status})")


def _run(args: argparse.Namespace, act: Callable[[Session, Any], LetterInfo], verb: str) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        result = logged_refusal(lambda: act(session, ctx.actor))
    if isinstance(result, RestrictedError):
        return restricted_exit(result, args.json)
    if args.json:
        print_json(_info(result, body=False))
    else:
        print(_summary(result, verb))
    return 0


def draft_cmd(args: argparse.Namespace) -> int:
    extra = typed_values(args.set)
    body = read_stdin_text("--body") if args.body == "-" else args.body
    ctx = context(args)
    with ctx.db.write() as session:
        case_id = cases.case_by_reference(session, args.reference).id or 0
        if args.for_task is not None:
            made = logged_refusal(
                lambda: letter_proposals.draft_for_task(
                    session,
                    ctx.actor,
                    task_id=args.for_task,
                    case_id=case_id,
                    template_code=args.template,
                    extra=extra,
                    body=body,
                )
            )
        elif not args.template:
            raise ValidationError("template", "is required (or --for-task ID naming one)")
        else:
            made = logged_refusal(
                lambda: letters.draft_letter(
                    session,
                    ctx.actor,
                    case_id=case_id,
                    template_code=args.template,
                    extra=extra,
                    body=body,
                )
            )
    if isinstance(made, RestrictedError):
        return restricted_exit(made, args.json)
    if args.json:
        print_json(_info(made))
    else:
        print(_summary(made, "drafted"))
    return 0


def show_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        shown = logged_refusal(lambda: letters.show_letter(session, ctx.actor, document_id=args.id))
    if isinstance(shown, RestrictedError):
        return restricted_exit(shown, args.json)
    written = _write_files(args, ctx, [shown.id], pdf=args.pdf, docx=args.docx)
    if args.json:
        print_json({**_info(shown), "files": [str(p) for p in written]})
        return 0
    if written:
        print("\n".join(plain(f"wrote {p}") for p in written))
        return 0
    print(plain(f"letter #{shown.id} on {shown.reference}: {shown.title}"))
    state = DOCUMENT_STATUSES.get(shown.status, shown.status)
    print(
        plain(
            f"status: {state}; drafted by {shown.created_by}; "
            f"template {shown.template_code} v{shown.template_version}"
        )
    )
    if shown.submitted_at:
        print(plain(f"submitted {fmt_when(shown.submitted_at)}"))
    if shown.checked_by:
        print(plain(f"checked by {shown.checked_by} at {fmt_when(shown.checked_at)}"))
    if shown.reject_reason:
        print(plain(f"rejected: {shown.reject_reason}"))
    if shown.issued_at:
        print(
            plain(
                f"issued {fmt_when(shown.issued_at)} by {shown.via} "
                f"on {fmt_date(shown.dispatched_on)}"
            )
        )
    print(f"sha256: {shown.sha256}")
    print()
    print(for_display(shown.body, multiline=True).rstrip("\n"))
    return 0


def _write_files(
    args: argparse.Namespace, ctx: Any, ids: list[int], *, pdf: str | None, docx: str | None
) -> list[Path]:
    """The letters `ids` written as a PDF and/or a DOCX (private files, never overwriting)."""
    if not ids or not (pdf or docx):
        return []
    from caseterm.core import letter_files

    with ctx.db.read() as session:
        pages = letter_views.letter_pages(session, ctx.actor, document_ids=ids)
    written = []
    if pdf:
        written.append(
            letter_files.write_file(letter_files.place(pdf), letter_files.pdf_bytes(pages))
        )
    if docx:
        written.append(
            letter_files.write_file(letter_files.place(docx), letter_files.docx_bytes(pages))
        )
    return written


def print_cmd(args: argparse.Namespace) -> int:
    day = parse_uk_date(args.date, field="--date") if args.date else clock.today()
    ctx = context(args)
    with ctx.db.read() as session:
        ids = letter_views.issued_for_print(session, ctx.actor, day=day)
    if not ids:
        raise ValidationError("--date", f"no letters were issued on {day:%d/%m/%Y}")
    written = _write_files(args, ctx, ids, pdf=args.out, docx=None)
    if args.json:
        print_json({"date": day, "letters": ids, "file": str(written[0])})
    else:
        print(plain(f"wrote {len(ids)} letter(s) issued on {day:%d/%m/%Y} to {written[0]}"))
    return 0


def revise_cmd(args: argparse.Namespace) -> int:
    body = read_stdin_text("--body") if args.body == "-" else args.body
    return _run(
        args,
        lambda s, a: letters.revise_letter(
            s, a, document_id=args.id, body=body, expected_version=args.expect_version
        ),
        "revised",
    )


def submit_cmd(args: argparse.Namespace) -> int:
    return _run(
        args,
        lambda s, a: letters.submit_letter(
            s, a, document_id=args.id, expected_version=args.expect_version
        ),
        "submitted",
    )


def approve_cmd(args: argparse.Namespace) -> int:
    return _run(
        args,
        lambda s, a: letter_approval.approve_letter(
            s, a, document_id=args.id, seen_hash=args.sha256, expected_version=args.expect_version
        ),
        "approved",
    )


def reject_cmd(args: argparse.Namespace) -> int:
    return _run(
        args,
        lambda s, a: letter_approval.reject_letter(
            s, a, document_id=args.id, reason=args.reason, expected_version=args.expect_version
        ),
        "rejected",
    )


def issue_cmd(args: argparse.Namespace) -> int:
    """Issue the letter, then (its transaction over) save its stored PDF into the letters
    folder when the config file names one (`storage.letter_store`)."""
    from caseterm.core.storage.letter_store import render_for_issue, save_issued

    day = parse_uk_date(args.date, field="--date") if args.date else None
    ctx = context(args)
    # Its PDF is made before the transaction: the write lock is held only for the writes.
    rendered = render_for_issue(ctx.db, ctx.actor, document_id=args.id)
    with ctx.db.write() as session:
        result = logged_refusal(
            lambda: letter_issue.issue_letter(
                session,
                ctx.actor,
                document_id=args.id,
                via=args.via,
                dispatched_on=day,
                expected_version=args.expect_version,
                rendered=rendered,
            )
        )
    if isinstance(result, RestrictedError):
        return restricted_exit(result, args.json)
    with ctx.db.read() as session:
        saved = save_issued(session, ctx.actor, document_id=result.id)
    if args.json:
        print_json({**_info(result, body=False), "saved_to": str(saved) if saved else None})
    else:
        print(_summary(result, "issued"))
        print(plain(f"saved {saved}" if saved else f"stored as {result.file_name}"))
    return 0


def checks_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = letter_views.checks_awaiting(session, ctx.actor)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "reference": r.reference,
                    "title": r.title,
                    "maker": r.maker,
                    "submitted_at": r.submitted_at,
                    "version": r.version,
                }
                for r in rows
            ]
        )
        return 0
    print_table(
        ("ID", "SUBMITTED", "CASE", "MAKER", "LETTER"),
        [(r.id, fmt_when(r.submitted_at), r.reference, r.maker, r.title) for r in rows],
    )
    return 0


def _id_command(sub: Any, name: str, text: str, handler: Callable[..., int]) -> Any:
    p = sub.add_parser(name, help=text)
    p.add_argument("id", type=record_id("letter"), help="letter id")
    p.add_argument("--expect-version", type=int, help="refuse if the letter changed since")
    add_json_flag(p)
    p.set_defaults(handler=handler)
    return p


def register(subparsers: Any) -> None:
    letter = subparsers.add_parser("letter", help="draft, check and issue stock letters")
    sub = letter.add_subparsers(dest="letter_command", metavar="ACTION", required=True)

    p = sub.add_parser("draft", help="draft a letter on a case from a template")
    p.add_argument("reference", help="case reference")
    p.add_argument("--template", metavar="CODE", help="template code")
    p.add_argument(
        "--for-task",
        type=record_id("task"),
        metavar="ID",
        help="draft the letter this 'Send letter' task proposes; issuing it completes the task",
    )
    p.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help="a typed value, e.g. recall_date=1 May"
    )
    p.add_argument(
        "--body", help="this letter's own wording instead of the merged text ('-': stdin)"
    )
    add_json_flag(p)
    p.set_defaults(handler=draft_cmd)

    p = sub.add_parser("show", help="a letter with its text, state and hash (or as files)")
    p.add_argument("id", type=record_id("letter"), help="letter id")
    p.add_argument("--pdf", metavar="FILE", help="write the letter as a PDF with the letterhead")
    p.add_argument("--docx", metavar="FILE", help="write the letter as a Word document")
    add_json_flag(p)
    p.set_defaults(handler=show_cmd)

    p = _id_command(sub, "revise", "new wording for a draft or rejected letter", revise_cmd)
    p.add_argument("--body", required=True, help="the new text; '-' reads standard input")
    _id_command(sub, "submit", "send a letter for checking", submit_cmd)
    p = _id_command(sub, "approve", "approve a letter you did not draft (checkers)", approve_cmd)
    p.add_argument("--sha256", help="the hash of the text you read (letter show prints it)")
    p = _id_command(sub, "reject", "send a letter back to its maker (checkers)", reject_cmd)
    p.add_argument("--reason", required=True, help="why (required)")
    p = _id_command(sub, "issue", "issue an approved letter and record its dispatch", issue_cmd)
    p.add_argument("--via", default="post", choices=tuple(DISPATCH_VIA), help="how it goes")
    p.add_argument("--date", help="dispatch date dd/mm/yyyy (default today)")

    p = sub.add_parser("checks", help="letters awaiting my check")
    add_json_flag(p)
    p.set_defaults(handler=checks_cmd)

    pack = subparsers.add_parser("letters", help="print a day's issued letters")
    pack_sub = pack.add_subparsers(dest="letters_command", metavar="ACTION", required=True)
    p = pack_sub.add_parser(
        "print",
        help="one PDF of a day's issued letters in postal order",
        description="Merge the letters dispatched on a day into one PDF: those going by post "
        "first, sorted by postcode, then those handed over or e-mailed.",
    )
    p.add_argument("--date", help="dispatch date dd/mm/yyyy (default today)")
    p.add_argument("--out", required=True, metavar="FILE", help="the PDF to write (new file)")
    add_json_flag(p)
    p.set_defaults(handler=print_cmd)
