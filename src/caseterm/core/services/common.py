"""Small helpers shared by the services: loading by id, stale-edit checks, staff names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, StaleEditError
from caseterm.core.models import Staff

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
