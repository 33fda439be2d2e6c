"""Money on a case (fines): impositions, the account's ledger and payment terms. Amounts in
whole pence.

The `payment` table is the account's append-only ledger: every row is a transaction (`kind`):
a payment, its reversal, a write-off, an adjustment, a transfer to or from suspense, a refund.
Rows are never changed; a correction is a new row (a reversal names the row it reverses, and a
row can be reversed once). What each imposition has been paid, and the balance, are derived
from the ledger (`rules/ledger.py`), never stored.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import ColumnElement, Index, UniqueConstraint, and_, or_, text
from sqlmodel import Field, SQLModel, col

from caseterm.core.models.base import created_field, version_column, versioned
from caseterm.core.models.vocab import Key


class TxnKind(Key):
    PAYMENT = "payment"  # money received, allocated across the impositions by priority
    REVERSAL = "reversal"  # undoes one earlier row (dishonoured cheque, chargeback, mistake)
    WRITE_OFF = "write_off"  # the outstanding balance (or part of it) written off, with a code
    ADJUSTMENT = "adjustment"  # a manual correction: + reduces what is owed, − increases it
    TO_SUSPENSE = "to_suspense"  # money received that is not owed (an overpayment): held
    FROM_SUSPENSE = "from_suspense"  # held money applied to the account
    REFUND = "refund"  # held money paid back (amount negative: it leaves the office)


class TermsKind(Key):
    BY_DATE = "by_date"
    INSTALMENTS = "instalments"


class Imposition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(max_length=30)  # fine | costs | compensation | victim_surcharge | …
    amount_pence: int
    imposed_on: date
    court: str = Field(default="", max_length=120)
    creditor: str = Field(default="", max_length=120)  # who is paid: the court, the victim…
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class Payment(SQLModel, table=True):
    """One transaction of an account's ledger (see the module docstring)."""

    # Covering for the board's money taken (`is_cash` reads kind and method), migration 0026:
    # SQLite looks up each of the scope's cases (the first, which serves the case's ledger too);
    # PostgreSQL reads the days' range (the second) and hash-joins it to the scope's cases.
    __table_args__ = (
        Index(
            "ix_payment_case_paid_on_cash", "case_id", "paid_on", "amount_pence", "kind", "method"
        ),
        Index("ix_payment_paid_on_cash", "paid_on", "case_id", "amount_pence", "kind", "method"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    kind: str = Field(default=TxnKind.PAYMENT, max_length=20)
    amount_pence: int  # cash kinds: money in (+) or out (−); others: value (+ reduces the debt)
    paid_on: date
    method: str = Field(default="", max_length=30)
    reference: str = Field(default="", max_length=60)
    receipt_no: str | None = Field(default=None, max_length=20, unique=True)
    reverses_id: int | None = Field(default=None, foreign_key="payment.id", unique=True)
    imposition_id: int | None = Field(default=None, foreign_key="imposition.id")
    reason: str = Field(default="", max_length=300)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


_terms_version = version_column()


ACTIVE_TERMS_INDEX = "uq_payment_terms_active_case"


class PaymentTerms(SQLModel, table=True):
    """Payment terms with their history: each change is a new row; one row per case is active."""

    __tablename__ = "payment_terms"
    # One active row per case: a partial unique index. Its WHERE for PostgreSQL is added by
    # `postgresql_options` when a PostgreSQL engine is made: naming `postgresql_where` here
    # would load SQLAlchemy's PostgreSQL dialect (~30 ms of CPU) in every SQLite process.
    __table_args__ = (
        Index(ACTIVE_TERMS_INDEX, "case_id", unique=True, sqlite_where=text("active")),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(default=TermsKind.INSTALMENTS, max_length=20)
    instalment_pence: int
    frequency: str = Field(default="monthly", max_length=20)
    first_due: date
    pay_by: date | None = None
    lump_sum_pence: int = Field(default=0)
    active: bool = Field(default=True)
    reason: str = Field(default="", max_length=300)
    created_at: NaiveDatetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1, sa_column=_terms_version)
    __mapper_args__: ClassVar = versioned(_terms_version)


def is_cash() -> ColumnElement[bool]:
    """Ledger rows that are money in or out of the office (payments, refunds, and reversals of
    payments, which keep the payment's method): what the board and the reports count as money
    taken. Write-offs, adjustments and suspense transfers move no money."""
    kind, method = col(Payment.kind), col(Payment.method)
    return or_(
        kind.in_((TxnKind.PAYMENT, TxnKind.REFUND)),
        and_(kind == TxnKind.REVERSAL, method != ""),
    )


class EnforcementStep(SQLModel, table=True):
    """A step of an account's enforcement path, proposed by the money run as a task in the
    Enforcement queue; the officer confirms it by completing the task. (case, number) is unique,
    so two runs at once never propose the same step twice."""

    __tablename__ = "enforcement_step"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    number: int
    action: str = Field(max_length=40)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    proposed_on: date
    created_at: NaiveDatetime = created_field()
    # The officer's decision (issue 14): proposed, confirmed or rejected, when, by whom and why;
    # the letter drafted when it was confirmed. Completing the step's task also confirms it.
    status: str = Field(default="proposed", max_length=12)
    decided_on: date | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    reason: str = Field(default="", max_length=300)
    document_id: int | None = Field(default=None, foreign_key="document.id")


def postgresql_options() -> None:
    """Give the tables their PostgreSQL-only options (the partial index's WHERE, see
    PaymentTerms); called when a PostgreSQL engine is made, once the dialect is loaded anyway."""
    for index in PaymentTerms.__table__.indexes:  # type: ignore[attr-defined]
        if index.name == ACTIVE_TERMS_INDEX:
            index.dialect_kwargs["postgresql_where"] = text("active")
