"""`caseterm account`: a case's fines account: show it, take a payment (with its receipt), reverse
a transaction, write off, set payment terms, print a receipt."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseterm.cli.common import logged_refusal, plain, restricted_exit
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.registry import record_id
from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.money import (
    FREQUENCIES,
    PAYMENT_METHODS,
    WRITE_OFF_REASONS,
    format_pence,
    parse_amount,
)
from caseterm.core.services import accounts, cases, ledger
from caseterm.core.services.accounts import AccountView


def _case_id(session: Any, reference: str) -> int:
    case = cases.case_by_reference(session, reference)
    assert case.id is not None
    return case.id


def show_lines(view: AccountView) -> list[str]:
    out = [
        f"Account {view.reference}: balance {format_pence(view.balance_pence)}"
        + (f", arrears {format_pence(view.arrears_pence)}" if view.arrears_pence else "")
        + (f", {format_pence(view.suspense_pence)} in suspense" if view.suspense_pence else ""),
        f"Stage: {view.stage}",
    ]
    if view.terms is not None:
        out.append(f"Terms: {view.terms.describe()}")
    if view.next_due_on is not None:
        out.append(
            f"Next instalment: {format_pence(view.next_due_pence)} on {view.next_due_on:%d/%m/%Y}"
        )
    if view.next_step is not None:
        step = view.next_step
        out.append(f"Next step: {step.label} on {step.on:%d/%m/%Y} (letter: {step.letter})")
    return out


def show(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:  # viewing a restricted case is logged
        view = logged_refusal(
            lambda: accounts.show_account(session, ctx.actor, reference_or_id=args.reference)
        )
    if isinstance(view, RestrictedError):
        return restricted_exit(view, args.json)
    if args.json:
        print_json(view)
        return 0
    for line in show_lines(view):
        print(plain(line))
    print()
    print_table(
        ["Imposition", "Creditor", "Imposed", "Paid", "Written off", "Outstanding"],
        [
            [
                line.label,
                line.creditor,
                format_pence(line.imposed_pence),
                format_pence(line.paid_pence),
                format_pence(line.written_off_pence),
                format_pence(line.outstanding_pence),
            ]
            for line in view.lines
        ],
    )
    if view.transactions:
        print()
        print_table(
            ["Txn", "Date", "Kind", "Amount", "Method", "Receipt", "Reason"],
            [
                [
                    t.id,
                    f"{t.on:%d/%m/%Y}",
                    t.label + (" (reversed)" if t.reversed else ""),
                    format_pence(t.amount_pence),
                    t.method,
                    t.receipt_no,
                    t.reason,
                ]
                for t in view.transactions
            ],
        )
    return 0


def pay(args: argparse.Namespace) -> int:
    amount = parse_amount(args.amount)
    ctx = context(args)
    with ctx.db.write() as session:
        receipt = ledger.take_payment(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            amount_pence=amount,
            method=args.method,
            reference=args.reference_text or "",
        )
    if args.pdf:
        _pdf(receipt.lines(), args.pdf)
    if args.json:
        print_json(receipt)
    else:
        for line in receipt.lines():
            print(plain(line))
    return 0


def _pdf(lines: list[str], path: str) -> None:
    from caseterm.core.receipt_pdf import write_receipt_pdf

    write_receipt_pdf(lines, Path(path))


def receipt(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.read() as session:
        found = ledger.receipt_for(session, ctx.actor, txn_id=args.txn)
    if args.pdf:
        _pdf(found.lines(), args.pdf)
    if args.json:
        print_json(found)
    else:
        for line in found.lines():
            print(plain(line))
    return 0


def reverse(args: argparse.Namespace) -> int:
    ctx = context(args)
    with ctx.db.write() as session:
        posted = ledger.reverse_transaction(session, ctx.actor, txn_id=args.txn, reason=args.reason)
    return _posted(args, posted, f"reversed transaction {args.txn}")


def writeoff(args: argparse.Namespace) -> int:
    """Within the officer's limit it is posted; beyond it, held for a checker."""
    from caseterm.cli.account_forms_cmds import decision_line
    from caseterm.core.services import money_decisions

    amount = parse_amount(args.amount) if args.amount else None
    ctx = context(args)
    with ctx.db.write() as session:
        decided = money_decisions.write_off(
            session,
            ctx.actor,
            case_id=_case_id(session, args.reference),
            reason_code=args.reason,
            amount_pence=amount,
        )
    if args.json:
        print_json(decided)
    elif decided.status == "posted":
        print(
            plain(
                f"wrote off {format_pence(decided.amount_pence)} (transaction "
                f"{decided.txn_id}); balance now {format_pence(decided.balance_after_pence)}"
            )
        )
    else:
        print(plain(decision_line(decided)))
    return 0


def _posted(args: argparse.Namespace, posted: ledger.Posted, what: str) -> int:
    if args.json:
        print_json(posted)
    else:
        print(
            plain(
                f"{what} (transaction {posted.txn_id}); balance now "
                f"{format_pence(posted.balance_after_pence)}"
            )
        )
    return 0


