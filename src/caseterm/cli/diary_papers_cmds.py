"""`caseterm diary agenda|minutes ID [--text TEXT | --file FILE | --out FILE]` and `caseterm
diary booking ID`: a booking's agenda and minutes, written or imported, printed or saved out,
and one booking with its attendees, agenda and minutes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseterm.cli.common import fmt_when, logged_refusal, plain, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.diary_common import appointment_dict
from caseterm.cli.output import add_json_flag, print_json
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import RECEIVED_MAX_BYTES
from caseterm.core.text import for_display

if TYPE_CHECKING:
    from caseterm.core.services.booking_documents import BookingPaper, BookingPapers


def _paper_dict(p: BookingPaper | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "kind": p.kind,
        "text": p.body,
        "filename": p.filename,
        "media_type": p.media_type,
        "size": p.size,
        "sha256": p.sha256,
        "written_at": p.written_at,
        "written_by": p.written_by,
        "version": p.version,
    }


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > RECEIVED_MAX_BYTES:
            raise ValidationError("file", f"is {size:,} bytes; the limit is {RECEIVED_MAX_BYTES:,}")
        return path.read_bytes()
    except OSError as err:
        raise ValidationError("file", f"cannot read {path}: {err.strerror}") from None


def _print_paper(label: str, p: BookingPaper | None) -> None:
    if p is None:
        print(f"{label}: none yet")
        return
    print(plain(f"{label} (written by {p.written_by}, {fmt_when(p.written_at)}):"))
    if p.body:
        print(for_display(p.body, multiline=True))
    if p.filename:
        print(plain(f"File: {p.file_line} — caseterm diary {p.kind} ID --out FILE saves it"))


def paper_cmd(args: argparse.Namespace) -> int:
    from caseterm.core import letter_files
    from caseterm.core.services import booking_documents

    kind: str = args.paper_kind
    text: str | None = args.text
    if text == "-":
        text = sys.stdin.read()
    data = _read(Path(args.file)) if args.file else None
    ctx = context(args)
    with ctx.db.write() as session:
        if text is not None:
            done: Any = logged_refusal(
                lambda: booking_documents.write_paper(
                    session, ctx.actor, appointment_id=args.id, kind=kind, text=text or ""
                )
            )
        elif data is not None:
            done = logged_refusal(
                lambda: booking_documents.import_paper(
                    session,
                    ctx.actor,
                    appointment_id=args.id,
                    kind=kind,
                    filename=Path(args.file).name,
                    data=data,
                )
            )
        elif args.out:
            done = logged_refusal(
                lambda: booking_documents.paper_file(
                    session, ctx.actor, appointment_id=args.id, kind=kind
                )
            )
        else:
            done = logged_refusal(
                lambda: booking_documents.booking_papers(session, ctx.actor, appointment_id=args.id)
            )
    if isinstance(done, RestrictedError):
        return restricted_exit(done, args.json)
    if isinstance(done, booking_documents.PaperFile):
        path = letter_files.write_file(Path(args.out), done.data)
        if args.json:
            print_json({**(_paper_dict(done.paper) or {}), "out": str(path)})
        else:
            print(plain(f"wrote {done.paper.filename} ({done.paper.size:,} bytes) to {path}"))
        return 0
    if isinstance(done, booking_documents.BookingPapers):
        paper = getattr(done, kind)
        if args.json:
            print_json({"appointment_id": args.id, kind: _paper_dict(paper)})
        else:
            _print_paper(kind.capitalize(), paper)
        return 0
    saved: booking_documents.PaperSaved = done
    if args.json:
        print_json(
            {
                "appointment_id": saved.appointment_id,
                kind: _paper_dict(saved.paper),
                "warning": saved.warning,
            }
        )
    else:
        what = saved.paper.file_line if data is not None and saved.paper.filename else ""
        what = what or f"{len(saved.paper.body):,} characters"
        print(plain(f"{saved.paper.label} of appointment {saved.appointment_id} saved: {what}"))
    if saved.warning:
        print(plain(f"warning: {saved.warning}"), file=sys.stderr)
    return 0


def booking_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import booking_documents

    ctx = context(args)
    with ctx.db.write() as session:
        got = logged_refusal(
            lambda: booking_documents.booking_papers(session, ctx.actor, appointment_id=args.id)
        )
    if isinstance(got, RestrictedError):
        return restricted_exit(got, args.json)
    if args.json:
        print_json(booking_json(got))
        return 0
    item = appointment_dict(got.booking)
    print(
        plain(
            f"Appointment {item['id']}: {item['kind_label']} {item['starts_at']:%a %d/%m/%Y %H:%M}"
            f"–{item['ends_at']:%H:%M}, with {item['staff_name']}"
            + (
                f", {item['room_name'] or item['location']}"
                if item["room_name"] or item["location"]
                else ""
            )
        )
    )
    if item["case_reference"]:
        print(plain(f"Case: {item['case_reference']} {item['person_name']}"))
    print(plain(f"Attending: {', '.join(item['attendees']) or 'nobody else'}"))
    for label, paper in (("Agenda", got.agenda), ("Minutes", got.minutes)):
        print()
        _print_paper(label, paper)
    return 0


def booking_json(got: BookingPapers) -> dict[str, Any]:
    """One booking as `diary booking --json` prints it: the diary's fields, agenda and minutes."""
    return {
        **appointment_dict(got.booking),
        "agenda": _paper_dict(got.agenda),
        "minutes": _paper_dict(got.minutes),
    }


def add_papers_parsers(actions: Any) -> None:
    for kind, what in (("agenda", "the agenda"), ("minutes", "the minutes")):
        parser = actions.add_parser(
            kind,
            help=f"write, import or read {what} of a booking",
            description=f"{what.capitalize()} of a booking: --text sets the text (- reads "
            "it from standard input), --file imports a file (a text file becomes the text; a PDF, "
            "an image, a Word document or an e-mail is kept whole beside it), --out saves the "
            "file imported; with none of these the text is printed. Writing again replaces what "
            "was there (the audit trail keeps who changed it and when)."
            + (
                " Minutes written before the meeting has ended are saved with a warning."
                if kind == "minutes"
                else ""
            ),
        )
        parser.add_argument("id", type=record_id("appointment"), metavar="ID")
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--text", metavar="TEXT", help="the text (- for standard input)")
        how.add_argument("--file", metavar="FILE", help="import a file")
        how.add_argument("--out", metavar="FILE", help="save the file imported to FILE")
        add_json_flag(parser)
        parser.set_defaults(handler=paper_cmd, paper_kind=kind)
    parser = actions.add_parser(
        "booking",
        help="one booking with its attendees, agenda and minutes",
        description="One booking: when, what, with whom, where, who else attends, its agenda "
        "and its minutes.",
    )
    parser.add_argument("id", type=record_id("appointment"), metavar="ID")
    add_json_flag(parser)
    parser.set_defaults(handler=booking_cmd)
