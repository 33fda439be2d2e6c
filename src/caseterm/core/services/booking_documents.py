"""A booking's agenda and minutes, kept as documents on the booking: the text written in caseterm
and/or a file imported (a text file becomes the text; a PDF, an image, a Word document or an
e-mail is kept whole, judged by its content with the same rules and size limit as a document
received for a case: `received.check_file`). One agenda and one set of minutes per booking;
writing again replaces it (the journal keeps who changed it, when, and the text's fingerprint
before and after).

A booking about a restricted case is refused (and the refusal logged) to anyone who may not see
the case. Minutes written before the meeting has ended are saved with a warning, not refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import Appointment, BookingDocument, CaseFile
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.rules.catalogue import (
    BOOKING_DOCUMENT_KINDS,
    BOOKING_TEXT_MAX,
    RECEIVED_TYPES,
    appointment_kind_label,
)
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import check_version, get, staff_name, touch
from caseterm.core.services.diary_views import DiaryRow, booking_row
from caseterm.core.services.identity import Actor
from caseterm.core.services.received import check_file
from caseterm.core.text import clean_line, clean_notes

PaperKind = Literal["agenda", "minutes"]
KINDS: tuple[PaperKind, ...] = ("agenda", "minutes")
_CLOSED = (AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED)


@dataclass(frozen=True)
class BookingPaper:
    """A booking's agenda or minutes as shown: its text, and the file imported (if any)."""

    kind: str
    label: str
    body: str
    filename: str
    media_type: str
    size: int
    sha256: str
    written_at: datetime
    written_by: str
    version: int

    @property
    def has_file(self) -> bool:
        return bool(self.filename)

    @property
    def file_line(self) -> str:
        """The file imported, as one line ("agenda.pdf (PDF, 12,345 bytes)"), or ""."""
        if not self.filename:
            return ""
        kind = RECEIVED_TYPES.get(self.media_type, self.media_type)
        return f"{self.filename} ({kind}, {self.size:,} bytes)"


@dataclass(frozen=True)
class BookingPapers:
    """A booking with its agenda and minutes (None where not written yet)."""

    booking: DiaryRow
    agenda: BookingPaper | None
    minutes: BookingPaper | None


@dataclass(frozen=True)
class PaperSaved:
    """What writing or importing did: the paper now, and a warning ("" if none)."""

    appointment_id: int
    paper: BookingPaper
    warning: str = ""


@dataclass(frozen=True)
class PaperFile:
    paper: BookingPaper
    data: bytes


def _kind(kind: str) -> PaperKind:
    what = (kind or "").strip().lower()
    for k in KINDS:
        if k == what:
            return k
    raise ValidationError("kind", f"unknown {kind!r}; use agenda or minutes")


def _paper(session: Session, row: BookingDocument) -> BookingPaper:
    return BookingPaper(
        kind=row.kind,
        label=BOOKING_DOCUMENT_KINDS.get(row.kind, row.kind),
        body=row.body,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        written_at=row.updated_at,
        written_by=staff_name(session, row.updated_by_id),
        version=row.version,
    )


def _booking(session: Session, actor: Actor, appointment_id: int) -> Appointment:
    """The appointment, refused (and the refusal logged) if its case is one the actor may not
    see."""
    appt = get(session, Appointment, appointment_id, "appointment")
    if appt.case_id is not None:
        ensure_can_see(session, actor, get(session, CaseFile, appt.case_id, "case"), "diary")
    return appt


def _row(session: Session, appointment_id: int, kind: str) -> BookingDocument | None:
    return session.exec(
        select(BookingDocument).where(
            BookingDocument.appointment_id == appointment_id, BookingDocument.kind == kind
        )
    ).first()


def booking_papers(session: Session, actor: Actor, *, appointment_id: int) -> BookingPapers:
    """A booking (as the diary lists it) with its agenda and minutes."""
    actor.require("diary.read")
    appt = _booking(session, actor, appointment_id)
    found = {
        r.kind: _paper(session, r)
        for r in session.exec(
            select(BookingDocument).where(BookingDocument.appointment_id == appt.id)
        ).all()
    }
    return BookingPapers(
        booking_row(session, actor, appointment_id=appointment_id),
        found.get("agenda"),
        found.get("minutes"),
    )


def _fingerprint(row: BookingDocument | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "chars": len(row.body),
        "text_sha256": hashlib.sha256(row.body.encode()).hexdigest() if row.body else "",
        "filename": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
    }


def _when(at: datetime) -> str:
    day = "today" if at.date() == clock.today() else f"{at:%a %d/%m/%Y}"
    return f"{at:%H:%M} {day}"


