"""Money forms on a case: means assessments (linked to the payment terms they led to), court
results (a hearing's impositions, collection order, terms and next hearing, posted together) and
money decisions held for a checker (a write-off, remission or change of terms beyond the
officer's limit: approved or rejected with a reason by someone else). Amounts in whole pence."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class MeansAssessment(SQLModel, table=True):
    __tablename__ = "means_assessment"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    frequency: str = Field(default="weekly", max_length=20)  # the period every figure is for
    wages_pence: int = 0
    benefits_pence: int = 0
    other_income_pence: int = 0
    housing_pence: int = 0
    council_tax_pence: int = 0
    utilities_pence: int = 0
    food_pence: int = 0
    travel_pence: int = 0
    debts_pence: int = 0
    other_outgoings_pence: int = 0
    dependants: int = 0
    income_pence: int = 0
    outgoings_pence: int = 0
    disposable_pence: int = 0
    proposed_pence: int = 0
    notes: str = Field(default="", max_length=2000)
    terms_id: int | None = Field(default=None, foreign_key="payment_terms.id")
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class CourtResult(SQLModel, table=True):
    __tablename__ = "court_result"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    hearing_on: date
    court: str = Field(default="", max_length=120)
    collection_order: bool = Field(default=True)
    imposition_ids: str = Field(default="", max_length=300)  # "12,13,14"
    terms_id: int | None = Field(default=None, foreign_key="payment_terms.id")
    next_hearing_on: date | None = None
    notes: str = Field(default="", max_length=2000)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class MoneyDecision(SQLModel, table=True):
    __tablename__ = "money_decision"
    __table_args__ = (Index("ix_money_decision_status_case", "status", "case_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    kind: str = Field(max_length=20)  # write_off | remission | adjustment | terms
    status: str = Field(default="pending", max_length=10)  # pending | approved | rejected
    amount_pence: int = 0
    reason_code: str = Field(default="", max_length=30)
    reason: str = Field(default="", max_length=300)
    imposition_id: int | None = Field(default=None, foreign_key="imposition.id")
    terms_kind: str = Field(default="", max_length=20)
    instalment_pence: int = 0
    frequency: str = Field(default="", max_length=20)
    first_due: date | None = None
    lump_sum_pence: int = 0
    means_id: int | None = Field(default=None, foreign_key="means_assessment.id")
    why_held: str = Field(default="", max_length=300)
    maker_id: int = Field(foreign_key="staff.id")
    created_at: NaiveDatetime = created_field()
    checker_id: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: NaiveDatetime | None = None
    decision_reason: str = Field(default="", max_length=500)
    txn_id: int | None = Field(default=None, foreign_key="payment.id")
    terms_id: int | None = Field(default=None, foreign_key="payment_terms.id")
