"""Restricted cases: who may see a case, and the access log of views and refusals.

A restricted case with `allow` entries may be seen only by those staff; a `deny` entry excludes
one member of staff. The case's owner and admin owner always see it, whatever the lists say.
Everybody else learns only that it exists and whom to ask ("restricted — ask OWNER"), and
both those refusals and every view of a restricted case go to the access log.

The log rows are added to the caller's session. A refusal raises RestrictedError, and
`Database.write()` rolls back on an exception, so a caller that wants the refusal kept must
catch the error inside the writing session and raise it again after the commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, RestrictedError
from caseterm.core.models import AccessLog, CaseAccess, CaseFile
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor


def can_see(session: Session, actor: Actor, case: CaseFile) -> bool:
    if not case.restricted:
        return True
    if actor.id in (case.owner_id, case.admin_owner_id):
        return True
    rows = session.exec(select(CaseAccess).where(CaseAccess.case_id == case.id)).all()
    modes = {r.staff_id: r.mode for r in rows}
    if modes.get(actor.id) == "deny":
        return False
    allows = [s for s, m in modes.items() if m == "allow"]
    return not allows or actor.id in allows


def visible_to(actor: Actor) -> Any:
    """The same rule as `can_see`, as a SQL condition on `CaseFile`, for lists (queues, diary,
    search) that must leave out — or mark — cases the actor may not see."""
    mine = select(CaseAccess.case_id).where(CaseAccess.staff_id == actor.id)
    denied = mine.where(CaseAccess.mode == "deny")
    allowed = mine.where(CaseAccess.mode == "allow")
    listed = select(CaseAccess.case_id).where(CaseAccess.mode == "allow")
    return or_(
        col(CaseFile.restricted).is_(False),
        col(CaseFile.owner_id) == actor.id,
        col(CaseFile.admin_owner_id) == actor.id,
        and_(
            col(CaseFile.id).not_in(denied),
            or_(col(CaseFile.id).not_in(listed), col(CaseFile.id).in_(allowed)),
        ),
    )


def log_access(session: Session, actor: Actor, case_id: int, action: str, where: str) -> None:
    session.add(
        AccessLog(at=clock.now(), staff_id=actor.id, case_id=case_id, action=action, where=where)
    )


def ask_whom(session: Session, case: CaseFile) -> str:
    return staff_name(session, case.owner_id) if case.owner_id else "the duty manager"


def require_visible(session: Session, actor: Actor, case_id: int, where: str) -> CaseFile:
    """For a section of a case (contact log, diary, tasks, reviews…) read after the case itself
    was opened with `ensure_can_see`: refuse (and log the refusal) the same way, but do not log
    another view. Returns the case."""
    case = session.get(CaseFile, case_id)
    if case is None:
        raise NotFoundError("case", case_id)
    if not can_see(session, actor, case):
        log_access(session, actor, case_id, "refused", where)
        raise RestrictedError(case.reference, ask_whom(session, case))
    return case


def ensure_can_see(session: Session, actor: Actor, case: CaseFile, where: str) -> None:
    """Raise RestrictedError (and log the refusal) unless `actor` may see `case`; log views of
    restricted cases. See the module docstring for keeping a refusal's log row."""
    assert case.id is not None
    if can_see(session, actor, case):
        if case.restricted:
            log_access(session, actor, case.id, "viewed", where)
        return
    log_access(session, actor, case.id, "refused", where)
    raise RestrictedError(case.reference, ask_whom(session, case))
