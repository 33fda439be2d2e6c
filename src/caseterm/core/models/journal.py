"""The audit journal, the access log, the database's own description, drafts, edit presence
and notifications."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class AuditEvent(SQLModel, table=True):
    """Who did what, when, with the values before and after (JSON). Never updated."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_staff_at", "staff_id", "at"),
        Index("ix_audit_event_case", "case_id", "at"),
        Index("ix_audit_event_person", "person_id", "at"),
        Index("ix_audit_event_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = created_field()
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    os_user: str = Field(default="", max_length=64)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=30)
    entity_id: int | None = None
    case_id: int | None = None
    person_id: int | None = None
    summary: str = Field(default="", max_length=500)
    before: str = Field(default="", max_length=50000)
    after: str = Field(default="", max_length=50000)


class AccessLog(SQLModel, table=True):
    """Every view of a restricted case, and every refused attempt."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_case_at", "case_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = created_field()
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    os_user: str = Field(default="", max_length=64)  # the real Unix login behind the staff id
    case_id: int = Field(foreign_key="case_file.id")
    action: str = Field(max_length=20)  # viewed | refused
    where: str = Field(default="", max_length=40)  # search, queue, diary, reception, case…
    reason: str = Field(default="", max_length=300)  # why, when one was given (an export)


class DatabaseInfo(SQLModel, table=True):
    """What the database is, in one row (id 1) written when it is made a demo: `CASETERM_USER`
    is honoured on a demo database only. No row means an ordinary (real) database."""

    __tablename__ = "database_info"
    id: int | None = Field(default=None, primary_key=True)
    demo: bool = Field(default=False)
    marked_at: NaiveDatetime = created_field()
    marked_by: str = Field(default="", max_length=64)  # the Unix login that built the demo


class Draft(SQLModel, table=True):
    """Typed work saved while a form is open, to be offered back after a crash or SSH drop."""

    __table_args__ = (UniqueConstraint("staff_id", "kind", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    kind: str = Field(max_length=30)  # contact_entry | appointment | …
    key: str = Field(max_length=60)  # e.g. the case id the form belongs to
    data: str = Field(default="{}", max_length=100000)
    updated_at: NaiveDatetime = created_field()


class EditPresence(SQLModel, table=True):
    """ "Jane Smith is editing (since 10:32)": refreshed by a heartbeat, expires by itself."""

    __tablename__ = "edit_presence"
    __table_args__ = (UniqueConstraint("staff_id", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    entity: str = Field(max_length=30)
    entity_id: int
    started_at: NaiveDatetime = created_field()
    heartbeat_at: NaiveDatetime = created_field()


class Notification(SQLModel, table=True):
    """An event addressed to one member of staff (e.g. "your visitor has arrived")."""

    __table_args__ = (Index("ix_notification_recipient_id", "recipient_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="staff.id")
    created_at: NaiveDatetime = created_field()
    kind: str = Field(max_length=30)
    text: str = Field(max_length=500)
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    read_at: NaiveDatetime | None = None
