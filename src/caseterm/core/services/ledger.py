"""Posting to a case's account ledger: a payment (with its receipt), a reversal and transfers out
of suspense (write-offs, remissions and adjustments go through the officer's limit:
`money_decisions`). Every posting is a new row; nothing is changed or
deleted. Each checks the account after replaying the ledger (`rules/ledger.py`), so what is
refused is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, Text, cast, func, insert, literal, null, union_all, update
from sqlalchemy import case as sql_case
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, CaseType, Imposition, Payment, Person
from caseterm.core.models.money import TxnKind
from caseterm.core.models.vocab import TaskKind
from caseterm.core.rules import ledger
from caseterm.core.rules.money import (
    IMPOSITION_KINDS,
    PAYMENT_METHODS,
    allocation_order,
    check_choice,
    check_pence,
    format_pence,
)
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import STATUS_WORDS, position_of
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_line

SUSPENSE_DUE_DAYS = 2  # working days to deal with money put in suspense


@dataclass(frozen=True)
class Receipt:
    """What a payment's receipt says (shown to read out, or printed)."""

    txn_id: int
    receipt_no: str
    reference: str  # the case reference (the account)
    payer: str
    amount_pence: int
    method: str
    payment_reference: str
    paid_on: date
    taken_by: str
    taken_at: str
    applied_pence: int
    to_suspense_pence: int
    balance_after_pence: int
    suspense_task_id: int | None

    def lines(self) -> list[str]:
        out = [
            f"Receipt {self.receipt_no}",
            f"Account {self.reference} — {self.payer}",
            f"Received {format_pence(self.amount_pence)} by {self.method}"
            + (f" (ref {self.payment_reference})" if self.payment_reference else ""),
            f"On {self.taken_at} by {self.taken_by}",
        ]
        if self.to_suspense_pence:
            out.append(f"Paid to the account: {format_pence(self.applied_pence)}")
            out.append(
                f"Held in suspense: {format_pence(self.to_suspense_pence)} (more than was owed)"
            )
        out.append(f"Balance now {format_pence(self.balance_after_pence)}")
        return out


@dataclass(frozen=True)
class Posted:
    txn_id: int
    kind: str
    amount_pence: int
    balance_after_pence: int


RECEIPT_DIGITS = 7  # the ledger row's id in a receipt number, zero-padded to this many


def receipt_number(txn_id: int, on: date) -> str:
    """The receipt number of a payment: its year and ledger row, unique by construction (made
    in SQL the same way on PostgreSQL: `_insert_payment`)."""
    return f"{_receipt_prefix(on)}{txn_id:0{RECEIPT_DIGITS}d}"


def _receipt_prefix(on: date) -> str:
    return f"R{on:%y}-"


def _open(session: Session, actor: Actor, case_id: int, capability: str) -> CaseFile:
    actor.require(capability)
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    return case


def _add(session: Session, actor: Actor, row: Payment) -> Payment:
    row.created_by_id = actor.id
    row.created_at = clock.now()
    session.add(row)
    session.flush()
    return row


def _balance(session: Session, case: CaseFile) -> ledger.Position:
    return position_of(session, case)[2]


def take_payment(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    amount_pence: int,
    method: str,
    reference: str = "",
    paid_on: date | None = None,
) -> Receipt:
    """Take a payment for a case's account; it is allocated by priority and anything more than
    is owed is held in suspense, with a task to refund or apply it. Refused on an account that
    is closed or written off. `paid_on`: when the money was paid, if not today (a bank credit
    allocated later). A few round trips on a server database: the case with its type and
    payer, the ledger, the payment with its receipt number, the audit event."""
    actor.require("money.take")
    case, order, payer = _payment_case(session, case_id)
    ensure_can_see(session, actor, case, "account")
    check_pence(amount_pence)
    method = check_choice(method, PAYMENT_METHODS, "method")
    reference = clean_line("reference", reference, required=False, limit=60)
    owed = _owed_if_live(session, case, order, "take a payment")
    today = clock.today()
    paid = paid_on or today
    if paid > today:
        raise ValidationError("paid on", f"{paid:%d/%m/%Y} is in the future")
    row: dict[str, Any] = {
        "case_id": case_id,
        "kind": TxnKind.PAYMENT,
        "amount_pence": amount_pence,
        "paid_on": paid,
        "method": method,
        "reference": reference,
        "reverses_id": None,
        "imposition_id": None,
        "reason": "",
        "created_at": clock.now(),
        "created_by_id": actor.id,
    }
    row["id"], row["receipt_no"] = _insert_payment(session, row, today)
    applied, extra = ledger.split_payment(owed, amount_pence)
    task_id = None
    if extra:
        task = insert_task(
            session,
            actor,
            kind=TaskKind.SUSPENSE,
            title=f"Overpayment {format_pence(extra)} in suspense: refund or apply "
            f"({case.reference})",
            case_id=case_id,
            assignee_id=active_owner(session, case),
            team_id=case.team_id,
            due_date=_due(today),
            priority=2,
            source=f"payment:{row['id']}",
        )
        task_id = task.id
    audit.record(
        session,
        actor,
        "account.payment",
        "payment",
        row["id"],
        case_id=case_id,
        summary=f"{format_pence(amount_pence)} by {PAYMENT_METHODS[method]}, receipt "
        f"{row['receipt_no']}" + (f"; {format_pence(extra)} to suspense" if extra else ""),
        after={f: row[f] for f in PAYMENT_FIELDS},
    )
    return Receipt(
        txn_id=row["id"],
        receipt_no=row["receipt_no"],
        reference=case.reference,
        payer=payer,
        amount_pence=amount_pence,
        method=PAYMENT_METHODS[method],
        payment_reference=reference,
        paid_on=paid,
        taken_by=actor.name,
        taken_at=f"{row['created_at']:%d/%m/%Y %H:%M}",
        applied_pence=applied,
        to_suspense_pence=extra,
        balance_after_pence=owed - applied,
        suspense_task_id=task_id,
    )


