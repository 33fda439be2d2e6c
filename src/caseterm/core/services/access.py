"""Restricted cases: who may see a case, and the access log of views and refusals.

A restricted case with `allow` entries may be seen only by those staff; a `deny` entry excludes
one member of staff. The case's owner and admin owner always see it, whatever the lists say.
Everybody else learns only that it exists and whom to ask ("restricted — ask OWNER"), and
both those refusals and every view of a restricted case go to the access log.

People are hidden the way search hides them: a person who is the subject of cases, every one of
which the actor may not see, is shown as "Restricted" with no date of birth (`hidden_people`,
`shown_person`) — in search, the diary, at reception, in triage and in the audit journal alike.

The log rows are added to the caller's session. A refusal raises RestrictedError, and
`Database.write()` rolls back on an exception, so a caller that wants the refusal kept must
catch the error inside the writing session and raise it again after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, RestrictedError
from caseterm.core.models import AccessLog, CaseAccess, CaseFile
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor, real_login


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

    def listed(mode: str, *, mine: bool) -> Any:
        """Whether the case has an access row of `mode` (the actor's own, if `mine`): a probe
        of the (case_id, staff_id) index for each restricted case the list meets, where
        `id NOT IN (every allow row)` built the whole organisation's list per query."""
        rows = select(CaseAccess.case_id).where(
            col(CaseAccess.case_id) == col(CaseFile.id), CaseAccess.mode == mode
        )
        return exists(rows.where(CaseAccess.staff_id == actor.id) if mine else rows)

    return or_(
        col(CaseFile.restricted).is_(False),
        col(CaseFile.owner_id) == actor.id,
        col(CaseFile.admin_owner_id) == actor.id,
        and_(
            ~listed("deny", mine=True),
            or_(~listed("allow", mine=False), listed("allow", mine=True)),
        ),
    )


def log_access(
    session: Session, actor: Actor, *, case_id: int, action: str, where: str, reason: str = ""
) -> None:
    """One access-log row: the member of staff and the real Unix login behind them."""
    session.add(
        AccessLog(
            at=clock.now(),
            staff_id=actor.id,
            os_user=actor.os_user or real_login(),
            case_id=case_id,
            action=action,
            where=where,
            reason=reason[:300],
        )
    )


def ask_whom(session: Session, case: CaseFile) -> str:
    return staff_name(session, case.owner_id) if case.owner_id else "the duty manager"


def restricted_label(session: Session, case: CaseFile) -> str:
    """How a restricted case the actor may not see is named in its place: "restricted — ask
    OWNER" (the one wording; lists, pickers and forms show this instead of the subject)."""
    return f"restricted — ask {ask_whom(session, case)}"


def require_visible(session: Session, actor: Actor, case_id: int, where: str) -> CaseFile:
    """For a section of a case (contact log, diary, tasks, reviews…) read after the case itself
    was opened with `ensure_can_see`: refuse (and log the refusal) the same way, but do not log
    another view. Returns the case."""
    case = session.get(CaseFile, case_id)
    if case is None:
        raise NotFoundError("case", case_id)
    if not can_see(session, actor, case):
        log_access(session, actor, case_id=case_id, action="refused", where=where)
        raise RestrictedError(case.reference, ask_whom(session, case))
    _keep(session, case)
    return case


_KEPT = "caseterm.access.cases_seen"


def _keep(session: Session, case: CaseFile) -> None:
    """Keep `case` in the session's identity map while the session lasts: the sections read
    after the case (contact log, tasks, diary, events, clocks) each check it with `session.get`,
    which answers from the map without a query only while something still refers to the row
    (one round trip less per section; issue 16, "cut round trips")."""
    session.info.setdefault(_KEPT, {})[case.id] = case


def ensure_can_see(session: Session, actor: Actor, case: CaseFile, where: str) -> None:
    """Raise RestrictedError (and log the refusal) unless `actor` may see `case`; log views of
    restricted cases. See the module docstring for keeping a refusal's log row."""
    assert case.id is not None
    if can_see(session, actor, case):
        if case.restricted:
            log_access(session, actor, case_id=case.id, action="viewed", where=where)
        _keep(session, case)
        return
    log_access(session, actor, case_id=case.id, action="refused", where=where)
    raise RestrictedError(case.reference, ask_whom(session, case))


RESTRICTED_NAME = "Restricted"


@dataclass(frozen=True)
class ShownPerson:
    """What a list may show of a person: their name and date of birth, or "Restricted"."""

    name: str
    date_of_birth: date | None
    restricted: bool


def shown_person(name: str, date_of_birth: date | None, *, hidden: bool) -> ShownPerson:
    """The one masking policy for a person listed beside a case (or as the subject of cases)
    the actor may not see: "Restricted", no date of birth. Used by search, the diary, the
    reception desk, triage and the audit journal."""
    if hidden:
        return ShownPerson(RESTRICTED_NAME, None, True)
    return ShownPerson(name, date_of_birth, False)


def hidden_case_ids(session: Session, actor: Actor, *, case_ids: Iterable[int | None]) -> set[int]:
    """Those of `case_ids` the actor may not see (one query)."""
    ids = {i for i in case_ids if i}
    if not ids:
        return set()
    seen = session.exec(select(CaseFile.id).where(col(CaseFile.id).in_(ids), visible_to(actor)))
    return ids - {i for i in seen.all() if i is not None}


def hidden_restricted(
    session: Session,
    actor: Actor,
    *,
    cases: Iterable[tuple[int | None, bool | None, int | None, int | None]],
) -> set[int]:
    """Of rows read with their case's (id, restricted, owner_id, admin_owner_id), the cases the
    actor may not see: only restricted cases not the actor's own are asked about, in one query
    (`hidden_case_ids`), and none when there are none."""
    maybe = [
        case_id
        for case_id, restricted, owner, admin in cases
        if restricted and actor.id not in (owner, admin)
    ]
    return hidden_case_ids(session, actor, case_ids=maybe) if maybe else set()


def hidden_people(
    session: Session, actor: Actor, *, person_ids: Iterable[int | None]
) -> dict[int, CaseFile]:
    """Those of `person_ids` who are the subject of cases, none of which the actor may see
    (search's rule for names): person id → one of those cases (whom to ask)."""
    ids = {i for i in person_ids if i}
    if not ids:
        return {}
    by_person: dict[int, list[CaseFile]] = {}
    for case in session.exec(select(CaseFile).where(col(CaseFile.subject_id).in_(ids))).all():
        by_person.setdefault(case.subject_id, []).append(case)
    restricted = [c.id for cs in by_person.values() for c in cs if c.restricted]
    hidden = hidden_case_ids(session, actor, case_ids=restricted)
    return {pid: cs[0] for pid, cs in by_person.items() if all(c.id in hidden for c in cs)}
