"""Stock letters: templates and issued documents (draft → checked → issued)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, version_column, versioned
from caseterm.core.models.vocab import DocumentStatus


class LetterTemplate(SQLModel, table=True):
    __tablename__ = "letter_template"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=30)
    name: str = Field(max_length=120)
    body: str = Field(max_length=20000)
    case_type_id: int | None = Field(default=None, foreign_key="case_type.id")


_document_version = version_column()


class Document(Edited, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    template_id: int | None = Field(default=None, foreign_key="letter_template.id")
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=50000)
    status: str = Field(default=DocumentStatus.DRAFT, max_length=20)
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    checked_by_id: int | None = Field(default=None, foreign_key="staff.id")
    issued_at: NaiveDatetime | None = None
    contact_entry_id: int | None = Field(default=None, foreign_key="contact_entry.id")
    version: int = Field(default=1, sa_column=_document_version)
    __mapper_args__: ClassVar = versioned(_document_version)
