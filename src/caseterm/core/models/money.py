"""Money on a case (fines): impositions, payments and payment terms. Amounts in pence."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field, version_column, versioned


class Imposition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(max_length=30)  # fine | costs | compensation | victim_surcharge
    amount_pence: int
    imposed_on: date
    court: str = Field(default="", max_length=120)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class Payment(SQLModel, table=True):
    __table_args__ = (Index("ix_payment_case_paid_on", "case_id", "paid_on", "amount_pence"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    amount_pence: int
    paid_on: date
    method: str = Field(default="", max_length=30)
    reference: str = Field(default="", max_length=60)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


_terms_version = version_column()


class PaymentTerms(SQLModel, table=True):
    __tablename__ = "payment_terms"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", unique=True)
    instalment_pence: int
    frequency: str = Field(default="monthly", max_length=20)
    first_due: date
    version: int = Field(default=1, sa_column=_terms_version)
    __mapper_args__: ClassVar = versioned(_terms_version)
