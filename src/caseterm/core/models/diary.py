"""The diary: appointments for a case or person with staff, room and office."""

from __future__ import annotations

from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, version_column, versioned
from caseterm.core.models.vocab import AppointmentStatus

APPOINTMENT_STATUSES = tuple(AppointmentStatus)

_appointment_version = version_column()


class Appointment(Edited, table=True):
    __table_args__ = (
        Index("ix_appointment_staff_start", "staff_id", "starts_at"),
        Index("ix_appointment_room_start", "room_id", "starts_at"),
        Index("ix_appointment_office_start", "office_id", "starts_at"),
        Index("ix_appointment_person_start", "person_id", "starts_at"),
        Index("ix_appointment_case_start", "case_id", "starts_at"),
        Index("ix_appointment_office_start_status", "office_id", "starts_at", "status"),
        Index("ix_appointment_staff_window", "staff_id", "starts_at", "ends_at", "status", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    staff_id: int = Field(foreign_key="staff.id")
    room_id: int | None = Field(default=None, foreign_key="room.id")
    office_id: int | None = Field(default=None, foreign_key="office.id")
    starts_at: NaiveDatetime
    ends_at: NaiveDatetime
    kind: str = Field(max_length=30)
    status: str = Field(default=AppointmentStatus.BOOKED, max_length=20)
    location: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    series_id: int | None = Field(default=None, index=True)  # shared by a recurring series
    recurrence: str = Field(default="", max_length=40)  # "", daily, weekly, fortnightly, monthly
    rescheduled_to_id: int | None = Field(default=None, foreign_key="appointment.id")
    arrived_at: NaiveDatetime | None = None
    outcome_contact_id: int | None = None  # the contact entry that recorded the outcome
    version: int = Field(default=1, sa_column=_appointment_version)
    __mapper_args__: ClassVar = versioned(_appointment_version)


class AppointmentAttendee(SQLModel, table=True):
    """Who else comes to a booking: a member of staff (`staff_id`) or someone outside caseterm
    by name (`guest_name`, with no staff id)."""

    __tablename__ = "appointment_attendee"
    __table_args__ = (
        Index("ix_appointment_attendee_staff", "staff_id", "appointment_id"),
        UniqueConstraint("appointment_id", "staff_id", "guest_name"),
    )
    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    guest_name: str = Field(default="", max_length=120)


_booking_document_version = version_column()


class BookingDocument(Edited, table=True):
    """A booking's agenda or its minutes (`kind`), one of each: the text written in caseterm
    (`body`) and/or a file imported (judged by its content like a received document's, kept
    whole with its size and SHA-256)."""

    __tablename__ = "booking_document"
    __table_args__ = (UniqueConstraint("appointment_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id")
    kind: str = Field(max_length=10)  # agenda | minutes
    body: str = Field(default="", max_length=50000)
    filename: str = Field(default="", max_length=255)
    media_type: str = Field(default="", max_length=100)
    size: int = Field(default=0)
    sha256: str = Field(default="", max_length=64)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1, sa_column=_booking_document_version)
    __mapper_args__: ClassVar = versioned(_booking_document_version)