def _save(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    kind: str,
    expected_version: int | None,
    change: dict[str, Any],
    said: str,
) -> PaperSaved:
    """Write `change` (body and/or file columns) on the booking's agenda or minutes, creating
    it if need be; journal it; warn about minutes before the meeting has ended."""
    actor.require("diary.write")
    what = _kind(kind)
    appt = _booking(session, actor, appointment_id)
    if appt.status in _CLOSED:
        raise ValidationError(
            "appointment",
            f"appointment {appt.id} is {appt.status.replace('_', ' ')}: write on the booking "
            "that replaced it",
        )
    label = BOOKING_DOCUMENT_KINDS[what]
    row = _row(session, appt.id or 0, what)
    if row is not None:
        what_row = f"the {label.lower()} of appointment {appt.id}"
        check_version(session, row, expected_version, what_row)
    elif expected_version:  # it was there when read and is gone: cannot happen (never deleted)
        raise NotFoundError(f"{label.lower()} of appointment", appointment_id)
    before = _fingerprint(row)
    if row is None:
        row = BookingDocument(appointment_id=appt.id or 0, kind=what, created_by_id=actor.id)
    for name, value in change.items():
        setattr(row, name, value)
    if not row.body and not row.filename:
        raise ValidationError("text", f"is empty: write the {label.lower()} or import a file")
    touch(row, actor.id)
    session.add(row)
    session.flush()
    when = f"{appointment_kind_label(appt.kind)} {_when(appt.starts_at)}"
    audit.record(
        session,
        actor,
        f"booking.{what}",
        "appointment",
        appt.id,
        case_id=appt.case_id,
        person_id=appt.person_id,
        summary=f"{label} of appointment {appt.id} ({when}): {said}",
        before=before,
        after=_fingerprint(row),
    )
    warning = ""
    if what == "minutes" and clock.now() < appt.ends_at:
        warning = (
            f"the meeting has not ended yet (it ends {_when(appt.ends_at)}): minutes are "
            "usually written after it"
        )
    return PaperSaved(appt.id or 0, _paper(session, row), warning)


def write_paper(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    kind: str,
    text: str,
    expected_version: int | None = None,
) -> PaperSaved:
    """Write (or rewrite) a booking's agenda or minutes as text. `expected_version` is the
    version read (0: there was none); a change someone made since is refused (StaleEditError).
    Empty text is refused unless a file is kept with it."""
    body = clean_notes("text", text, limit=BOOKING_TEXT_MAX)
    return _save(
        session,
        actor,
        appointment_id=appointment_id,
        kind=kind,
        expected_version=expected_version,
        change={"body": body},
        said=f"written, {len(body):,} characters",
    )


def _as_text(data: bytes) -> str | None:
    """A file's text if it is plain UTF-8 text (no NUL bytes), else None."""
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def import_paper(
    session: Session,
    actor: Actor,
    *,
    appointment_id: int,
    kind: str,
    filename: str,
    data: bytes,
    expected_version: int | None = None,
) -> PaperSaved:
    """Import a file as a booking's agenda or minutes: a plain text file becomes its text; a
    PDF, an image, a Word document or an e-mail is kept whole beside the text (type judged
    from the content, refused above the size limit, as for a document received for a case)."""
    name = clean_line("filename", filename.replace("/", "_").replace("\\", "_"), limit=255)
    text: str | None = None
    try:
        name, found = check_file(name, data)
    except ValidationError:
        text = _as_text(data) if data else None
        if text is None:
            raise
    if text is None:
        change: dict[str, Any] = {
            "filename": name,
            "media_type": found,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "content": data,
        }
        said = f"file {name} imported ({RECEIVED_TYPES[found]}, {len(data):,} bytes)"
    else:
        if not text.strip():
            raise ValidationError("file", f"{name} holds no text")
        if len(text) > BOOKING_TEXT_MAX:
            raise ValidationError(
                "file", f"{name} holds {len(text):,} characters; the limit is {BOOKING_TEXT_MAX:,}"
            )
        body = clean_notes("file", text, limit=BOOKING_TEXT_MAX)
        change = {"body": body}
        said = f"text imported from {name}, {len(body):,} characters"
    return _save(
        session,
        actor,
        appointment_id=appointment_id,
        kind=kind,
        expected_version=expected_version,
        change=change,
        said=said,
    )


def paper_file(session: Session, actor: Actor, *, appointment_id: int, kind: str) -> PaperFile:
    """The file imported as a booking's agenda or minutes, byte for byte."""
    actor.require("diary.read")
    what = _kind(kind)
    appt = _booking(session, actor, appointment_id)
    row = _row(session, appt.id or 0, what)
    if row is None or row.content is None:
        raise NotFoundError(f"file imported as the {what} of appointment", appointment_id)
    return PaperFile(_paper(session, row), bytes(row.content))
