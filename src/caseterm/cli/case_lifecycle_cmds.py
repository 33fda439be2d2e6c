"""`caseterm case edit|close|reopen|transfer|accept|return|transfers|transfer-reminders|party|
link|file-location`: keeping a case up to date, moving it between offices, closing it through its
checklist, and where its paper file is (issue 12). Registered under `case` by `case_cmds`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from caseterm.cli.common import choose, fmt_date, fmt_when, logged_refusal, plain, restricted_exit
from caseterm.cli.common import staff_by_login as _staff
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.core.errors import NotFoundError, RestrictedError, ValidationError
from caseterm.core.rules.case_lifecycle import CASE_LINK_KINDS, FILE_LOCATION_KINDS, PARTY_ROLES
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import cases, org
from caseterm.core.services.identity import Actor

if TYPE_CHECKING:  # each action imports its own service when it runs (`case show` needs none)
    from caseterm.core.services import case_closure, case_edit, case_transfer, file_location
    from caseterm.core.services.case_closure import ClosureInfo


def _case_id(session: Session, reference: str) -> int:
    from caseterm.core.services.search import parse_reference

    case = cases.case_by_reference(session, parse_reference(reference) or reference)
    assert case.id is not None
    return case.id


def _staff_id(session: Session, login: str | None, field: str) -> int | None:
    return _staff(session, login, field).id if login else None


def _team_id(session: Session, code: str | None) -> int | None:
    return org.team_by_code(session, code).id if code else None


def _office_id(session: Session, code: str | None) -> int | None:
    return org.office_by_code(session, code).id if code else None


def _run(args: argparse.Namespace, work: Any, show: Any) -> int:
    """Do `work(session, actor)` in one writing transaction; print `show(result)` or its JSON.
    A restricted case prints whom to ask (the refusal is logged)."""
    ctx = context(args)
    with ctx.db.write() as session:
        result = logged_refusal(lambda: work(session, ctx.actor))
    if isinstance(result, RestrictedError):
        return restricted_exit(result, args.json)
    if args.json:
        print_json(_plain_data(result))
    else:
        for line in str(show(result)).splitlines():
            print(plain(line))
    return 0


def _plain_data(result: Any) -> Any:
    from caseterm.core.services.case_closure import ClosureInfo

    if isinstance(result, list):
        return [_plain_data(r) for r in result]
    if isinstance(result, ClosureInfo):
        data = asdict(result)
        data["outstanding"] = [s.code for s in result.outstanding]
        return data
    if hasattr(result, "__dataclass_fields__"):
        return asdict(result)
    return result


# --- edit ----------------------------------------------------------------------------------------


def edit_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_edit

    def work(s: Session, actor: Actor) -> case_edit.CaseEdited:
        return case_edit.edit_case(
            s,
            actor,
            case_id=_case_id(s, args.reference),
            expected_version=args.version,
            summary=args.summary,
            priority=args.priority,
            owner_id=_staff_id(s, args.owner, "owner"),
            clear_owner=args.no_owner,
            admin_owner_id=_staff_id(s, args.admin_owner, "admin_owner"),
            team_id=_team_id(s, args.team),
            office_id=_office_id(s, args.office),
        )

    return _run(
        args,
        work,
        lambda r: (
            f"{r.reference}: changed {', '.join(r.changed) or 'nothing'} (version {r.version})"
        ),
    )


# --- closing and reopening ---------------------------------------------------------------------


def _checklist_text(info: ClosureInfo | None) -> str:
    if info is None:
        return "no closure started"
    lines = [f"{info.reference}: {info.reason_label} — closure {info.status.replace('_', ' ')}"]
    if info.also_started:
        lines.append(f"  also closing (death): {', '.join(info.also_started)}")
    for step in info.steps:
        mark = {"done": "[x]", "waived": "[w]"}.get(step.state, "[ ]")
        need = "" if step.mandatory else " (optional)"
        who = f"  {step.done_by} {fmt_when(step.done_at)}" if step.done_by else ""
        note = f"  {step.note}" if step.note else ""
        lines.append(f"  {mark} {step.code}: {step.label}{need}{who}{note}")
    if info.status == "in_progress":
        left = len(info.outstanding)
        lines.append(
            f"  {left} mandatory step(s) left" if left else "  ready: close it with --finish"
        )
    return "\n".join(lines)


def close_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_closure

    if args.list_reasons:

        def reasons(s: Session, actor: Actor) -> list[case_closure.ReasonInfo]:
            return case_closure.reasons_for_case(s, actor, case_id=_case_id(s, args.reference))

        return _run(
            args,
            reasons,
            lambda rs: "\n".join(f"{r.code}: {r.label} ({'; '.join(r.steps)})" for r in rs),
        )
    waives = []
    for item in args.waive or []:
        step, sep, why = item.partition("=")
        if not sep or not why.strip():
            raise ValidationError(
                "waive", f"give STEP=REASON, e.g. file_stored=no paper file ({item!r})"
            )
        waives.append((step.strip(), why))

    def work(s: Session, actor: Actor) -> ClosureInfo | None:
        case_id = _case_id(s, args.reference)
        info = None
        if args.reason:
            info = case_closure.start_closure(s, actor, case_id=case_id, reason=args.reason)
        for step in args.tick or []:
            info = case_closure.tick_step(
                s, actor, case_id=case_id, step=step, note=args.note or ""
            )
        for step, why in waives:
            info = case_closure.waive_step(s, actor, case_id=case_id, step=step, reason=why)
        if args.finish:
            info = case_closure.close_case(
                s, actor, case_id=case_id, note=args.note or "", expected_version=args.version
            )
        return info or case_closure.closure_checklist(s, actor, case_id=case_id)

    return _run(args, work, _checklist_text)


def reopen_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_closure
    from caseterm.core.services.search import parse_reference

    def work(s: Session, actor: Actor) -> dict[str, Any]:
        case_id = _case_id(s, args.reference)
        case_closure.reopen_case(s, actor, case_id=case_id, reason=args.reason)
        case = cases.case_by_reference(s, parse_reference(args.reference) or args.reference)
        return {"reference": case.reference, "status": case.status, "reason": case.status_reason}

    return _run(args, work, lambda r: f"{r['reference']}: reopened ({r['reason']})")


# --- transfers ---------------------------------------------------------------------------------


def _transfer_text(t: case_transfer.TransferInfo) -> str:
    to = t.to_office + (f" ({t.to_team})" if t.to_team else "")
    text = f"{t.reference}: transfer {t.from_office} → {to}: {t.status}"
    if t.status == "pending":
        text += f", to be acknowledged by {fmt_date(t.acknowledge_by)} (task #{t.task_id})"
    if t.return_reason:
        text += f" ({t.return_reason})"
    return text


def transfer_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_transfer

    def work(s: Session, actor: Actor) -> case_transfer.TransferInfo:
        office_id = _office_id(s, args.office)
        assert office_id is not None
        return case_transfer.transfer_out(
            s,
            actor,
            case_id=_case_id(s, args.reference),
            office_id=office_id,
            team_id=_team_id(s, args.team),
            reason=args.reason,
            papers_sent=args.papers_sent,
            appointments_moved=args.appointments_moved,
            tasks_handed_over=args.tasks_handed_over,
            expected_version=args.version,
        )

    return _run(args, work, _transfer_text)


def accept_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_transfer

    def work(s: Session, actor: Actor) -> case_transfer.TransferInfo:
        return case_transfer.accept_transfer(
            s,
            actor,
            case_id=_case_id(s, args.reference),
            owner_id=_staff_id(s, args.owner, "owner"),
            team_id=_team_id(s, args.team),
        )

    return _run(args, work, _transfer_text)


def return_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_transfer

    def work(s: Session, actor: Actor) -> case_transfer.TransferInfo:
        return case_transfer.return_transfer(
            s, actor, case_id=_case_id(s, args.reference), reason=args.reason
        )

    return _run(args, work, _transfer_text)


def transfers_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_transfer

    def work(s: Session, actor: Actor) -> list[case_transfer.TransferInfo]:
        return case_transfer.transfers_of_case(s, actor, case_id=_case_id(s, args.reference))

    return _run(args, work, lambda ts: "\n".join(map(_transfer_text, ts)) or "no transfers")


def reminders_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_transfer

    def work(s: Session, actor: Actor) -> list[case_transfer.Reminder]:
        return case_transfer.raise_transfer_reminders(s, actor)

    return _run(
        args,
        work,
        lambda rs: "\n".join(
            [f"{len(rs)} reminder(s) raised"]
            + [f"  {r.reference}: due {fmt_date(r.acknowledge_by)}, task #{r.task_id}" for r in rs]
        ),
    )


# --- parties and links -------------------------------------------------------------------------


def party_add_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_edit

    role = choose("role", args.role, PARTY_ROLES)

    def work(s: Session, actor: Actor) -> case_edit.PartyChange:
        return case_edit.add_party(
            s,
            actor,
            case_id=_case_id(s, args.reference),
            person_id=args.person,
            role=role,
            notes=args.notes or "",
        )

    return _run(args, work, lambda r: f"{r.reference}: person {r.person_id} added as {r.role}")


def party_remove_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_edit

    role = choose("role", args.role, PARTY_ROLES) if args.role else None

    def work(s: Session, actor: Actor) -> case_edit.PartyChange:
        case_id = _case_id(s, args.reference)
        view = cases.view_case(s, actor, reference_or_id=case_id)
        found = [
            p for p, _ in view.parties if p.person_id == args.person and role in (None, p.role)
        ]
        if not found:
            raise NotFoundError(f"party on {view.case.reference}: person", args.person)
        if len(found) > 1:
            raise ValidationError("role", "the person has several roles here: give --role")
        return case_edit.remove_party(s, actor, case_id=case_id, party_id=found[0].id or 0)

    return _run(args, work, lambda r: f"{r.reference}: person {r.person_id} ({r.role}) removed")


def link_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import case_edit

    kind = choose("relation", args.relation, CASE_LINK_KINDS)

    def work(s: Session, actor: Actor) -> case_edit.LinkChange:
        case_id, other_id = _case_id(s, args.reference), _case_id(s, args.other)
        if args.remove:
            return case_edit.unlink_cases(s, actor, case_id=case_id, other_id=other_id)
        return case_edit.link_cases(s, actor, case_id=case_id, other_id=other_id, kind=kind)

    verb = "unlinked from" if args.remove else "linked to"
    return _run(args, work, lambda r: f"{r.reference} {verb} {r.other_reference} ({r.kind})")


# --- the paper file ----------------------------------------------------------------------------


def location_cmd(args: argparse.Namespace) -> int:
    from caseterm.core.services import file_location

    kind = choose("kind", args.kind, FILE_LOCATION_KINDS) if args.kind else None
    retrieval = parse_uk_date(args.retrieval, field="retrieval_date") if args.retrieval else None

    def work(s: Session, actor: Actor) -> list[file_location.LocationInfo]:
        case_id = _case_id(s, args.reference)
        if kind is not None:
            file_location.set_file_location(
                s,
                actor,
                case_id=case_id,
                kind=kind,
                office_id=_office_id(s, args.office),
                place=args.place or "",
                box=args.box or "",
                retrieval_date=retrieval,
                note=args.note or "",
            )
        return file_location.file_locations(s, actor, case_id=case_id)

    def show(rows: list[file_location.LocationInfo]) -> str:
        if not rows:
            return "no file location recorded"
        lines = [f"Now: {rows[0].describe()}"]
        lines += [
            f"  {fmt_when(r.recorded_at)}  {r.describe()}  {r.recorded_by or ''}"
            + (f"  {r.note}" if r.note else "")
            for r in rows
        ]
        return "\n".join(lines)

    return _run(args, work, show)


# --- registration ------------------------------------------------------------------------------


def _ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", help="case reference, e.g. OM/2026/000123")


def _version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        type=int,
        metavar="N",
        help="the case version you read (from case show --json): refused if changed since",
    )


def register_lifecycle(case_sub: Any) -> None:
    """Add the lifecycle actions to the `case` command's subparsers."""
    edit = case_sub.add_parser(
        "edit",
        help="change a case's summary, priority, owners, team or office",
        description="Change a case's fields. A closed case is read-only (reopen it first).",
    )
    _ref(edit)
    edit.add_argument("--summary", metavar="TEXT")
    edit.add_argument("--priority", type=int, choices=(1, 2, 3, 4), help="1 urgent … 4 low")
    owner = edit.add_mutually_exclusive_group()
    owner.add_argument("--owner", metavar="LOGIN", help="the new case owner")
    owner.add_argument("--no-owner", action="store_true", help="leave the case unowned")
    edit.add_argument("--admin-owner", metavar="LOGIN")
    edit.add_argument("--team", metavar="CODE")
    edit.add_argument("--office", metavar="CODE")
    _version(edit)
    add_json_flag(edit)
    edit.set_defaults(handler=edit_cmd)

    close = case_sub.add_parser(
        "close",
        help="close a case through its checklist (start, tick, waive, finish)",
        description="Start closing with --reason (see --list-reasons), tick steps with --tick "
        "STEP, waive them with --waive STEP=REASON, and close with --finish once no mandatory "
        "step is left. Without options it shows the checklist.",
    )
    _ref(close)
    close.add_argument("--reason", metavar="CODE", help="start closing for this reason")
    close.add_argument("--tick", action="append", metavar="STEP", help="tick a step as done")
    close.add_argument("--waive", action="append", metavar="STEP=REASON", help="waive a step")
    close.add_argument("--note", metavar="TEXT", help="a note on the ticks or the closure")
    close.add_argument("--finish", action="store_true", help="close the case")
    close.add_argument("--list-reasons", action="store_true", help="the reasons and their steps")
    _version(close)
    add_json_flag(close)
    close.set_defaults(handler=close_cmd)

    reopen = case_sub.add_parser("reopen", help="reopen a closed case with a reason")
    _ref(reopen)
    reopen.add_argument("--reason", required=True, metavar="TEXT")
    add_json_flag(reopen)
    reopen.set_defaults(handler=reopen_cmd)

    transfer = case_sub.add_parser(
        "transfer",
        help="transfer a case out to another office",
        description="Transfer out with a reason once the checklist is done: the case is "
        "transfer pending and the receiving office gets a transfer-in task.",
    )
    _ref(transfer)
    transfer.add_argument("--office", required=True, metavar="CODE", help="receiving office")
    transfer.add_argument("--team", metavar="CODE", help="receiving team")
    transfer.add_argument("--reason", required=True, metavar="TEXT")
    transfer.add_argument("--papers-sent", action="store_true", help="checklist: papers sent")
    transfer.add_argument(
        "--appointments-moved",
        action="store_true",
        help="checklist: future appointments moved or cancelled",
    )
    transfer.add_argument(
        "--tasks-handed-over", action="store_true", help="checklist: open tasks handed over"
    )
    _version(transfer)
    add_json_flag(transfer)
    transfer.set_defaults(handler=transfer_cmd)

    accept = case_sub.add_parser("accept", help="accept a case transferred to your office")
    _ref(accept)
    accept.add_argument("--owner", metavar="LOGIN", help="its new owner")
    accept.add_argument("--team", metavar="CODE", help="its new team (default: as sent)")
    add_json_flag(accept)
    accept.set_defaults(handler=accept_cmd)

    back = case_sub.add_parser("return", help="return a transferred case with a reason")
    _ref(back)
    back.add_argument("--reason", required=True, metavar="TEXT")
    add_json_flag(back)
    back.set_defaults(handler=return_cmd)

    transfers = case_sub.add_parser("transfers", help="every transfer of a case, newest first")
    _ref(transfers)
    add_json_flag(transfers)
    transfers.set_defaults(handler=transfers_cmd)

    reminders = case_sub.add_parser(
        "transfer-reminders",
        help="raise reminders for transfers not acknowledged in time (run daily)",
        description="A reminder task for the sender of every transfer not acknowledged within "
        "its case type's working days. Running it again raises nothing twice.",
    )
    add_json_flag(reminders)
    reminders.set_defaults(handler=reminders_cmd)

    party = case_sub.add_parser("party", help="add or remove another person on a case")
    party_sub = party.add_subparsers(dest="party_command", metavar="ACTION", required=True)
    add = party_sub.add_parser("add", help="add a person in a role")
    _ref(add)
    add.add_argument("--person", type=int, required=True, metavar="ID")
    add.add_argument("--role", required=True, help="one of " + ", ".join(PARTY_ROLES))
    add.add_argument("--notes", metavar="TEXT")
    add_json_flag(add)
    add.set_defaults(handler=party_add_cmd)
    remove = party_sub.add_parser("remove", help="take a person off a case")
    _ref(remove)
    remove.add_argument("--person", type=int, required=True, metavar="ID")
    remove.add_argument("--role", help="which role, if they have several")
    add_json_flag(remove)
    remove.set_defaults(handler=party_remove_cmd)

    link = case_sub.add_parser("link", help="link (or --remove the link between) two cases")
    _ref(link)
    link.add_argument("other", help="the other case's reference")
    link.add_argument("--relation", default="related", help="one of " + ", ".join(CASE_LINK_KINDS))
    link.add_argument("--remove", action="store_true", help="remove the link instead")
    add_json_flag(link)
    link.set_defaults(handler=link_cmd)

    where = case_sub.add_parser(
        "file-location",
        help="where the paper file is (with --kind: record a move), and its history",
    )
    _ref(where)
    where.add_argument("--kind", help="one of " + ", ".join(FILE_LOCATION_KINDS))
    where.add_argument("--office", metavar="CODE")
    where.add_argument("--place", metavar="TEXT", help="cabinet or shelf")
    where.add_argument("--box", metavar="NUMBER", help="storage box")
    where.add_argument("--retrieval", metavar="DD/MM/YYYY", help="off-site retrieval date")
    where.add_argument("--note", metavar="TEXT")
    add_json_flag(where)
    where.set_defaults(handler=location_cmd)
