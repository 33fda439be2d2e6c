"""Case files: types, references, parties, links and restricted access."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, version_column, versioned
from caseterm.core.models.vocab import CaseLinkKind, CaseStatus

CASE_STATUSES = tuple(CaseStatus)


class CaseType(SQLModel, table=True):
    __tablename__ = "case_type"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=120)
    ref_prefix: str = Field(max_length=6)
    retention_years: int = Field(default=7)
    fta_limit: int = Field(default=2)  # unacceptable failures that raise enforcement
    fta_window_months: int = Field(default=12)
    # The order a payment is allocated across a fines account's impositions (kinds, by comma).
    allocation_order: str = Field(
        default="compensation,victim_surcharge,costs,fine", max_length=200
    )
    active: bool = Field(default=True)
    # Working days a receiving office has to acknowledge a transfer before the sender is
    # reminded (issue 12; the rules' default is case_lifecycle.DEFAULT_TRANSFER_ACK_DAYS).
    transfer_ack_days: int = Field(default=5)


class ReferenceCounter(SQLModel, table=True):
    """Next number per prefix and year, for generated case references like OM/2026/000123."""

    __tablename__ = "reference_counter"
    prefix: str = Field(primary_key=True, max_length=6)
    year: int = Field(primary_key=True)
    next_number: int = Field(default=1)


_case_version = version_column()


class CaseFile(Edited, table=True):
    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_file_owner_status", "owner_id", "status"),
        Index("ix_case_file_subject", "subject_id"),
        # The scope's cases for the board and reports: `id` included so that PostgreSQL reads
        # them index-only (SQLite's indexes hold the rowid anyway); migration 0026.
        Index("ix_case_file_team_cases", "team_id", "status", "id"),
        Index("ix_case_file_office_cases", "office_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, max_length=30)
    case_type_id: int = Field(foreign_key="case_type.id", index=True)
    subject_id: int = Field(foreign_key="person.id")
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    admin_owner_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    office_id: int | None = Field(default=None, foreign_key="office.id")
    status: str = Field(default=CaseStatus.OPEN, max_length=20)
    status_reason: str = Field(default="", max_length=300)
    priority: int = Field(default=3)  # 1 urgent … 4 low
    summary: str = Field(default="", max_length=2000)
    opened_on: date | None = None
    closed_on: date | None = None
    restricted: bool = Field(default=False)
    version: int = Field(default=1, sa_column=_case_version)
    __mapper_args__: ClassVar = versioned(_case_version)


class CaseParty(SQLModel, table=True):
    """Another person on a case: victim, parent, solicitor, nearest relative…"""

    __tablename__ = "case_party"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=40)
    notes: str = Field(default="", max_length=500)


class CaseLink(SQLModel, table=True):
    __tablename__ = "case_link"
    __table_args__ = (UniqueConstraint("case_id", "linked_case_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    linked_case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(default=CaseLinkKind.RELATED, max_length=30)


class CaseAccess(SQLModel, table=True):
    """Restricted access list: `allow` names who may see a restricted case; `deny` excludes."""

    __tablename__ = "case_access"
    __table_args__ = (UniqueConstraint("case_id", "staff_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    mode: str = Field(default="allow", max_length=10)
    added_at: NaiveDatetime | None = None
