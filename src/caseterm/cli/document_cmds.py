"""`caseterm document add|get|list`: documents received for a case (stored whole, their type
judged from their content), got back byte for byte, and a case's documents listed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import fmt_when, logged_refusal, plain, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import DOCUMENT_STATUSES, RECEIVED_KINDS, RECEIVED_MAX_BYTES
from caseterm.core.services import cases, documents, received, received_evidence
from caseterm.core.services.received import ReceivedInfo
from caseterm.core.text import for_display, shorten


def _info(x: ReceivedInfo) -> dict[str, Any]:
    return {
        "id": x.id,
        "reference": x.reference,
        "kind": x.kind,
        "title": x.title,
        "filename": x.filename,
        "media_type": x.media_type,
        "size": x.size,
        "sha256": x.sha256,
        "stored_at": x.stored_at,
        "stored_by": x.stored_by,
    }


def read_file(path: Path) -> bytes:
    """A file to store, refused (one line) if unreadable or over the size limit."""
    try:
        size = path.stat().st_size
        if size > RECEIVED_MAX_BYTES:
            raise ValidationError("file", f"is {size:,} bytes; the limit is {RECEIVED_MAX_BYTES:,}")
        return path.read_bytes()
    except OSError as err:
        raise ValidationError("file", f"cannot read {path}: {err.strerror}") from None


def _event_id(text: str) -> int:
    """`--event ID`: an event already on the case's timeline (a kind is given by --event-kind)."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"takes the id of an event on the case's timeline (caseterm event list REF), not "
            f"{shorten(for_display(text), 40)!r}; to record a new event give --event-kind KIND "
            "--event-date D"
        )
    return record_id("event")(text)


def add_cmd(args: argparse.Namespace) -> int:
    from caseterm.core import clock
    from caseterm.core.rules.when import parse_day

    if args.event_date and not args.event_kind:
        raise ValidationError("event-date", "goes with --event-kind (the new event's date)")
    if args.event_kind and not args.event_date:
        raise ValidationError("event-date", "give the date the event happened (--event-date D)")
    day = (
        parse_day(args.event_date, clock.today(), prefer="past", field="event-date")
        if args.event_date
        else None
    )
    path = Path(args.file)
    data = read_file(path)
    ctx = context(args)
    with ctx.db.write() as session:
        case_id = cases.case_by_reference(session, args.reference).id or 0
        made = logged_refusal(
            lambda: received_evidence.receive_document(
                session,
                ctx.actor,
                case_id=case_id,
                filename=path.name,
                data=data,
                kind=args.kind,
                title=args.title or "",
                closes_task_id=args.closes,
                event_kind=args.event_kind,
                event_date=day,
                event_id=args.event,
            )
        )
    if isinstance(made, RestrictedError):
        return restricted_exit(made, args.json)
    doc = made.document
    if args.json:
        print_json({**_info(doc), "closed_task_id": made.closed_task_id, "event_id": made.event_id})
    else:
        print(
            plain(
                f"stored #{doc.id} on {doc.reference}: {doc.filename} "
                f"({doc.media_type}, {doc.size:,} bytes, sha256 {doc.sha256})"
                + (f"; closed task {made.closed_task_id}" if made.closed_task_id else "")
                + (
                    f"; recorded event #{made.event_id}"
                    if made.event_id and args.event_kind
                    else f"; evidences event #{made.event_id}"
                    if made.event_id
                    else ""
                )
            )
        )
    return 0


def get_cmd(args: argparse.Namespace) -> int:
    from caseterm.core import letter_files

    ctx = context(args)
    with ctx.db.write() as session:
        got = logged_refusal(lambda: received.get_received(session, ctx.actor, document_id=args.id))
    if isinstance(got, RestrictedError):
        return restricted_exit(got, args.json)
    path = letter_files.write_file(Path(args.out), got.data)
    if args.json:
        print_json({**_info(got.info), "out": str(path)})
    else:
        print(plain(f"wrote {got.info.filename} ({got.info.size:,} bytes) to {path}"))
    return 0


def list_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        case_id = cases.case_by_reference(session, args.reference).id or 0
        rows = logged_refusal(lambda: documents.list_documents(session, ctx.actor, case_id))
    if isinstance(rows, RestrictedError):
        return restricted_exit(rows, args.json)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "title": r.title,
                    "status": r.status,
                    "template": r.template_name,
                    "created_by": r.created_by,
                    "checked_by": r.checked_by,
                    "created_at": r.created_at,
                    "issued_at": r.issued_at,
                }
                for r in rows
            ]
        )
        return 0
    print_table(
        ("ID", "CREATED", "KIND", "STATUS", "TITLE"),
        [
            (
                r.id,
                fmt_when(r.created_at),
                r.kind,
                RECEIVED_KINDS.get(r.status, r.status)
                if r.kind == "received"
                else DOCUMENT_STATUSES.get(r.status, r.status),
                r.title,
            )
            for r in rows
        ],
    )
    return 0


def register(subparsers: Any) -> None:
    document = subparsers.add_parser("document", help="documents received for a case")
    sub = document.add_subparsers(dest="document_command", metavar="ACTION", required=True)
    p = sub.add_parser(
        "add",
        help="attach a received file to a case",
        description="Store a received document with a case: a PDF, an image (JPEG, PNG, TIFF, "
        "GIF), a Word document or an e-mail (.eml), judged by its content, at most "
        f"{RECEIVED_MAX_BYTES // (1024 * 1024)} MB. Kinds: {', '.join(RECEIVED_KINDS)}.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("file", help="the file to store")
    p.add_argument("--kind", required=True, help="what it is, e.g. convictions, court, prison")
    p.add_argument("--title", help="a title (default: the file's name)")
    p.add_argument(
        "--closes",
        type=record_id("task"),
        metavar="TASK_ID",
        help="complete this open papers-to-chase task of the case",
    )
    p.add_argument(
        "--event",
        type=_event_id,
        metavar="ID",
        help="the event on the case's timeline the document evidences (caseterm event list REF)",
    )
    p.add_argument(
        "--event-kind",
        metavar="KIND",
        help="record a new casework event the document evidences (with --event-date)",
    )
    p.add_argument(
        "--event-date", metavar="D", help="when the new event happened: 01/12/2026, today, -3…"
    )
    add_json_flag(p)
    p.set_defaults(handler=add_cmd)
    p = sub.add_parser("get", help="write a received document's file out, byte for byte")
    p.add_argument("id", type=record_id("document"), help="document id")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (new)")
    add_json_flag(p)
    p.set_defaults(handler=get_cmd)
    p = sub.add_parser("list", help="a case's documents: letters and received")
    p.add_argument("reference", help="case reference")
    add_json_flag(p)
    p.set_defaults(handler=list_cmd)
