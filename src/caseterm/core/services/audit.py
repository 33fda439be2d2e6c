"""Writing the audit journal. Called by every service that changes data, in its transaction."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from caseterm.core import clock
from caseterm.core.models import AuditEvent
from caseterm.core.services.identity import Actor


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def snapshot(obj: SQLModel | None, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    if obj is None:
        return {}
    data = obj.model_dump()
    if fields is not None:
        data = {k: data.get(k) for k in fields}
    return data


def snapshot_dict(data: dict[str, Any]) -> dict[str, Any]:
    """A plain dict made comparable and JSON-ready (dates become ISO strings)."""
    return {k: _default(v) if isinstance(v, datetime | date) else v for k, v in data.items()}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, old and new."""
    keys = [
        k for k in after if before.get(k) != after.get(k) and k not in ("version", "updated_at")
    ]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def event_row(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    case_id: int | None = None,
    person_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The row `record` writes, for writing many at once (`record_many`)."""
    return {
        "at": clock.now(),
        "staff_id": actor.id if actor else None,
        "os_user": actor.os_user if actor else "",
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "case_id": case_id,
        "person_id": person_id,
        "summary": summary[:500],
        "before": json.dumps(before, default=_default, ensure_ascii=False) if before else "",
        "after": json.dumps(after, default=_default, ensure_ascii=False) if after else "",
    }


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write many audit events (`event_row`) in one batched INSERT: for bulk actions (the
    scheduler raising thousands of tasks), in the same transaction as what they record."""
    if rows:  # the table's INSERT: the ORM's would split the rows by which columns are NULL
        session.execute(insert(AuditEvent.__table__), rows)  # type: ignore[attr-defined]


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    case_id: int | None = None,
    person_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=clock.now(),
        staff_id=actor.id if actor else None,
        os_user=actor.os_user if actor else "",
        action=action,
        entity=entity,
        entity_id=entity_id,
        case_id=case_id,
        person_id=person_id,
        summary=summary[:500],
        before=json.dumps(before, default=_default, ensure_ascii=False) if before else "",
        after=json.dumps(after, default=_default, ensure_ascii=False) if after else "",
    )
    session.add(event)
    return event
