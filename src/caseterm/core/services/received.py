"""Documents received for a case (previous convictions, court, prison and CPS papers, reports,
e-mails): stored whole with the case, their type found from the content (a scanned PDF, an
image, a Word document or an e-mail; never trusted from the file's name), refused above the size
limit, with a SHA-256, who stored them and when. They are listed under Documents beside the
letters and come back out byte for byte."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, Document, DocumentFile
from caseterm.core.rules.catalogue import RECEIVED_KINDS, RECEIVED_MAX_BYTES, RECEIVED_TYPES
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

_EMAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"received:", b"message-id:")


def _media_type(data: bytes) -> str | None:
    """The type of a file from its first bytes (None if not one caseterm accepts)."""
    import filetype

    kind = filetype.guess(data[:8192] if not data.startswith(b"PK") else data)
    if kind is not None and kind.mime in RECEIVED_TYPES:
        return str(kind.mime)
    return "message/rfc822" if _looks_like_email(data) else None


def _looks_like_email(data: bytes) -> bool:
    """An RFC 822 message: header lines first, among them From and at least one other."""
    head = data[:16384].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
    lines = [line for line in head.splitlines() if line and not line[:1].isspace()]
    if not lines or not all(b":" in line.split(b" ", 1)[0] for line in lines):
        return False
    names = {line.split(b":", 1)[0] + b":" for line in lines}
    return b"from:" in names and len(names & set(_EMAIL_HEADERS)) >= 2


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """The file's safe name and its type found from its content; a ValidationError naming the
    rule if it is empty, over the size limit or not a type caseterm accepts."""
    name = clean_line("filename", filename.replace("/", "_").replace("\\", "_"), limit=255)
    if not data:
        raise ValidationError("file", "is empty")
    if len(data) > RECEIVED_MAX_BYTES:
        raise ValidationError(
            "file",
            f"is {len(data):,} bytes; the limit is {RECEIVED_MAX_BYTES:,} "
            f"({RECEIVED_MAX_BYTES // (1024 * 1024)} MB)",
        )
    found = _media_type(data)
    if found is None:
        raise ValidationError(
            "file",
            "is not a PDF, an image (JPEG, PNG, TIFF, GIF), a Word document or an e-mail "
            "(judged by its content, not its name)",
        )
    return name, found


@dataclass(frozen=True)
class ReceivedInfo:
    id: int
    case_id: int
    reference: str
    kind: str
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str
    stored_at: datetime
    stored_by: str


def _info(session: Session, doc: Document, case: CaseFile, f: DocumentFile) -> ReceivedInfo:
    return ReceivedInfo(
        id=doc.id or 0,
        case_id=case.id or 0,
        reference=case.reference,
        kind=doc.status,
        title=doc.title,
        filename=f.filename,
        media_type=f.media_type,
        size=f.size,
        sha256=f.sha256,
        stored_at=f.stored_at,
        stored_by=staff_name(session, f.stored_by_id),
    )


def add_received(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    filename: str,
    data: bytes,
    kind: str,
    title: str = "",
) -> ReceivedInfo:
    """Attach a received file to a case (see the module docstring for what is refused)."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    what = (kind or "").strip().lower()
    if what not in RECEIVED_KINDS:
        raise ValidationError("kind", f"unknown {what!r}; use one of {', '.join(RECEIVED_KINDS)}")
    name, found = check_file(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    doc = Document(
        case_id=case_id,
        kind="received",
        title=clean_line("title", title or name, limit=200),
        status=what,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    session.add(doc)
    session.flush()
    stored = DocumentFile(
        document_id=doc.id or 0,
        filename=name,
        media_type=found,
        size=len(data),
        sha256=digest,
        content=data,
        stored_at=clock.now(),
        stored_by_id=actor.id,
    )
    session.add(stored)
    session.flush()
    audit.record(
        session,
        actor,
        "document.receive",
        "document",
        doc.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: received {RECEIVED_KINDS[what]} {name} "
        f"({RECEIVED_TYPES[found]}, {len(data):,} bytes)",
        after={"kind": what, "filename": name, "media_type": found, "size": len(data),
               "sha256": digest},
    )  # fmt: skip
    return _info(session, doc, case, stored)


@dataclass(frozen=True)
class ReceivedFile:
    info: ReceivedInfo
    data: bytes


def get_received(session: Session, actor: Actor, *, document_id: int) -> ReceivedFile:
    """A received document's file, byte for byte as it was stored."""
    actor.require("case.read")
    doc = get(session, Document, document_id, "document")
    case = require_visible(session, actor, doc.case_id, "documents")
    stored = session.exec(select(DocumentFile).where(DocumentFile.document_id == doc.id)).first()
    if stored is None:
        raise NotFoundError("received file of document", document_id)
    return ReceivedFile(_info(session, doc, case, stored), bytes(stored.content))
