"""`caseterm account` money forms and decisions (issue 14): a means form (`means`), a court
result (`result`), a remission (`remit`), the fine's increase (`increase`), and the checker's
side of decisions held beyond an officer's limit (`decisions`, `approve`, `reject`). Added to
the `account` command by `account_cmds.register`."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.means import INCOME_FIELDS, OUTGOING_FIELDS, WEEKS, Figures
from caseterm.core.rules.money import FREQUENCIES, IMPOSITION_KINDS, format_pence, parse_amount
from caseterm.core.rules.when import Prefer, parse_day
from caseterm.core.services import (
    cases,
    court_results,
    fine_increase,
    means,
    money_decision_checks,
    money_decisions,
)
from caseterm.core.services.court_results import Imposed
from caseterm.core.services.money_decisions import Decision, TermsAsked


def _case_id(session: Any, reference: str) -> int:
    case = cases.case_by_reference(session, reference)
    assert case.id is not None
    return case.id


def _date(text: str | None, option: str, *, prefer: Prefer = "future") -> date | None:
    """A day typed as docs/cli.md "Dates" says: day first (`07/12/2026`, `7 dec`), `today`,
    `+10wd`, or ISO (`2026-12-07`)."""
    if not text:
        return None
    return parse_day(text, clock.today(), prefer=prefer, field=option)


day_option = _date


def _time(text: str | None, option: str) -> time | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValidationError(option, f"must be a time like 14:30, not {text!r}") from None


def _money(text: str | None, option: str) -> int:
    """Pence from an option's amount; nothing given, or 0, is £0.00 (a figure of a form)."""
    if text is None or text.strip() in ("", "0", "0.00"):
        return 0
    return parse_amount(text, option)


def decision_line(d: Decision) -> str:
    if d.status == "posted":
        text = f"{d.reference}: {d.what}"
        if d.txn_id:
            text += f" (transaction {d.txn_id})"
        return text + f"; balance now {format_pence(d.balance_after_pence)}"
    if d.status == "pending":
        return f"{d.reference}: {d.what} held for a checker as decision #{d.id}: {d.why_held}"
    reason = f": {d.decision_reason}" if d.decision_reason else ""
    return f"{d.reference}: decision #{d.id} {d.status} by {d.checker} ({d.what}){reason}"


def means_form(args: argparse.Namespace) -> int:
    figures = Figures(
        **{
            name: _money(getattr(args, name), "--" + name.replace("_", "-"))
            for name in (*INCOME_FIELDS, *OUTGOING_FIELDS)
        },
        dependants=args.dependants,
    )
    terms_from = _date(args.terms_from, "--terms-from")
    instalment = _money(args.instalment, "--instalment") or None
    if instalment and terms_from is None:
        raise ValidationError("--instalment", "goes with --terms-from DATE")
    ctx = context(args)
    with ctx.db.write() as session:
        info = means.record_means(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            figures=figures,
            frequency=args.frequency,
            notes=args.notes or "",
            terms_from=terms_from,
            instalment_pence=instalment,
            reason=args.reason or "",
        )
    if args.json:
        print_json(info)
        return 0
    per = FREQUENCIES[info.frequency]
    print(plain(f"Means form #{info.id} on {info.reference} ({per} figures)"))
    print(plain(f"Income {format_pence(info.income_pence)}"))
    print(
        plain(
            f"Outgoings {format_pence(info.outgoings_pence)} (with "
            f"{format_pence(info.dependants_allowance_pence)} for "
            f"{info.figures.dependants} dependant(s))"
        )
    )
    print(plain(f"Disposable income {format_pence(info.disposable_pence)} {per}"))
    print(plain(f"Proposed instalment {format_pence(info.proposed_pence)} {per}"))
    if info.terms is not None:
        print(plain(decision_line(info.terms)))
    return 0


def _impositions(values: list[str]) -> list[Imposed]:
    out = []
    for n, text in enumerate(values, 1):
        kind, sep, rest = text.partition("=")
        if not sep:
            raise ValidationError(
                "--impose", f"{text!r} must be KIND=AMOUNT[@CREDITOR], e.g. fine=200"
            )
        amount, _, creditor = rest.partition("@")
        out.append(Imposed(kind.strip(), parse_amount(amount, f"imposition {n} amount"), creditor))
    return out