PAYMENT_FIELDS = tuple(Payment.model_fields)  # a ledger row's audit snapshot, in column order


def _payment_case(session: Session, case_id: int) -> tuple[CaseFile, Sequence[str], str]:
    """The case, its type's allocation order and its subject's name, in one query."""
    found = session.exec(
        select(CaseFile, CaseType.allocation_order, Person.given_name, Person.family_name)
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .where(col(CaseFile.id) == case_id)
    ).first()
    if found is None:
        raise NotFoundError("case", case_id)
    case, order, given, family = found
    return case, allocation_order(order), f"{given or ''} {family or ''}".strip()


def _owed_if_live(session: Session, case: CaseFile, order: Sequence[str], doing: str) -> int:
    """What the account owes, replayed from its impositions and ledger (read in one query);
    refused when the case has no account or its account takes no payments."""
    charges = select_columns(
        literal("charge"),
        col(Imposition.id),
        col(Imposition.kind),
        col(Imposition.amount_pence),
        cast(null(), Integer),
        cast(null(), Integer),
    ).where(col(Imposition.case_id) == case.id)
    txns = select_columns(
        literal("txn"),
        col(Payment.id),
        col(Payment.kind),
        col(Payment.amount_pence),
        col(Payment.reverses_id),
        col(Payment.imposition_id),
    ).where(col(Payment.case_id) == case.id)
    rows = session.execute(union_all(charges, txns)).all()
    imposed = [ledger.Charge(r[1], r[2], r[3]) for r in rows if r[0] == "charge"]
    if not imposed:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    position = ledger.replay(
        imposed, [ledger.Txn(r[1], r[2], r[3], r[4], r[5]) for r in rows if r[0] == "txn"], order
    )
    status = ledger.account_status(case.status, position)
    if status not in ledger.TAKES_PAYMENTS:
        raise ValidationError(
            "account", f"{case.reference} is {STATUS_WORDS[status]}: cannot {doing}"
        )
    return position.balance_pence


def _insert_payment(session: Session, row: dict[str, Any], today: date) -> tuple[int, str]:
    """Insert a ledger row with its receipt number (`receipt_number`: its year and id): on
    PostgreSQL in one statement (the id drawn from the sequence in the INSERT, the number
    made beside it); elsewhere the INSERT, then the number by the new id."""
    table = Payment.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        new = select_columns(
            func.nextval(func.pg_get_serial_sequence("payment", "id")).label("id")
        ).subquery("new")
        digits = cast(new.c.id, Text)
        number = literal(_receipt_prefix(today)) + sql_case(
            (func.length(digits) >= RECEIPT_DIGITS, digits),
            else_=func.lpad(digits, RECEIPT_DIGITS, "0"),
        )
        names = list(row)
        values = [literal(row[n], table.c[n].type) for n in names]
        txn_id, receipt = session.execute(
            insert(table)
            .from_select(["id", *names, "receipt_no"], select_columns(new.c.id, *values, number))
            .returning(table.c.id, table.c.receipt_no)
        ).one()
        return int(txn_id), str(receipt)
    txn_id = int(session.execute(insert(table).values(**row).returning(table.c.id)).scalar_one())
    receipt = receipt_number(txn_id, today)
    session.execute(update(table).where(table.c.id == txn_id).values(receipt_no=receipt))
    return txn_id, receipt


def _due(today: date) -> date:
    return add_working_days(today, SUSPENSE_DUE_DAYS)


def _payer(session: Session, case: CaseFile) -> str:
    person = session.get(Person, case.subject_id)
    return person.full_name if person else ""


