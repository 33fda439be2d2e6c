"""Files taken from the watched intake folder (scanned post, e-mails saved from a shared
mailbox): each becomes an incoming item (`post_in`) waiting for triage, with its file held
beside it (`IntakeFile`: type found from the content, size limit, SHA-256) until triage attaches
it to a case, where it becomes a received document like one added with `document add`.

A file is taken once: the same bytes arriving again (the folder scanned by two workstations at
once, or a file left behind by a scan that stopped before moving it) are recognised by their
SHA-256 and not made into a second item. The folder itself (reading, moving to `done/` or
`rejected/`) is `storage.intake_folder`.

Each file records the office it arrived at (the office whose folder or post room it came into:
named when the folder is scanned, else the office of whoever scanned it); its incoming item is
that office's, so triage shows it there, and the waiting files can be listed by office.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, IntakeFile, Office, Task
from caseterm.core.models.vocab import TaskKind
from caseterm.core.rules.catalogue import RECEIVED_KINDS, RECEIVED_TYPES
from caseterm.core.services import audit, cases, incoming, received
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.received import ReceivedInfo
from caseterm.core.services.search import parse_reference

SOURCE = "intake folder"


@dataclass(frozen=True)
class IntakeInfo:
    """A file taken from the intake folder, as triage and `caseterm intake` show it."""

    id: int
    task_id: int
    filename: str
    media_type: str
    type_label: str
    size: int
    sha256: str
    received_at: datetime
    received_by: str
    document_id: int | None  # set once attached to a case
    reference: str = ""  # the case it was attached to
    office_code: str = ""  # the office it arrived at ("" when not known)
    office_name: str = ""


@dataclass(frozen=True)
class Taken:
    """What taking one file did: `already` when the same file had been taken before (no new
    item was made; `info` is the earlier one)."""

    info: IntakeInfo
    already: bool


def _info(session: Session, row: IntakeFile) -> IntakeInfo:
    reference = ""
    if row.document_id is not None:
        task = session.get(Task, row.task_id)
        case = session.get(CaseFile, task.case_id) if task and task.case_id else None
        reference = case.reference if case else ""
    office = session.get(Office, row.office_id) if row.office_id else None
    return IntakeInfo(
        id=row.id or 0,
        task_id=row.task_id,
        filename=row.filename,
        media_type=row.media_type,
        type_label=RECEIVED_TYPES.get(row.media_type, row.media_type),
        size=row.size,
        sha256=row.sha256,
        received_at=row.received_at,
        received_by=staff_name(session, row.received_by_id),
        document_id=row.document_id,
        reference=reference,
        office_code=office.code if office else "",
        office_name=office.name if office else "",
    )


def take_file(
    session: Session,
    actor: Actor,
    *,
    filename: str,
    data: bytes,
    source: str = SOURCE,
    office_code: str = "",
) -> Taken:
    """Make the file an incoming item waiting for triage at the office it arrived at
    (`office_code`, else the actor's; see the module docstring). A file that is empty, over the
    size limit or not a PDF, image, Word document or e-mail is refused with a ValidationError
    naming the rule."""
    actor.require("task.work")
    office = incoming.arrival_office(session, actor, code=office_code)
    name, found = received.check_file(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    earlier = session.exec(
        select(IntakeFile).where(IntakeFile.sha256 == digest).order_by(col(IntakeFile.id))
    ).first()
    if earlier is not None:
        return Taken(_info(session, earlier), already=True)
    item = incoming.record_incoming(
        session,
        actor,
        kind=TaskKind.POST_IN,
        summary=f"Received file: {name}"[:300],
        source=source[:200],
        details=f"{RECEIVED_TYPES[found]}, {len(data):,} bytes, SHA-256 {digest}",
        office_id=office[0] if office else None,
    )
    row = IntakeFile(
        task_id=item.id or 0,
        filename=name,
        media_type=found,
        size=len(data),
        sha256=digest,
        content=data,
        received_at=clock.now(),
        received_by_id=actor.id,
        office_id=office[0] if office else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "intake.take",
        "task",
        item.id,
        summary=f"item {item.id}: took {name} from the {source}"
        f"{f' at {office[1]}' if office else ''} ({RECEIVED_TYPES[found]}, {len(data):,} bytes)",
        after={
            "filename": name,
            "media_type": found,
            "size": len(data),
            "sha256": digest,
            "office": office[1] if office else None,
        },
    )
    return Taken(_info(session, row), already=False)


def file_of_item(session: Session, actor: Actor, *, task_id: int) -> IntakeInfo | None:
    """The intake file an incoming item came with, if it came from the intake folder."""
    actor.require("task.work")
    row = session.exec(select(IntakeFile).where(IntakeFile.task_id == task_id)).first()
    return None if row is None else _info(session, row)


def waiting_files(session: Session, actor: Actor, *, office_code: str = "") -> list[IntakeInfo]:
    """Files taken from the intake folder and not yet attached to a case, oldest first; only
    those that arrived at the office `office_code` names, when it is given."""
    actor.require("task.work")
    q = (
        select(IntakeFile)
        .where(col(IntakeFile.document_id).is_(None))
        .order_by(col(IntakeFile.received_at), col(IntakeFile.id))
    )
    if office_code.strip():
        office = incoming.arrival_office(session, actor, code=office_code)
        q = q.where(IntakeFile.office_id == (office[0] if office else None))
    rows = session.exec(q).all()
    return [_info(session, r) for r in rows]


def attach_file(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    kind: str,
    case_id: int | None = None,
    reference: str = "",
    title: str = "",
) -> ReceivedInfo:
    """Attach an incoming item's file to a case as a received document of `kind` (one of
    RECEIVED_KINDS): the item's linked case, or the case `case_id` or `reference` names (as
    typed: `om/2026/12`), which the item is then linked to. The file's bytes move to the
    document; attaching twice is refused."""
    actor.require("case.write")
    if case_id is None and reference.strip():
        ref = parse_reference(reference) or reference.strip().upper()
        case_id = cases.find_case(session, ref).id
    row = session.exec(select(IntakeFile).where(IntakeFile.task_id == task_id)).first()
    if row is None:
        raise ValidationError("item", f"item {task_id} did not come from the intake folder")
    if row.document_id is not None:
        raise ValidationError(
            "item", f"item {task_id}'s file is attached already (document {row.document_id})"
        )
    task = get(session, Task, task_id, "task")
    target = case_id if case_id is not None else task.case_id
    if target is None:
        raise ValidationError("case", "link the item to a case first, or name the case")
    if (kind or "").strip().lower() not in RECEIVED_KINDS:
        raise ValidationError("kind", f"unknown {kind!r}; use one of {', '.join(RECEIVED_KINDS)}")
    case = get(session, CaseFile, target, "case")
    ensure_can_see(session, actor, case, "documents")
    stored = received.add_received(
        session,
        actor,
        case_id=target,
        filename=row.filename,
        data=bytes(row.content),
        kind=kind,
        title=title,
    )
    row.document_id = stored.id
    row.content = b""  # the bytes live on in the document's file
    session.add(row)
    if task.case_id != target:
        task.case_id = target
        task.person_id = case.subject_id
        task.updated_at = clock.now()
        task.updated_by_id = actor.id
        session.add(task)
    session.flush()
    audit.record(
        session,
        actor,
        "intake.attach",
        "task",
        task_id,
        case_id=target,
        person_id=case.subject_id,
        summary=f"item {task_id}: attached {row.filename} to {case.reference} "
        f"as document {stored.id}",
        after={"document_id": stored.id, "case_id": target},
    )
    return stored
