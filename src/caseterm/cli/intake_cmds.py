"""`caseterm intake scan|list|attach`: the watched intake folder. `scan` (for cron) makes each
file dropped into the folder an incoming item for triage and files it away (`done/`, or
`rejected/` with a reason); `list` shows the files waiting to be attached to a case; `attach`
attaches one item's file to a case as a received document."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import fmt_when, logged_refusal, plain, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import RECEIVED_KINDS, RECEIVED_MAX_BYTES
from caseterm.core.services import intake_files
from caseterm.core.services.intake_files import IntakeInfo


def _info(x: IntakeInfo) -> dict[str, Any]:
    return {
        "item_id": x.task_id,
        "filename": x.filename,
        "media_type": x.media_type,
        "size": x.size,
        "sha256": x.sha256,
        "received_at": x.received_at,
        "received_by": x.received_by,
        "document_id": x.document_id,
        "reference": x.reference or None,
        "office": x.office_code or None,
    }


def _folder(given: str | None) -> Path:
    from caseterm.core.storage.intake_folder import intake_folder

    folder = Path(given).expanduser() if given else intake_folder()
    if folder is None:
        raise ValidationError(
            "intake folder", "none is set: give --folder DIR or set intake_dir in the config file"
        )
    return folder


def scan_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.storage import intake_folder

    ctx = context(args)
    folder = _folder(args.folder)
    report = intake_folder.scan(ctx.db, ctx.actor, folder, args.office or "")
    if args.json:
        print_json(
            {
                "folder": report.folder,
                "taken": [
                    {**_info(t.info), "already": t.already, "moved_to": moved}
                    for t, moved in report.taken
                ],
                "rejected": [
                    {"filename": r.filename, "reason": r.reason, "moved_to": r.moved_to}
                    for r in report.rejected
                ],
                "failed": [{"filename": f.filename, "error": f.error} for f in report.failed],
            }
        )
    else:
        for taken, _moved in report.taken:
            i = taken.info
            if taken.already:
                print(plain(f"{i.filename}: taken before as incoming item {i.task_id}"))
            else:
                print(
                    plain(
                        f"{i.filename}: incoming item {i.task_id} ({i.type_label}, "
                        f"{i.size:,} bytes), waiting for triage"
                    )
                )
        for r in report.rejected:
            print(plain(f"{r.filename}: rejected ({r.reason}); moved to {r.moved_to}"))
        for f in report.failed:
            print(plain(f"{f.filename}: left for the next scan ({f.error})"))
        new = sum(1 for t, _ in report.taken if not t.already)
        print(
            f"{new} new incoming item(s), {len(report.rejected)} rejected, "
            f"{len(report.failed)} left for the next scan"
        )
    return 1 if report.failed else 0


def list_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        rows = intake_files.waiting_files(session, ctx.actor, office_code=args.office or "")
    if args.json:
        print_json([_info(r) for r in rows])
        return 0
    print_table(
        ("ITEM", "RECEIVED", "OFFICE", "TYPE", "SIZE", "FILE"),
        [
            (
                r.task_id,
                fmt_when(r.received_at),
                r.office_code or "—",
                r.type_label,
                f"{r.size:,}",
                r.filename,
            )
            for r in rows
        ],
    )
    return 0


def attach_cmd(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        made = logged_refusal(
            lambda: intake_files.attach_file(
                session,
                ctx.actor,
                task_id=args.item,
                kind=args.kind,
                reference=args.case or "",
                title=args.title or "",
            )
        )
    if isinstance(made, RestrictedError):
        return restricted_exit(made, args.json)
    if args.json:
        print_json(
            {
                "item_id": args.item,
                "document_id": made.id,
                "reference": made.reference,
                "kind": made.kind,
                "filename": made.filename,
                "media_type": made.media_type,
                "size": made.size,
                "sha256": made.sha256,
            }
        )
    else:
        print(
            plain(
                f"attached {made.filename} to {made.reference} as document #{made.id} "
                f"({RECEIVED_KINDS[made.kind]})"
            )
        )
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "intake", help="take files from the watched intake folder (for cron) and attach them"
    )
    sub = p.add_subparsers(dest="intake_command", metavar="ACTION", required=True)
    a = sub.add_parser(
        "scan",
        help="make each file in the intake folder an incoming item for triage",
        description="Take every file dropped into the intake folder (intake_dir in the config "
        "file, or --folder): each becomes an incoming item (post) waiting for triage, with the "
        "file held until triage attaches it to a case, then moves to done/. A file that is "
        "empty, over "
        f"{RECEIVED_MAX_BYTES // (1024 * 1024)} MB or not a PDF, an image, a Word document or "
        "an e-mail (judged by its content) moves to rejected/ with NAME.reason.txt. A file is "
        "taken once (the same bytes again are recognised by their SHA-256). Hidden files and "
        "names ending .part, .partial, .tmp or .crdownload are left alone while they are "
        "copied in. Each file is recorded as arriving at --office CODE (default: your own "
        "office), and triage shows its item at that office. Exit status 1 if a file was left "
        "for the next scan.",
    )
    a.add_argument("--folder", metavar="DIR", help="the folder to scan (default: intake_dir)")
    a.add_argument(
        "--office", metavar="CODE", help="the office the files arrived at (default: yours)"
    )
    add_json_flag(a)
    a.set_defaults(handler=scan_cmd)
    a = sub.add_parser(
        "list",
        help="files taken from the intake folder, not yet attached",
        description="The files taken from the intake folder and not yet attached to a case, "
        "oldest first, with the office each arrived at; --office CODE lists one office's.",
    )
    a.add_argument("--office", metavar="CODE", help="only the files that arrived at this office")
    add_json_flag(a)
    a.set_defaults(handler=list_cmd)
    a = sub.add_parser(
        "attach",
        help="attach an incoming item's file to a case as a received document",
        description="Attach the file an incoming item came with to the case it is linked to "
        f"(or --case REF, which links it). Kinds: {', '.join(RECEIVED_KINDS)}.",
    )
    a.add_argument("item", type=record_id("item"), help="the incoming item's id")
    a.add_argument("--kind", required=True, help="what it is, e.g. convictions, court, prison")
    a.add_argument("--case", metavar="REF", help="the case (default: the item's linked case)")
    a.add_argument("--title", help="a title (default: the file's name)")
    add_json_flag(a)
    a.set_defaults(handler=attach_cmd)