def result(args: argparse.Namespace) -> int:
    hearing = _date(args.hearing, "--hearing", prefer="past")
    assert hearing is not None
    terms = None
    if args.by or args.start:
        first = _date(args.by or args.start, "--by" if args.by else "--from")
        assert first is not None
        instalment = _money(args.instalment, "--instalment")
        if args.start and not instalment:
            raise ValidationError("--instalment", "is required with --from (or give --by DATE)")
        terms = TermsAsked(
            kind="by_date" if args.by else "instalments",
            first_due=first,
            instalment_pence=instalment,
            frequency=args.frequency,
            lump_sum_pence=_money(args.lump_sum, "--lump-sum"),
        )
    items = _impositions(args.impose or [])
    ctx = context(args)
    with ctx.db.write() as session:
        info = court_results.result_hearing(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            hearing_on=hearing,
            impositions=items,
            court=args.court or "",
            collection_order=not args.no_collection_order,
            terms=terms,
            next_hearing_on=_date(args.next_hearing, "--next-hearing"),
            next_hearing_time=_time(args.next_hearing_at, "--next-hearing-at"),
            notes=args.notes or "",
        )
    if args.json:
        print_json(info)
        return 0
    print(
        plain(
            f"Resulted {info.reference}, hearing of {info.hearing_on:%d/%m/%Y}: "
            f"{format_pence(info.imposed_pence)} imposed; balance "
            f"{format_pence(info.balance_pence)}"
        )
    )
    if info.terms is not None:
        print(plain(f"Terms: {info.terms.describe()}"))
    if info.next_hearing_at is not None:
        print(
            plain(
                f"Next hearing: {info.next_hearing_at:%a %d/%m/%Y %H:%M}, in "
                f"{info.next_hearing_with}'s diary (appointment {info.next_hearing_id})"
            )
        )
    return 0


def _decided(args: argparse.Namespace, d: Decision) -> int:
    if args.json:
        print_json(d)
    else:
        print(plain(decision_line(d)))
    return 0


def remit(args: argparse.Namespace) -> int:
    amount = parse_amount(args.amount)
    ctx = context(args)
    with ctx.db.write() as session:
        d = money_decisions.remit(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            amount_pence=amount,
            reason=args.reason,
            imposition_id=args.imposition,
        )
    return _decided(args, d)


def increase(args: argparse.Namespace) -> int:
    amount = parse_amount(args.amount, "--amount") if args.amount else None
    ctx = context(args)
    with ctx.db.write() as session:
        done = fine_increase.increase_fine(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            reason=args.reason,
            percent=args.percent,
            amount_pence=amount,
            imposition_id=args.imposition,
        )
    if args.json:
        print_json(done)
    else:
        print(
            plain(
                f"fine increased by {format_pence(done.amount_pence)} (transaction "
                f"{done.txn_id}; {format_pence(done.increased_so_far_pence)} of at most "
                f"{format_pence(done.most_pence)}); balance now "
                f"{format_pence(done.balance_after_pence)}"
            )
        )
    return 0


def awaiting(args: argparse.Namespace) -> int:
    if args.reference:  # one case's decision history
        from caseterm.cli.account_history_cmds import history

        return history(args)
    ctx = context(args)
    with ctx.db.read() as session:
        rows = money_decision_checks.decisions_awaiting(session, ctx.actor)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No money decisions awaiting you.")
        return 0
    print_table(
        ["Decision", "Made", "Case", "What", "Why held", "Maker"],
        [
            [r.id, f"{r.created_at:%d/%m/%Y %H:%M}", r.reference, r.what, r.why_held, r.maker]
            for r in rows
        ],
    )
    return 0


