"""Files dropped into the watched intake folder, held with their incoming item until triage
attaches them to a case (then the file lives on as that case's received document)."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class IntakeFile(SQLModel, table=True):
    """One file taken from the intake folder: the incoming item (a `post_in` task) it became,
    its type found from its content, size and SHA-256. `document_id` is set when triage attached
    it to a case; its bytes then move to that document's `document_file` (and `content` here is
    emptied)."""

    __tablename__ = "intake_file"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", unique=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64, index=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    received_at: NaiveDatetime = created_field()
    received_by_id: int | None = Field(default=None, foreign_key="staff.id")
    document_id: int | None = Field(default=None, foreign_key="document.id")
    # the office it arrived at (migration 0022): `intake scan --office`, else the scanner's
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
