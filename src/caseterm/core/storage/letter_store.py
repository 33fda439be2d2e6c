"""An issued letter's PDF saved into the letters folder (`letters_dir` in the config file), once
the transaction that issued it is over: the PDF stored with the letter, byte for byte, under its
stored name (`OM-2026-000038-letter-312.pdf`; a name taken already becomes `…-2.pdf`), private
from the first byte (0600, or 0640 in a shared group directory). Without a letters folder the
letter is only stored (`caseterm document get ID --out FILE` writes it out).

`render_for_issue` makes the letter's PDF before the transaction that issues it, so the write
lock is held only for the writes (not while the PDF engine warms up or renders)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from caseterm.core.errors import CasetermError, ValidationError
from caseterm.core.letter_files import RenderedLetter, letters_folder, render_letter
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.private_files import private_file, shared_mode
from caseterm.core.services import letter_views, letters, received
from caseterm.core.services.identity import Actor

if TYPE_CHECKING:
    from caseterm.core.storage.database import Database


def render_for_issue(db: Database, actor: Actor, *, document_id: int) -> RenderedLetter | None:
    """The letter's PDF, made from a reading session (which never takes the write lock) before
    the transaction that issues it (`letter_issue.issue_letter(rendered=...)`). None when the letter
    cannot be read or is not approved: issuing it then refuses it with the reason, in its own
    transaction, without making a PDF first."""
    try:
        with db.read() as session:
            letter = letters.show_letter(session, actor, document_id=document_id)
            if letter.status != DocumentStatus.CHECKED:
                return None
            pages = letter_views.letter_pages(session, actor, document_ids=[document_id])
    except CasetermError:
        return None
    return render_letter(pages[0])


def save_issued(
    session: Session, actor: Actor, *, document_id: int, folder: Path | None = None
) -> Path | None:
    """Write the issued letter's stored PDF into `folder` (default: the letters folder); the
    file written, or None when there is no folder."""
    folder = folder if folder is not None else letters_folder()
    if folder is None:
        return None
    got = received.get_received(session, actor, document_id=document_id)
    target = folder / got.info.filename
    try:
        with private_file(target, shared_mode(target), number=True) as made:
            fd = os.open(made.temp, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
            try:
                view = memoryview(got.data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as err:
        raise ValidationError(
            "letters folder", f"cannot write {target}: {err.strerror or err}"
        ) from None
    return made.path
