"""Merging two records of the same person: a preview of what moves, then one transaction.

Everything of the merged record moves to the survivor (cases as subject and as party, contact
entries, appointments, tasks, identifiers, names, contact details, warnings, verification);
the merged record's primary name becomes an alias of the survivor, so its name still finds
them. The merged record stays as a tombstone (`merged_into_id`): its old id leads to the
survivor (the person view follows it there) and it is never changed again. Administrators and
system administrators only (`person.merge`); audited on both records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.models import (
    Appointment,
    CaseFile,
    CaseParty,
    ContactEntry,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonVerification,
    PersonWarning,
    Task,
)
from caseterm.core.services import access, audit
from caseterm.core.services.common import check_version, get, touch
from caseterm.core.services.identity import Actor

# What moves, in the order the preview lists it: (label, model, person column).
MOVES: tuple[tuple[str, Any, str], ...] = (
    ("cases", CaseFile, "subject_id"),
    ("parties", CaseParty, "person_id"),
    ("contacts", ContactEntry, "person_id"),
    ("appointments", Appointment, "person_id"),
    ("tasks", Task, "person_id"),
    ("identifiers", PersonIdentifier, "person_id"),
    ("names", PersonName, "person_id"),
    ("contact_details", PersonContact, "person_id"),
    ("warnings", PersonWarning, "person_id"),
    ("verifications", PersonVerification, "person_id"),
)


@dataclass(frozen=True)
class MergeSide:
    id: int
    name: str
    date_of_birth: date | None
    version: int


@dataclass(frozen=True)
class MergePreview:
    survivor: MergeSide
    merged: MergeSide
    moves: dict[str, int]  # label → rows that move
    differences: tuple[str, ...]  # what differs (the survivor's value is kept)


def _side(person: Person) -> MergeSide:
    return MergeSide(person.id or 0, person.full_name, person.date_of_birth, person.version)


def _check(
    session: Session, actor: Actor, survivor_id: int, merged_id: int
) -> tuple[Person, Person]:
    actor.require("person.merge")
    if survivor_id == merged_id:
        raise ValidationError("merge", "a person cannot be merged into themselves")
    survivor = get(session, Person, survivor_id, "person")
    merged = get(session, Person, merged_id, "person")
    if survivor.merged_into_id is not None:
        raise ValidationError(
            "merge",
            f"person {survivor_id} is a tombstone (merged into {survivor.merged_into_id}); "
            "merge into that record instead",
        )
    if merged.merged_into_id is not None:
        raise ValidationError(
            "merge", f"person {merged_id} was already merged into {merged.merged_into_id}"
        )
    for case in session.exec(
        select(CaseFile).where(
            col(CaseFile.subject_id).in_([survivor_id, merged_id]), col(CaseFile.restricted)
        )
    ).all():
        if not access.can_see(session, actor, case):
            access.log_access(session, actor, case_id=case.id or 0, action="refused", where="merge")
            raise RestrictedError(case.reference, access.ask_whom(session, case))
    return survivor, merged


def _differences(survivor: Person, merged: Person) -> tuple[str, ...]:
    out = []
    for field, what in (
        ("given_name", "given name"),
        ("family_name", "family name"),
        ("date_of_birth", "date of birth"),
        ("date_of_death", "date of death"),
        ("gender", "gender"),
        ("language", "language"),
    ):
        mine, theirs = getattr(survivor, field), getattr(merged, field)
        if theirs not in (None, "") and mine != theirs:
            out.append(f"{what}: {mine or '(none)'} kept, {theirs} dropped")
    return tuple(out)


def _counts(session: Session, person_id: int) -> dict[str, int]:
    return {
        name: int(
            session.exec(
                select(func.count()).select_from(model).where(getattr(model, column) == person_id)
            ).one()
        )
        for name, model, column in MOVES
    }


def preview_merge(
    session: Session, actor: Actor, *, survivor_id: int, merged_id: int
) -> MergePreview:
    """What merging `merged_id` into `survivor_id` would move, and what differs; refuses as
    `merge_people` would."""
    survivor, merged = _check(session, actor, survivor_id, merged_id)
    return MergePreview(
        _side(survivor), _side(merged), _counts(session, merged_id), _differences(survivor, merged)
    )


def merge_people(
    session: Session,
    actor: Actor,
    *,
    survivor_id: int,
    merged_id: int,
    reason: str,
    expected_versions: tuple[int, int] | None = None,
) -> MergePreview:
    """Merge `merged_id` into `survivor_id` in the caller's one transaction (see the module
    docstring). `expected_versions` (survivor, merged) are those the preview was read at: a
    record changed since is refused (StaleEditError). Returns what moved."""
    from caseterm.core.text import clean_line

    survivor, merged = _check(session, actor, survivor_id, merged_id)
    reason = clean_line("reason", reason, limit=300)
    if expected_versions is not None:
        check_version(session, survivor, expected_versions[0], f"{survivor.full_name}'s record")
        check_version(session, merged, expected_versions[1], f"{merged.full_name}'s record")
    moved = _counts(session, merged_id)
    differences = _differences(survivor, merged)
    session.execute(
        update(PersonName)
        .where(col(PersonName.person_id) == merged_id, col(PersonName.kind) == "primary")
        .values(kind="alias")
        .execution_options(synchronize_session=False)
    )
    for _, model, column in MOVES:
        session.execute(
            update(model)
            .where(getattr(model, column) == merged_id)
            .values({column: survivor_id})
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    survivor = get(session, Person, survivor_id, "person")
    merged = get(session, Person, merged_id, "person")
    merged.merged_into_id = survivor_id
    touch(merged, actor.id)
    touch(survivor, actor.id)
    session.add_all([merged, survivor])
    session.flush()
    summary = ", ".join(f"{n} {label}" for label, n in moved.items() if n) or "nothing"
    for about, text in (
        (
            survivor_id,
            f"merged person {merged_id} ({merged.full_name}) into this record: {summary}",
        ),
        (merged_id, f"merged into person {survivor_id} ({survivor.full_name})"),
    ):
        audit.record(
            session,
            actor,
            "person.merge",
            "person",
            about,
            person_id=about,
            summary=f"{text}; {reason}",
            before={"merged_into_id": None} if about == merged_id else None,
            after={"merged_into_id": survivor_id, "moved": moved, "differences": list(differences)},
        )
    return MergePreview(_side(survivor), _side(merged), moved, differences)
