"""The case lifecycle: transfers between offices, closure checklists and where the paper file
is (issue 12)."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field
from caseterm.core.models.vocab import ClosureStatus, StepState, TransferStatus


class CaseTransfer(SQLModel, table=True):
    """A transfer out to another office: the sender's checklist, the receiving office's task,
    and what the receiving office decided (accepted, or returned with a reason)."""

    __tablename__ = "case_transfer"
    __table_args__ = (Index("ix_case_transfer_status_due", "status", "acknowledge_by"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    from_office_id: int | None = Field(default=None, foreign_key="office.id")
    from_team_id: int | None = Field(default=None, foreign_key="team.id")
    to_office_id: int = Field(foreign_key="office.id")
    to_team_id: int | None = Field(default=None, foreign_key="team.id")
    reason: str = Field(max_length=300)
    papers_sent: bool = Field(default=False)
    appointments_moved: bool = Field(default=False)
    tasks_handed_over: bool = Field(default=False)
    status: str = Field(default=TransferStatus.PENDING, max_length=20)
    sent_at: NaiveDatetime = created_field()
    sent_by_id: int | None = Field(default=None, foreign_key="staff.id")
    acknowledge_by: date
    task_id: int | None = Field(default=None, foreign_key="task.id")
    reminder_task_id: int | None = Field(default=None, foreign_key="task.id")
    decided_at: NaiveDatetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    return_reason: str = Field(default="", max_length=300)


class CaseClosure(SQLModel, table=True):
    """Closing a case for a reason: in progress while its steps are ticked or waived."""

    __tablename__ = "case_closure"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    reason: str = Field(max_length=40)
    reason_label: str = Field(max_length=120)
    status: str = Field(default=ClosureStatus.IN_PROGRESS, max_length=20)
    started_at: NaiveDatetime = created_field()
    started_by_id: int | None = Field(default=None, foreign_key="staff.id")
    closed_at: NaiveDatetime | None = None
    closed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str = Field(default="", max_length=500)


class ClosureStep(SQLModel, table=True):
    """One step of a closure checklist: ticked (who, when) or waived with a reason."""

    __tablename__ = "closure_step"
    id: int | None = Field(default=None, primary_key=True)
    closure_id: int = Field(foreign_key="case_closure.id", index=True)
    position: int = Field(default=0)
    code: str = Field(max_length=40)
    label: str = Field(max_length=120)
    mandatory: bool = Field(default=True)
    action: str = Field(default="", max_length=40)
    state: str = Field(default=StepState.PENDING, max_length=20)
    done_at: NaiveDatetime | None = None
    done_by_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str = Field(default="", max_length=300)


class FileLocation(SQLModel, table=True):
    """Where a case's paper file is; the newest row is where it is now, older ones its
    history."""

    __tablename__ = "file_location"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(max_length=20)
    office_id: int | None = Field(default=None, foreign_key="office.id")
    place: str = Field(default="", max_length=120)  # cabinet, shelf
    box: str = Field(default="", max_length=60)
    retrieval_date: date | None = None
    note: str = Field(default="", max_length=300)
    recorded_at: NaiveDatetime = created_field()
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
