"""`caseterm account hold|release|confirm-step|reject-step`: an account's enforcement held (with
a reason and an optional until-date) or released, and the officer's decision on the step the
money run proposed (confirming drafts its letter and sends it for checking)."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json
from caseterm.core.errors import ValidationError


def _case_id(session: Any, reference: str) -> int:
    from caseterm.core.services import cases

    return cases.case_by_reference(session, reference).id or 0


def _fields(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValidationError("field", f"write it as NAME=VALUE, not {item!r}")
        out[name.strip()] = value.strip()
    return out


def hold(args: argparse.Namespace) -> int:
    from caseterm.core import clock
    from caseterm.core.rules.when import parse_day
    from caseterm.core.services import enforcement_hold

    until = parse_day(args.until, clock.today(), field="until") if args.until else None
    ctx = context(args)
    with ctx.db.write() as session:
        info = enforcement_hold.hold_account(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            reason=args.reason,
            until=until,
        )
    if args.json:
        print_json(info)
    else:
        print(plain(f"{info.reference}: {info.words()}"))
    return 0


def release(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_hold

    ctx = context(args)
    with ctx.db.write() as session:
        info = enforcement_hold.release_account(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            reason=args.reason or "",
        )
    if args.json:
        print_json(info)
    else:
        print(plain(f"{info.reference}: released from hold ({info.reason})"))
    return 0


def confirm_step(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_steps

    extra = _fields(args.field)
    ctx = context(args)
    with ctx.db.write() as session:
        done = enforcement_steps.confirm_step(
            session, ctx.actor, case_id=_case_id(session, args.reference), extra=extra
        )
    if args.json:
        print_json(done)
    else:
        print(plain(done.words()))
    return 0


def reject_step(args: argparse.Namespace) -> int:
    from caseterm.core.services import enforcement_steps

    ctx = context(args)
    with ctx.db.write() as session:
        done = enforcement_steps.reject_step(
            session, ctx.actor, case_id=_case_id(session, args.reference), reason=args.reason
        )
    if args.json:
        print_json(done)
    else:
        print(plain(f"{done.words()}: {args.reason}"))
    return 0


def register_enforcement(sub: Any) -> None:
    """The subcommands of `account` this module adds."""
    p = sub.add_parser(
        "hold",
        help="put the account's enforcement on hold (the money run skips it)",
        description="A reason (an appeal lodged, a means review) and optionally --until a "
        "date, after which enforcement resumes by itself; `account release` resumes it now.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--reason", required=True, help="why enforcement is held")
    p.add_argument("--until", metavar="DATE", help="resume after this date (e.g. 12/01/2027)")
    add_json_flag(p)
    p.set_defaults(handler=hold)

    p = sub.add_parser("release", help="release the account's enforcement from hold")
    p.add_argument("reference", help="case reference")
    p.add_argument("--reason", help="why it is released (optional)")
    add_json_flag(p)
    p.set_defaults(handler=release)

    p = sub.add_parser(
        "confirm-step",
        help="confirm the enforcement step awaiting the officer (drafts its letter)",
        description="The step the money run proposed is confirmed: its stock letter is "
        "drafted and sent for checking (--field NAME=VALUE fills a field the template asks "
        "of an event, e.g. --field employer='Acme Ltd'); its task is done. A step with no "
        "template still confirms and says so.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--field", action="append", metavar="NAME=VALUE", help="a letter field")
    add_json_flag(p)
    p.set_defaults(handler=confirm_step)

    p = sub.add_parser(
        "reject-step",
        help="reject the enforcement step awaiting the officer, with a reason",
        description="The step's task is cancelled; the path moves on to its next step after "
        "that step's days (hold the account to stop enforcement).",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--reason", required=True, help="why the step is not taken")
    add_json_flag(p)
    p.set_defaults(handler=reject_step)
