"""The documents that evidence a casework event: a received document (or a letter) of the case
linked to an event on its timeline (migration 0028)."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class EventDocument(SQLModel, table=True):
    """One document linked to one event of the same case (a document may evidence several
    events, an event have several documents); who linked it and when."""

    __tablename__ = "event_document"
    __table_args__ = (UniqueConstraint("event_id", "document_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="case_event.id")
    document_id: int = Field(foreign_key="document.id", index=True)
    linked_at: NaiveDatetime = created_field()
    linked_by_id: int | None = Field(default=None, foreign_key="staff.id")
