"""Restricted cases: who may see a case, and the access log of views and refusals.

A case with `allow` entries may be seen only by those staff (and its owner and admin owner); a
`deny` entry excludes one member of staff. Others learn only that it exists and whom to ask.
"""

from __future__ import annotations

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import RestrictedError
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


def log_access(session: Session, actor: Actor, case_id: int, action: str, where: str) -> None:
    session.add(
        AccessLog(at=clock.now(), staff_id=actor.id, case_id=case_id, action=action, where=where)
    )


def ask_whom(session: Session, case: CaseFile) -> str:
    return staff_name(session, case.owner_id) if case.owner_id else "the duty manager"


def ensure_can_see(session: Session, actor: Actor, case: CaseFile, where: str) -> None:
    """Raise RestrictedError (and log the refusal) unless `actor` may see `case`; log views of
    restricted cases. The log rows are written by the caller's session, so a read-only caller
    must commit them (see `cases.view_case`)."""
    assert case.id is not None
    if can_see(session, actor, case):
        if case.restricted:
            log_access(session, actor, case.id, "viewed", where)
        return
    log_access(session, actor, case.id, "refused", where)
    raise RestrictedError(case.reference, ask_whom(session, case))
