"""Stock letters: templates (with every saved version), letters drafted from them (draft →
submitted → checked or rejected → issued) and the outgoing post register."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, created_field, version_column, versioned
from caseterm.core.models.vocab import DocumentStatus


class LetterTemplate(SQLModel, table=True):
    """A stock letter. `case_types` lists the case type codes it is for (comma-separated;
    empty for any); `variant_of` names the English letter a Welsh one translates; `version`
    goes up with each saved edit and every version's text is kept in `letter_template_version`."""

    __tablename__ = "letter_template"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=30)
    name: str = Field(max_length=120)
    body: str = Field(max_length=20000)
    case_type_id: int | None = Field(default=None, foreign_key="case_type.id")
    case_types: str = Field(default="", max_length=200)
    recipient_kind: str = Field(default="subject", max_length=20)
    language: str = Field(default="en", max_length=5)
    variant_of: str = Field(default="", max_length=30)
    version: int = Field(default=1)
    active: bool = Field(default=True)
    updated_at: NaiveDatetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")


class LetterTemplateVersion(SQLModel, table=True):
    """The text of one saved version of a template, so an issued letter's version can be read."""

    __tablename__ = "letter_template_version"
    __table_args__ = (UniqueConstraint("template_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="letter_template.id", index=True)
    version: int
    name: str = Field(max_length=120)
    body: str = Field(max_length=20000)
    saved_at: NaiveDatetime = created_field()
    saved_by_id: int | None = Field(default=None, foreign_key="staff.id")


_document_version = version_column()


class Document(Edited, table=True):
    """A letter drafted on the case (kind `letter`), or a document received and attached to it
    (kind `received`, its file in `document_file`)."""

    # Covering for the board's letters issued and checked; it begins with case_id, so it serves
    # the case's letters too (migration 0026). The two led by a day serve a refresh's letters of
    # yesterday and today (migration 0034).
    __table_args__ = (
        Index("ix_document_case_kind_issued_checked", "case_id", "kind", "issued_at", "checked_at"),
        Index("ix_document_issued_kind_case", "issued_at", "kind", "case_id"),
        Index("ix_document_checked_kind_case", "checked_at", "kind", "case_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    kind: str = Field(default="letter", max_length=20)
    template_id: int | None = Field(default=None, foreign_key="letter_template.id")
    template_version: int | None = None
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=50000)
    status: str = Field(default=DocumentStatus.DRAFT, max_length=20, index=True)
    recipient: str = Field(default="", max_length=500)
    address_id: int | None = Field(default=None, foreign_key="person_contact.id")
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    submitted_at: NaiveDatetime | None = None
    submitted_hash: str = Field(default="", max_length=64)
    checked_by_id: int | None = Field(default=None, foreign_key="staff.id")
    checked_at: NaiveDatetime | None = None
    approved_hash: str = Field(default="", max_length=64)
    reject_reason: str = Field(default="", max_length=500)
    issued_at: NaiveDatetime | None = None
    contact_entry_id: int | None = Field(default=None, foreign_key="contact_entry.id")
    version: int = Field(default=1, sa_column=_document_version)
    __mapper_args__: ClassVar = versioned(_document_version)


class DocumentFile(SQLModel, table=True):
    """A received document's file, stored whole: its type found from its content, its size and
    SHA-256, who stored it and when."""

    __tablename__ = "document_file"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    stored_at: NaiveDatetime = created_field()
    stored_by_id: int | None = Field(default=None, foreign_key="staff.id")


class PostOut(SQLModel, table=True):
    """The outgoing post register: one row per issued letter, how and when it went."""

    __tablename__ = "post_out"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    via: str = Field(max_length=10)  # post | email | hand
    dispatched_on: date = Field(index=True)
    recipient: str = Field(default="", max_length=500)
    recorded_at: NaiveDatetime = created_field()
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
