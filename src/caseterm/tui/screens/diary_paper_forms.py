"""Writing a booking's agenda or minutes (`a` / `m` on the booking's agenda and minutes), and
importing a file as either (`i`): small forms whose drafts the one draft keeper keeps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import BOOKING_DOCUMENT_KINDS, RECEIVED_MAX_BYTES
from caseterm.core.services import booking_documents
from caseterm.core.services.booking_documents import PaperSaved
from caseterm.core.services.identity import Actor
from caseterm.tui.work_log.form import Field, SmallForm

KIND_CHOICES = tuple((label, kind) for kind, label in BOOKING_DOCUMENT_KINDS.items())


def said(saved: PaperSaved) -> str:
    """What saving it says: what was saved, and the warning if any."""
    text = f"{saved.paper.label} of the booking saved."
    return f"{text} Note: {saved.warning}." if saved.warning else text


class PaperTextForm(SmallForm):
    """The agenda's or the minutes' text, started from what is saved (`version` read: 0 none)."""

    DRAFT_KIND = "booking_paper"
    SAVING = "saving"

    def __init__(self, appointment_id: int, kind: str, about: str, text: str, version: int) -> None:
        self.appointment_id = appointment_id
        self.kind = kind
        self.version = version
        self.TITLE_TEXT = BOOKING_DOCUMENT_KINDS[kind]
        super().__init__(
            key=f"{appointment_id}:{kind}",
            about=about,
            initial={"text": text},
        )

    def fields(self) -> list[Field]:
        label = BOOKING_DOCUMENT_KINDS[self.kind]
        return [
            Field("text", label, "text", placeholder=f"the {label.lower()}, as long as it needs")
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        appointment_id, kind, version, text = (
            self.appointment_id,
            self.kind,
            self.version,
            values["text"],
        )

        def save(session: Session) -> str:
            return said(
                booking_documents.write_paper(
                    session,
                    actor,
                    appointment_id=appointment_id,
                    kind=kind,
                    text=text,
                    expected_version=version,
                )
            )

        return save


def read_file(text: str) -> tuple[str, bytes]:
    """The file named (its name and bytes), or a ValidationError naming the field."""
    path = Path(text.strip()).expanduser()
    if not text.strip():
        raise ValidationError("path", "is required")
    try:
        size = path.stat().st_size
        if size > RECEIVED_MAX_BYTES:
            raise ValidationError("path", f"is {size:,} bytes; the limit is {RECEIVED_MAX_BYTES:,}")
        return path.name, path.read_bytes()
    except OSError as err:
        raise ValidationError("path", f"cannot read {path}: {err.strerror}") from None


class PaperImportForm(SmallForm):
    """A file imported as the agenda or the minutes: a text file becomes the text, a PDF, an
    image, a Word document or an e-mail is kept whole beside it."""

    TITLE_TEXT = "Import a file"
    DRAFT_KIND = "booking_paper_file"
    SAVING = "importing the file"

    def __init__(self, appointment_id: int, about: str) -> None:
        self.appointment_id = appointment_id
        super().__init__(
            key=str(appointment_id),
            about=f"{about}. A text file becomes the text; a PDF, an image, a Word document or "
            "an e-mail is kept whole beside it.",
            initial={"kind": "agenda", "path": ""},
        )

    def fields(self) -> list[Field]:
        return [
            Field("path", "File", placeholder="~/agenda.pdf", names=("file", "filename")),
            Field("kind", "As", "choice", options=KIND_CHOICES),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        appointment_id, kind, path = self.appointment_id, values["kind"] or "agenda", values["path"]
        if not path.strip():
            raise ValidationError("path", "is required")

        def save(session: Session) -> str:
            name, data = read_file(path)  # in the worker: a slow disk does not hold the screen
            return said(
                booking_documents.import_paper(
                    session,
                    actor,
                    appointment_id=appointment_id,
                    kind=kind,
                    filename=name,
                    data=data,
                )
            )

        return save
