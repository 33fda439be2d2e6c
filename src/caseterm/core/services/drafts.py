"""Drafts: a form's typed-but-unsaved content, kept in the database while the person types, so
an SSH drop, a crash or a killed terminal loses nothing; the form offers it back next time.

Drafts are the member of staff's own unsaved work, never a record of the organisation: saving,
loading and discarding one writes no audit event (the saved record itself is audited by the
service that saves it). Each person sees only their own drafts; one draft per (kind, key), e.g.
("contact_entry", "<case id>").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Draft
from caseterm.core.services.identity import Actor
from caseterm.core.text import strip_controls

KIND_MAX = 30
KEY_MAX = 60
DATA_MAX = 100_000


@dataclass(frozen=True)
class DraftInfo:
    """A pending draft, for "you have unsaved work" lists."""

    kind: str
    key: str
    updated_at: datetime
    data: dict[str, Any]


def _check_name(field: str, value: str, limit: int) -> str:
    text = strip_controls(value).strip()
    if not text:
        raise ValidationError(field, "is required")
    if len(text) > limit:
        raise ValidationError(field, f"is too long ({len(text)} characters; the limit is {limit})")
    return text


def _clean(value: Any) -> Any:
    """Control characters out of every string (they would reach the terminal on restore)."""
    if isinstance(value, str):
        return strip_controls(value, multiline=True)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _encode(data: dict[str, Any]) -> str:
    try:
        text = json.dumps(_clean(data), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValidationError("draft", f"cannot be stored: {exc}") from exc
    if len(text) > DATA_MAX:
        raise ValidationError(
            "draft", f"is too large ({len(text)} characters; the limit is {DATA_MAX})"
        )
    return text


def _decode(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _find(session: Session, actor: Actor, kind: str, key: str) -> Draft | None:
    return session.exec(
        select(Draft).where(Draft.staff_id == actor.id, Draft.kind == kind, Draft.key == key)
    ).first()


def save_draft(
    session: Session, actor: Actor, *, kind: str, key: str, data: dict[str, Any]
) -> Draft:
    """Create or replace the actor's draft for (kind, key). Control characters are stripped from
    the stored strings; no audit event (a draft is the person's own unsaved work)."""
    kind = _check_name("kind", kind, KIND_MAX)
    key = _check_name("key", key, KEY_MAX)
    encoded = _encode(data)
    draft = _find(session, actor, kind, key)
    if draft is None:
        draft = Draft(staff_id=actor.id, kind=kind, key=key)
    draft.data = encoded
    draft.updated_at = clock.now()
    session.add(draft)
    session.flush()
    return draft


def _load_draft(session: Session, actor: Actor, *, kind: str, key: str) -> dict[str, Any] | None:
    """The actor's draft for (kind, key), or None. Strings come back control-free."""
    draft = _find(session, actor, kind, key)
    if draft is None:
        return None
    cleaned = _clean(_decode(draft.data))
    return cleaned if isinstance(cleaned, dict) else {}


def _list_drafts(session: Session, actor: Actor, *, kind: str | None = None) -> list[DraftInfo]:
    """The actor's pending drafts (optionally of one kind), most recently touched first."""
    q = select(Draft).where(Draft.staff_id == actor.id)
    if kind is not None:
        q = q.where(Draft.kind == kind)
    rows = session.exec(q.order_by(col(Draft.updated_at).desc(), col(Draft.id).desc())).all()
    return [DraftInfo(d.kind, d.key, d.updated_at, _clean(_decode(d.data))) for d in rows]


def find_draft(session: Session, actor: Actor, *, kind: str, key: str) -> DraftInfo | None:
    """The actor's draft for (kind, key) with when it was last written, or None."""
    draft = _find(session, actor, kind, key)
    if draft is None:
        return None
    return DraftInfo(draft.kind, draft.key, draft.updated_at, _clean(_decode(draft.data)))


@dataclass(frozen=True)
class CaseDraft:
    """A pending draft kept for one case (its key is the case id), with the case's reference."""

    case_id: int
    reference: str
    updated_at: datetime


def case_drafts(session: Session, actor: Actor, *, kind: str) -> list[CaseDraft]:
    """The actor's drafts of `kind` whose key is a case id, newest first; drafts for cases
    since deleted are left out."""
    rows = session.exec(
        select(Draft.key, Draft.updated_at).where(Draft.staff_id == actor.id, Draft.kind == kind)
    ).all()
    ids = {int(key): at for key, at in rows if key.isdigit()}
    if not ids:
        return []
    found = session.exec(
        select(CaseFile.id, CaseFile.reference).where(col(CaseFile.id).in_(list(ids)))
    ).all()
    pending = [CaseDraft(cid, ref, ids[cid]) for cid, ref in found if cid is not None]
    return sorted(pending, key=lambda d: (d.updated_at, d.case_id), reverse=True)


def discard_draft(session: Session, actor: Actor, *, kind: str, key: str) -> bool:
    """Delete the actor's draft for (kind, key); True if there was one."""
    draft = _find(session, actor, kind, key)
    if draft is None:
        return False
    session.delete(draft)
    session.flush()
    return True