def approve(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        d = money_decision_checks.approve_decision(session, ctx.actor, decision_id=args.decision)
    return _decided(args, d)


def reject(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        d = money_decision_checks.reject_decision(
            session, ctx.actor, decision_id=args.decision, reason=args.reason
        )
    return _decided(args, d)


def register_more(sub: Any) -> None:
    """The subcommands of `account` this module adds."""
    from caseterm.cli.account_rules_cmds import register_rules  # account rules

    register_rules(sub)
    p = sub.add_parser(
        "means",
        help="save a means form: income and outgoings, the disposable income and the proposed "
        "instalment",
        description="Each figure is an amount per --every period (weekly by default). "
        "--terms-from DATE also sets instalment terms at the proposed instalment (or "
        "--instalment), within your limit or held for a checker, linked to the form.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--every", dest="frequency", default="weekly", choices=list(WEEKS))
    for name, label in (INCOME_FIELDS | OUTGOING_FIELDS).items():
        p.add_argument("--" + name.replace("_", "-"), dest=name, metavar="AMOUNT", help=label)
    p.add_argument("--dependants", type=int, default=0, help="how many people depend on them")
    p.add_argument("--notes", help="what was said")
    p.add_argument(
        "--terms-from",
        metavar="DATE",
        help="set terms from this date (day first: 31/12/2026, +10wd)",
    )
    p.add_argument("--instalment", metavar="AMOUNT", help="instead of the proposed instalment")
    p.add_argument("--reason", help="why the terms change (default: the means form)")
    add_json_flag(p)
    p.set_defaults(handler=means_form)

    p = sub.add_parser(
        "result",
        help="result a court hearing: impositions, collection order, terms, next hearing",
        description="--impose KIND=AMOUNT[@CREDITOR], once per imposition (kinds: "
        + ", ".join(IMPOSITION_KINDS)
        + "). Terms: --by DATE, or --from DATE --instalment AMOUNT [--every F]. Posted all "
        "together or not at all.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--hearing", required=True, metavar="DATE", help="the hearing's date")
    p.add_argument("--impose", action="append", metavar="KIND=AMOUNT[@CREDITOR]")
    p.add_argument("--court", help="the court")
    p.add_argument(
        "--no-collection-order", action="store_true", help="no collection order was made"
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--by", metavar="DATE", help="pay in full by this date")
    when.add_argument("--from", dest="start", metavar="DATE", help="first instalment date")
    p.add_argument("--instalment", metavar="AMOUNT", help="each instalment")
    p.add_argument("--every", dest="frequency", default="monthly", choices=list(FREQUENCIES))
    p.add_argument("--lump-sum", metavar="AMOUNT", help="paid on the first date")
    p.add_argument(
        "--next-hearing", metavar="DATE", help="the next hearing's date (booked in the diary)"
    )
    p.add_argument(
        "--next-hearing-at", metavar="HH:MM", help="the next hearing's time (default 10:00)"
    )
    p.add_argument("--notes", help="anything else the court ordered")
    add_json_flag(p)
    p.set_defaults(handler=result)

    p = sub.add_parser(
        "remit",
        help="remit part of what is owed (held for a checker beyond your limit)",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("amount", help="amount in pounds, e.g. 25")
    p.add_argument("--reason", required=True, help="why it is remitted")
    p.add_argument("--imposition", type=record_id("imposition"), help="on this imposition")
    add_json_flag(p)
    p.set_defaults(handler=remit)

    p = sub.add_parser(
        "increase",
        help="increase the fine on default (up to 50%% of the fine, the fine only)",
    )
    p.add_argument("reference", help="case reference")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--percent", type=int, help="per cent of the fine as imposed")
    how.add_argument("--amount", help="amount in pounds")
    p.add_argument("--reason", required=True, help="why (the default it follows)")
    p.add_argument("--imposition", type=record_id("imposition"), help="the fine, if several")
    add_json_flag(p)
    p.set_defaults(handler=increase)

    p = sub.add_parser(
        "decisions",
        help="write-offs, remissions and terms awaiting your check (or, with REF, a case's "
        "decisions: held, approved, rejected)",
    )
    p.add_argument("reference", nargs="?", help="a case: its money decisions, newest first")
    add_json_flag(p)
    p.set_defaults(handler=awaiting)

    p = sub.add_parser("approve", help="approve a decision held for a checker (posts it)")
    p.add_argument("decision", type=record_id("decision"), help="decision id")
    add_json_flag(p)
    p.set_defaults(handler=approve)

    p = sub.add_parser("reject", help="reject a decision held for a checker, with a reason")
    p.add_argument("decision", type=record_id("decision"), help="decision id")
    p.add_argument("--reason", required=True, help="why (the officer sees it)")
    add_json_flag(p)
    p.set_defaults(handler=reject)
