"""The contact log: append-only; a correction is a new entry that supersedes the original."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class ContactEntry(SQLModel, table=True):
    __tablename__ = "contact_entry"
    __table_args__ = (
        Index("ix_contact_entry_case_occurred", "case_id", "occurred_at", "id"),
        Index("ix_contact_entry_staff_logged", "staff_id", "logged_at"),
        Index(
            "ix_contact_entry_case_occurred_type",
            "case_id",
            "occurred_at",
            "contact_type",
            "supersedes_id",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    occurred_at: NaiveDatetime
    logged_at: NaiveDatetime = created_field()
    staff_id: int = Field(foreign_key="staff.id")
    contact_type: str = Field(max_length=30)
    outcome: str = Field(default="", max_length=30)
    notes: str = Field(default="", max_length=20000)
    sensitive: bool = Field(default=False)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    supersedes_id: int | None = Field(default=None, foreign_key="contact_entry.id", index=True)
    correction_reason: str = Field(default="", max_length=300)  # why it supersedes the original