def reverse_transaction(session: Session, actor: Actor, *, txn_id: int, reason: str) -> Posted:
    """Undo one ledger row (a dishonoured cheque, a chargeback, a mistake) with a new row that
    names it. A row is reversed once; a reversal is never reversed."""
    original = get(session, Payment, txn_id, "transaction")
    case = _open(session, actor, original.case_id, "money.correct")
    reason = clean_line("reason", reason, limit=300)
    position = _balance(session, case)
    ledger.check_reversible(
        ledger.Txn(txn_id, original.kind, original.amount_pence, original.reverses_id),
        position,
    )
    row = _add(
        session,
        actor,
        Payment(
            case_id=original.case_id,
            kind=TxnKind.REVERSAL,
            amount_pence=-original.amount_pence,
            paid_on=clock.today(),
            # A payment's reversal keeps its method: it is money going back (models.is_cash).
            method=original.method if original.kind == TxnKind.PAYMENT else "",
            reverses_id=txn_id,
            reason=reason,
        ),
    )
    after = _balance(session, case)
    audit.record(
        session,
        actor,
        "account.reverse",
        "payment",
        row.id,
        case_id=case.id,
        summary=f"reversed transaction {txn_id} ({format_pence(original.amount_pence)}): {reason}",
        after=audit.snapshot(row),
    )
    return Posted(row.id or 0, row.kind, row.amount_pence, after.balance_pence)


def from_suspense(
    session: Session, actor: Actor, *, case_id: int, refund: bool = False, reason: str = ""
) -> Posted:
    """Move what the account holds in suspense: apply it to the balance, or (`refund`) record
    it as paid back to the payer."""
    case = _open(session, actor, case_id, "money.correct")
    position = _balance(session, case)
    held = position.suspense_pence
    if held <= 0:
        raise ValidationError("account", f"{case.reference} holds nothing in suspense")
    if refund:
        kind, amount = TxnKind.REFUND, -held
    else:
        if position.balance_pence <= 0:
            raise ValidationError("account", f"{case.reference} owes nothing to apply it to")
        kind, amount = TxnKind.FROM_SUSPENSE, min(held, position.balance_pence)
    row = _add(
        session,
        actor,
        Payment(
            case_id=case_id,
            kind=kind,
            amount_pence=amount,
            paid_on=clock.today(),
            reason=clean_line("reason", reason, required=False, limit=300),
        ),
    )
    after = _balance(session, case)
    audit.record(
        session,
        actor,
        "account.suspense",
        "payment",
        row.id,
        case_id=case_id,
        summary=("refunded " if refund else "applied ") + f"{format_pence(abs(amount))} "
        "held in suspense",
        after=audit.snapshot(row),
    )
    return Posted(row.id or 0, row.kind, amount, after.balance_pence)


def add_imposition(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    amount_pence: int,
    imposed_on: date | None = None,
    court: str = "",
    creditor: str = "",
) -> int:
    """Add an imposition (a fine, costs, compensation, victim surcharge…) to a case's account,
    as resulted by the court. Returns its id."""
    case = _open(session, actor, case_id, "money.terms")
    kind = check_choice(kind, IMPOSITION_KINDS, "kind")
    check_pence(amount_pence)
    row = Imposition(
        case_id=case_id,
        kind=kind,
        amount_pence=amount_pence,
        imposed_on=imposed_on or clock.today(),
        court=clean_line("court", court, required=False, limit=120),
        creditor=clean_line("creditor", creditor, required=False, limit=120),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "account.impose",
        "imposition",
        row.id,
        case_id=case.id,
        summary=f"{IMPOSITION_KINDS[kind]} {format_pence(amount_pence)} imposed",
        after=audit.snapshot(row),
    )
    return row.id or 0


def receipt_for(session: Session, actor: Actor, *, txn_id: int) -> Receipt:
    """The receipt of an earlier payment (to read out again or print): the balance after it is
    the ledger replayed up to it."""
    row = get(session, Payment, txn_id, "transaction")
    case = _open(session, actor, row.case_id, "case.read")
    if row.kind != TxnKind.PAYMENT or row.receipt_no is None:
        raise ValidationError("transaction", f"{txn_id} is not a payment with a receipt")
    upto = position_of(session, case, upto=txn_id)[2]
    effect = upto.effects[txn_id]
    return Receipt(
        txn_id=txn_id,
        receipt_no=row.receipt_no,
        reference=case.reference,
        payer=_payer(session, case),
        amount_pence=row.amount_pence,
        method=PAYMENT_METHODS.get(row.method, row.method),
        payment_reference=row.reference,
        paid_on=row.paid_on,
        taken_by=staff_name(session, row.created_by_id) if row.created_by_id else "",
        taken_at=f"{row.created_at:%d/%m/%Y %H:%M}",
        applied_pence=row.amount_pence - effect.suspense_pence,
        to_suspense_pence=effect.suspense_pence,
        balance_after_pence=upto.balance_pence,
        suspense_task_id=None,
    )