def set_terms(args: argparse.Namespace) -> int:
    from caseterm.cli.account_forms_cmds import day_option

    first = day_option(args.first_due, "--from" if args.by is None else "--by")
    assert first is not None  # argparse requires --by or --from
    instalment = parse_amount(args.instalment, "--instalment") if args.instalment else 0
    lump = parse_amount(args.lump_sum, "--lump-sum") if args.lump_sum else 0
    kind = "by_date" if args.by else "instalments"
    if kind == "instalments" and not instalment:
        raise ValidationError("--instalment", "is required with --from (or give --by DATE)")
    from caseterm.cli.account_forms_cmds import decision_line
    from caseterm.core.services import money_decisions, terms_requests

    ctx = context(args)
    with ctx.db.write() as session:
        case_id = _case_id(session, args.reference)
        decided = terms_requests.ask_terms(
            session,
            ctx.actor,
            case_id=case_id,
            asked=money_decisions.TermsAsked(
                kind=kind,
                first_due=first,
                instalment_pence=instalment,
                frequency=args.frequency,
                lump_sum_pence=lump,
            ),
            reason=args.reason or "",
        )
        view = accounts.terms_view(accounts.active_terms(session, case_id))
    if decided.status != "posted" or view is None:
        if args.json:
            print_json(decided)
        else:
            print(plain(decision_line(decided)))
        return 0
    if args.json:
        print_json(view)
    else:
        print(plain(f"payment terms for {args.reference.upper()}: {view.describe()}"))
    return 0


def register(subparsers: Any) -> None:
    account = subparsers.add_parser(
        "account", help="a case's fines account: balance, payments, terms"
    )
    sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    p = sub.add_parser("show", help="impositions, balance, terms, arrears and the ledger")
    p.add_argument("reference", help="case reference")
    add_json_flag(p)
    p.set_defaults(handler=show)

    p = sub.add_parser(
        "pay",
        help="take a payment and print its receipt",
        description="Methods: " + ", ".join(PAYMENT_METHODS) + ". More than is owed is held "
        "in suspense (a task says so); a closed or written-off account takes no payment.",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("amount", help="amount in pounds, e.g. 25 or 12.50")
    p.add_argument("--method", required=True, help="how it was paid, e.g. card")
    p.add_argument(
        "--reference", dest="reference_text", metavar="R", help="the payer's or bank's reference"
    )
    p.add_argument("--pdf", metavar="FILE", help="also write the receipt as a PDF")
    add_json_flag(p)
    p.set_defaults(handler=pay)

    p = sub.add_parser("receipt", help="show (or print as PDF) an earlier payment's receipt")
    p.add_argument("txn", type=record_id("transaction"), help="transaction id")
    p.add_argument("--pdf", metavar="FILE", help="write the receipt as a PDF")
    add_json_flag(p)
    p.set_defaults(handler=receipt)

    p = sub.add_parser("reverse", help="reverse a transaction (dishonoured cheque, chargeback)")
    p.add_argument("txn", type=record_id("transaction"), help="transaction id")
    p.add_argument("--reason", required=True, help="why it is reversed")
    add_json_flag(p)
    p.set_defaults(handler=reverse)

    p = sub.add_parser(
        "writeoff",
        help="write off the balance with a reason code (held for a checker beyond your limit)",
        description="Reason codes: " + ", ".join(WRITE_OFF_REASONS) + ".",
    )
    p.add_argument("reference", help="case reference")
    p.add_argument("--reason", required=True, help="reason code, e.g. deceased")
    p.add_argument("--amount", help="write off only this much (default the whole balance)")
    add_json_flag(p)
    p.set_defaults(handler=writeoff)

    p = sub.add_parser(
        "terms",
        help="set payment terms (pay by a date, or instalments)",
        description="Either --by DATE (pay in full by then) or --instalment AMOUNT --from DATE "
        "[--every " + "|".join(FREQUENCIES) + "] [--lump-sum AMOUNT]; the date must be a "
        "working day. Changing terms that exist needs --reason. Terms taking longer to pay "
        "off than your limit are held for a checker.",
    )
    p.add_argument("reference", help="case reference")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--by", metavar="DATE", help="pay in full by this date (day first: 31/12/2026, +20wd)"
    )
    when.add_argument("--from", dest="start", metavar="DATE", help="first instalment date")
    p.add_argument("--instalment", metavar="AMOUNT", help="each instalment, e.g. 50")
    p.add_argument("--every", dest="frequency", default="monthly", choices=list(FREQUENCIES))
    p.add_argument("--lump-sum", metavar="AMOUNT", help="paid on the first date")
    p.add_argument("--reason", help="why the terms change (an extension, a means interview)")
    add_json_flag(p)
    p.set_defaults(handler=_terms_entry)

    from caseterm.cli.account_forms_cmds import register_more  # means, result, decisions

    register_more(sub)
    from caseterm.cli.account_history_cmds import register_history  # adjust, last-means

    register_history(sub)
    from caseterm.cli.account_enforcement_cmds import register_enforcement  # hold, steps

    register_enforcement(sub)


def _terms_entry(args: argparse.Namespace) -> int:
    args.first_due = args.by or args.start
    return set_terms(args)
