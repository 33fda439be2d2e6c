"""Bank statements and banking: how a bank's CSV file is read (a named column mapping), each
statement line imported (unique by its line key, so a line is posted once however often the
file is imported), and what was banked per day and method against the cash-up.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field
from caseterm.core.models.vocab import Key


class BankLineStatus(Key):
    POSTED = "posted"  # matched to an account and posted as a payment
    SUSPENSE = "suspense"  # not matched: held in suspense with a task in the Suspense queue


class BankProfile(SQLModel, table=True):
    """A bank's CSV layout, saved once by name and reused: which column holds what."""

    __tablename__ = "bank_profile"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)
    date_column: str = Field(max_length=80)
    amount_column: str = Field(max_length=80)
    reference_column: str = Field(max_length=80)
    name_column: str = Field(default="", max_length=80)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class BankStatement(SQLModel, table=True):
    """One import of a bank file: what it held and what became of it."""

    __tablename__ = "bank_statement"
    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=255)
    profile: str = Field(default="", max_length=60)
    lines: int = 0
    posted: int = 0
    suspense: int = 0
    already: int = 0  # lines imported before (same line key): skipped
    imported_at: NaiveDatetime = created_field()
    imported_by_id: int | None = Field(default=None, foreign_key="staff.id")


class BankLine(SQLModel, table=True):
    """One statement line. `line_key` (a hash of the date, amount, reference, name and how many
    identical lines came before it in the file) is unique: the same line is never posted twice."""

    __tablename__ = "bank_line"
    id: int | None = Field(default=None, primary_key=True)
    line_key: str = Field(max_length=64, unique=True)
    statement_id: int = Field(foreign_key="bank_statement.id", index=True)
    line_no: int
    paid_on: date
    amount_pence: int
    reference: str = Field(default="", max_length=140)
    name: str = Field(default="", max_length=140)
    status: str = Field(max_length=20)
    matched_by: str = Field(default="", max_length=20)  # reference | name_amount | ""
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    note: str = Field(default="", max_length=200)  # why it was not matched


class Banking(SQLModel, table=True):
    """What was banked on a day for one payment method, entered against the cash-up."""

    __tablename__ = "banking"
    __table_args__ = (UniqueConstraint("day", "method"),)
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    method: str = Field(max_length=30)
    banked_pence: int
    expected_pence: int  # the cash-up's total for the day and method when it was entered
    entered_at: NaiveDatetime = created_field()
    entered_by_id: int | None = Field(default=None, foreign_key="staff.id")
