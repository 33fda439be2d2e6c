"""Small helpers shared by the services: loading by id, stale-edit checks, staff names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, StaleEditError, ValidationError
from caseterm.core.models import CaseFile, Staff
from caseterm.core.models.vocab import CaseStatus

M = TypeVar("M", bound=SQLModel)


def get(session: Session, model: type[M], key: Any, what: str | None = None) -> M:
    obj = session.get(model, key)
    if obj is None:
        raise NotFoundError(what or model.__name__.lower(), key)
    return obj


def staff_name(session: Session, staff_id: int | None) -> str:
    if staff_id is None:
        return "someone"
    staff = session.get(Staff, staff_id)
    return staff.name if staff else f"staff #{staff_id}"


def check_version(session: Session, obj: Any, expected: int | None, what: str) -> None:
    """Refuse to overwrite a record someone else changed after the caller read `expected`."""
    if expected is None or obj.version == expected:
        return
    at: datetime | None = getattr(obj, "updated_at", None)
    raise StaleEditError(what, staff_name(session, getattr(obj, "updated_by_id", None)), at)


def touch(obj: Any, actor_id: int) -> None:
    obj.updated_at = clock.now()
    obj.updated_by_id = actor_id


def ensure_case_open(case: CaseFile, doing: str) -> None:
    """A closed or archived case is read-only: refuse `doing` (e.g. "book an appointment") on it
    in one line that says how to go on (the contact log asks instead; see contacts.log_contact)."""
    if case.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
        raise ValidationError(
            "case",
            f"{case.reference} is {case.status}: a {case.status} case is read-only; reopen it "
            f"before you {doing} (caseterm case reopen {case.reference})",
        )
