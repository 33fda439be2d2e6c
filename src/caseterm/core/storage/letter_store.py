"""An issued letter's PDF saved into the letters folder (`letters_dir` in the config file), once
the transaction that issued it is over: the PDF stored with the letter, byte for byte, under its
stored name (`OM-2026-000038-letter-312.pdf`; a name taken already becomes `…-2.pdf`), private
from the first byte (0600, or 0640 in a shared group directory). Without a letters folder the
letter is only stored (`caseterm document get ID --out FILE` writes it out)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.letter_files import letters_folder
from caseterm.core.private_files import private_file, shared_mode
from caseterm.core.services import received
from caseterm.core.services.identity import Actor


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
