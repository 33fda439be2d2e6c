"""This morning's bank statement in the demo, as `money import-bank` leaves one: a few credits
no account matched, held in suspense with a task each in the importer's team's Suspense queue
(to trace and allocate: `L`, `money allocate-suspense`), and one matched by its case reference
that paid more than was owed, posted with its receipt and the excess in that account's suspense
with a task (refund or apply: `money settle-suspense`).

Written after the rest of the demo and without drawing from its random stream, so everything
else stays as it was; the same seed and day give the same statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from caseterm.core.demo.context import CaseInfo, Ctx, StaffInfo
from caseterm.core.demo.work import add_task
from caseterm.core.rules.bank_csv import line_key
from caseterm.core.rules.money import format_pence
from caseterm.core.services.ledger import SUSPENSE_DUE_DAYS, receipt_number

FILENAME = "demo-statement.csv"
OVERPAID_PENCE = 1_500  # the matched line pays this much more than the account owed
# (reference, payer, pence, why it matched no account): the importer's own words.
UNMATCHED: tuple[tuple[str, str, int, str], ...] = (
    (
        "FINE PAYMENT",
        "MR J SMYTHE",
        5_000,
        "no account reference; name and amount match no single account",
    ),
    ("{missing}", "K WELLS", 12_000, "no account with that reference"),
    ("", "A PATEL", 3_550, "no account reference; name and amount match no single account"),
)


def _working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _add_working_days(day: date, days: int) -> date:
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _importer(ctx: Ctx) -> StaffInfo:
    """A Preston administrator (not the demo user) imports the file: their team's queue gets
    the unmatched lines, as the importer's does."""
    return next(
        s
        for s in ctx.staff
        if s.roles == ("administrator",) and s.office == "PRE" and s.active and s is not ctx.demo
    )


def _overpaying(ctx: Ctx) -> CaseInfo | None:
    """The first live, unrestricted Preston fines case that owes money and holds none in
    suspense: its payer sends a little more than the balance."""
    return next(
        (
            c
            for c in ctx.cases
            if c.type_code == "FINE"
            and c.office == "PRE"
            and c.closed_on is None
            and c.status == "open"
            and not c.restricted
            and c.id not in ctx.suspense
            and ctx.owed.get(c.id, 0) > 0
        ),
        None,
    )


@dataclass(frozen=True)
class _Day:
    """When the statement was imported and by whom, shared by every line."""

    statement_id: int
    by: StaffInfo
    paid_on: date  # the statement's date: the working day before
    at: datetime  # imported this morning
    due: date  # suspense tasks are due in SUSPENSE_DUE_DAYS working days


def bank_statement(ctx: Ctx) -> None:
    w = ctx.w
    day = _Day(
        statement_id=w.next_id("bank_statement"),
        by=_importer(ctx),
        paid_on=_working_day_before(ctx.today),
        at=min(datetime.combine(ctx.today, time(8, 45)), ctx.now),
        due=_add_working_days(ctx.today, SUSPENSE_DUE_DAYS),
    )
    case = _overpaying(ctx)
    lines = [_overpaid(ctx, day, case)] if case is not None else []
    missing = f"{ctx.case_types['FINE'][1]}/2019/000999"  # a reference no case has
    for reference, payer, pence, why in UNMATCHED:
        lines.append(
            _unmatched(
                ctx, day, len(lines) + 1, reference.format(missing=missing), payer, pence, why
            )
        )
    held = sum(1 for line in lines if line["status"] == "suspense")
    posted = len(lines) - held
    w.add(
        "bank_statement",
        {
            "id": day.statement_id,
            "filename": FILENAME,
            "profile": "",
            "lines": len(lines),
            "posted": posted,
            "suspense": held,
            "already": 0,
            "imported_at": day.at,
            "imported_by_id": day.by.id,
        },
    )
    for line in lines:
        w.add("bank_line", line)
    ctx.audit(
        day.at,
        day.by.id,
        "bank.import",
        "bank_statement",
        day.statement_id,
        f"bank statement {FILENAME}: {posted} posted, {held} to suspense",
    )


def _unmatched(
    ctx: Ctx, day: _Day, number: int, reference: str, payer: str, pence: int, why: str
) -> dict[str, object]:
    """A credit no account matched: held in suspense with a task in the importer's team."""
    key = line_key(day.paid_on, pence, reference, payer, 0)
    task_id = add_task(
        ctx,
        "suspense",
        case=None,
        team_id=day.by.team_id,
        office=day.by.office,
        due=day.due,
        created=day.at,
        priority=2,
        title=f"Bank credit {format_pence(pence)} from {payer} on {day.paid_on:%d/%m/%Y} in "
        "suspense: trace and allocate",
        details=f"Reference: {reference or '(none)'}\nWhy: {why}",
        source=f"bank_line:{key[:16]}",
    )
    ctx.audit(
        day.at,
        day.by.id,
        "task.create",
        "task",
        task_id,
        f"task {task_id} (Money in suspense): Bank credit {format_pence(pence)} from {payer}",
    )
    return _line(ctx, day, number, pence, reference, payer, "suspense", note=why, task_id=task_id)


def _overpaid(ctx: Ctx, day: _Day, case: CaseInfo) -> dict[str, object]:
    """A credit matched by its case reference that pays more than the balance: posted as a bank
    transfer with its receipt; the excess is held in the account's suspense with a task."""
    pence = ctx.owed[case.id] + OVERPAID_PENCE
    payment_id = ctx.w.next_id("payment")
    receipt = receipt_number(payment_id, ctx.today)
    ctx.w.add(
        "payment",
        {
            "id": payment_id,
            "case_id": case.id,
            "kind": "payment",
            "amount_pence": pence,
            "paid_on": day.paid_on,
            "method": "bank_transfer",
            "reference": case.reference,
            "receipt_no": receipt,
            "created_at": day.at,
            "created_by_id": day.by.id,
        },
    )
    ctx.audit(
        day.at,
        day.by.id,
        "account.payment",
        "payment",
        payment_id,
        f"{format_pence(pence)} by Bank transfer (bank statement line 1, matched by account "
        f"reference), receipt {receipt}",
        case_id=case.id,
    )
    task_id = add_task(
        ctx,
        "suspense",
        case=case,
        assignee=case.owner_id,
        due=day.due,
        created=day.at,
        priority=2,
        title=f"Overpayment {format_pence(OVERPAID_PENCE)} in suspense: refund or apply "
        f"({case.reference})",
        source=f"bank_statement:{case.id}",
    )
    payer = f"{case.subject.given} {case.subject.family}".upper()
    return _line(
        ctx,
        day,
        1,
        pence,
        case.reference,
        payer,
        "posted",
        matched_by="reference",
        case_id=case.id,
        payment_id=payment_id,
        task_id=task_id,
    )


def _line(
    ctx: Ctx,
    day: _Day,
    number: int,
    pence: int,
    reference: str,
    payer: str,
    status: str,
    *,
    note: str = "",
    matched_by: str = "",
    case_id: int | None = None,
    payment_id: int | None = None,
    task_id: int | None = None,
) -> dict[str, object]:
    return {
        "id": ctx.w.next_id("bank_line"),
        "line_key": line_key(day.paid_on, pence, reference, payer, 0),
        "statement_id": day.statement_id,
        "line_no": number,
        "paid_on": day.paid_on,
        "amount_pence": pence,
        "reference": reference,
        "name": payer,
        "status": status,
        "matched_by": matched_by,
        "case_id": case_id,
        "payment_id": payment_id,
        "task_id": task_id,
        "note": note,
    }
