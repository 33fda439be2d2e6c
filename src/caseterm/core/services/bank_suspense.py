"""Money in suspense, dealt with later from its task in the Suspense queue: a bank credit no
account matched (`bank_line` in suspense) is allocated to an account once traced, posted as the
bank-transfer payment it was (on the statement's date, with its receipt; more than is owed goes to
that account's suspense as at the counter); money an account holds beyond what it owed is applied
to the balance or refunded (`ledger.from_suspense`). Either way the task is done in the same
transaction, so the money and the queue never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import BankLine, CaseFile, Task
from caseterm.core.models.bank import BankLineStatus
from caseterm.core.models.vocab import TaskKind, TaskStatus
from caseterm.core.rules.money import check_pence, format_pence
from caseterm.core.services import audit, ledger, tasks
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import position_of
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.ledger import Posted, Receipt

METHOD = "bank_transfer"
BY_HAND = "by_hand"  # bank_line.matched_by of a line allocated from its task
LINE_FIELDS = ("status", "matched_by", "case_id", "payment_id", "note")
BANK_LINE, OVERPAYMENT = "bank_line", "overpayment"


@dataclass(frozen=True)
class SuspenseItem:
    """What a Suspense task holds: a bank credit to allocate, or an account's overpayment."""

    task_id: int
    kind: str  # BANK_LINE | OVERPAYMENT
    amount_pence: int
    line_id: int | None = None
    paid_on: date | None = None
    payer: str = ""
    reference: str = ""
    note: str = ""
    case_id: int | None = None
    case_reference: str = ""


@dataclass(frozen=True)
class Allocated:
    line_id: int
    case_reference: str
    receipt: Receipt
    task_id: int | None  # the suspense task, now done


def _line_item(line: BankLine, task_id: int) -> SuspenseItem:
    return SuspenseItem(
        task_id=task_id,
        kind=BANK_LINE,
        amount_pence=line.amount_pence,
        line_id=line.id,
        paid_on=line.paid_on,
        payer=line.name,
        reference=line.reference,
        note=line.note,
    )


def suspense_item(session: Session, actor: Actor, *, task_id: int) -> SuspenseItem:
    """What the Suspense task `task_id` is about (refused for any other kind of task)."""
    actor.require("money.take")
    task = get(session, Task, task_id, "task")
    if task.kind != TaskKind.SUSPENSE:
        raise ValidationError("task", f"{task_id} is not money in suspense")
    line = session.exec(select(BankLine).where(BankLine.task_id == task_id)).first()
    if line is not None and line.case_id is None:
        return _line_item(line, task_id)
    if task.case_id is None:
        raise ValidationError("task", f"{task_id} names no bank line and no account")
    case = get(session, CaseFile, task.case_id, "case")
    ensure_can_see(session, actor, case, "account")
    held = position_of(session, case)[2].suspense_pence
    return SuspenseItem(
        task_id=task_id,
        kind=OVERPAYMENT,
        amount_pence=held,
        case_id=case.id,
        case_reference=case.reference,
    )


def suspense_lines(session: Session, actor: Actor) -> list[SuspenseItem]:
    """The bank credits still held in suspense, oldest first (to trace and allocate)."""
    actor.require("money.bank")
    rows = session.exec(
        select(BankLine)
        .where(BankLine.status == BankLineStatus.SUSPENSE)
        .order_by(col(BankLine.paid_on), col(BankLine.id))
    ).all()
    return [_line_item(r, r.task_id or 0) for r in rows]


def _finish_task(session: Session, actor: Actor, task_id: int | None, outcome: str) -> None:
    task = session.get(Task, task_id) if task_id is not None else None
    if task is not None and task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        tasks.complete_task(session, actor, task_id=task_id or 0, outcome=outcome, on_behalf=True)


def allocate_line(
    session: Session,
    actor: Actor,
    *,
    line_id: int,
    case_reference: str,
    amount_pence: int | None = None,
) -> Allocated:
    """Allocate a bank credit held in suspense to the account it was traced to: posted as a bank
    transfer on the statement's date (its receipt, allocation by priority, anything more than is
    owed to that account's suspense with a task), the line marked posted and its task done.
    `amount_pence`, when given, must agree with the line (the officer's confirmation)."""
    actor.require("money.bank")
    line = get(session, BankLine, line_id, "bank line")
    if line.status != BankLineStatus.SUSPENSE:
        raise ValidationError("line", f"{line_id} is not in suspense (it is {line.status})")
    if amount_pence is not None and check_pence(amount_pence) != line.amount_pence:
        raise ValidationError(
            "amount",
            f"{format_pence(amount_pence)} does not agree with the bank line's "
            f"{format_pence(line.amount_pence)}",
        )
    ref = case_reference.strip().upper()
    case = session.exec(select(CaseFile).where(CaseFile.reference == ref)).first()
    if case is None or case.id is None:
        raise ValidationError("case", f"no case {case_reference.strip()!r}")
    before = audit.snapshot(line, LINE_FIELDS)
    receipt = ledger.take_payment(
        session,
        actor,
        case_id=case.id,
        amount_pence=line.amount_pence,
        method=METHOD,
        reference=line.reference[:60],
        paid_on=line.paid_on,
    )
    line.status = BankLineStatus.POSTED
    line.matched_by = BY_HAND
    line.case_id = case.id
    line.payment_id = receipt.txn_id
    line.note = f"allocated by {actor.login} from suspense"[:200]
    session.add(line)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(line, LINE_FIELDS))
    audit.record(
        session,
        actor,
        "bank.allocate",
        "bank_line",
        line.id,
        case_id=case.id,
        summary=f"bank credit {format_pence(line.amount_pence)} of {line.paid_on:%d/%m/%Y} "
        f"allocated from suspense to {case.reference}, receipt {receipt.receipt_no}",
        before=old,
        after=new,
    )
    _finish_task(session, actor, line.task_id, f"allocated to {case.reference}")
    return Allocated(line.id or 0, case.reference, receipt, line.task_id)


def settle_overpayment(
    session: Session, actor: Actor, *, task_id: int, refund: bool, reason: str = ""
) -> Posted:
    """Deal with an account's overpayment from its Suspense task: apply what the account holds
    in suspense to its balance, or (`refund`) record it as paid back; the task is done."""
    item = suspense_item(session, actor, task_id=task_id)
    if item.kind != OVERPAYMENT or item.case_id is None:
        raise ValidationError("task", f"{task_id} is a bank credit: allocate it to an account")
    posted = ledger.from_suspense(
        session, actor, case_id=item.case_id, refund=refund, reason=reason
    )
    way = "refunded" if refund else "applied to the balance"
    _finish_task(session, actor, task_id, f"{format_pence(abs(posted.amount_pence))} {way}")
    return posted
