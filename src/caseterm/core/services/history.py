"""Reading the audit journal and the access log: a case's history (who changed what, when,
old → new), a person's, one member of staff's actions for a day, and filtered searches.

Who may read what:
- a case's history: anyone who may read the case (restricted cases as everywhere else: the
  refusal, and every view, go to the access log);
- a person's history: anyone who may read people; events on cases they may not see, and events
  about a person whose every case they may not see (search's rule), are shown only as
  "restricted — ask OWNER", without summary or values, and each such case is written to the
  access log as refused (call the readings in a writing session to keep those rows);
- a member of staff's day: the member of staff themselves, or an auditor (`audit.read`);
- searching the whole journal and the access log: auditors only, with the same masking.

Nothing here changes the journal: audit events are written only by `audit.record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, and_, union
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from caseterm.core.errors import ValidationError
from caseterm.core.models import AccessLog, AuditEvent, CaseFile, Office, Staff, Task, Team
from caseterm.core.services.access import (
    ask_whom,
    ensure_can_see,
    hidden_case_ids,
    hidden_people,
    log_access,
)
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor

MAX_LIMIT = 10_000
_STAFF_FIELDS = ("owner_id", "admin_owner_id", "assignee_id", "staff_id", "updated_by_id")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any
    old_text: str
    new_text: str


@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: datetime
    login: str
    staff_name: str
    os_user: str
    action: str
    entity: str
    entity_id: int | None
    case_id: int | None
    case_reference: str
    person_id: int | None
    summary: str
    changes: list[Change] = field(default_factory=list)
    restricted: bool = False


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    login: str
    staff_name: str
    os_user: str  # the real Unix login
    case_reference: str
    action: str
    where: str
    reason: str = ""


@dataclass
class AuditQuery:
    """Filters for `search_audit`; all optional. `action` without a dot matches a family
    ("case" → case.open, case.closed…)."""

    case_reference: str | None = None
    person_id: int | None = None
    staff_login: str | None = None
    day: date | None = None
    action: str | None = None
    limit: int = 200


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time())
    return start, start + timedelta(days=1)


def _json(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {"(value)": text}
    return data if isinstance(data, dict) else {"(value)": data}


class _Names:
    """Staff, team, office and case labels for a page of events, loaded once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.staff: dict[int, tuple[str, str]] = {}
        self.cases: dict[int, CaseFile] = {}

    def load(self, staff_ids: Iterable[int], case_ids: Iterable[int]) -> None:
        sids = {i for i in staff_ids if i} - set(self.staff)
        if sids:
            for sid, login, name in self.session.exec(
                select(Staff.id, Staff.login, Staff.name).where(col(Staff.id).in_(sids))
            ).all():
                self.staff[sid or 0] = (login, name)
        cids = {i for i in case_ids if i} - set(self.cases)
        if cids:
            for case in self.session.exec(select(CaseFile).where(col(CaseFile.id).in_(cids))):
                self.cases[case.id or 0] = case

    def text(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, int) and not isinstance(value, bool):
            if key in _STAFF_FIELDS:
                self.load([value], [])
                return self.staff.get(value, ("", f"staff #{value}"))[1]
            if key == "team_id":
                team = self.session.get(Team, value)
                return team.code if team else f"team #{value}"
            if key == "office_id":
                office = self.session.get(Office, value)
                return office.code if office else f"office #{value}"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "—"
        return str(value)


def _changes(names: _Names, event: AuditEvent) -> list[Change]:
    before, after = _json(event.before), _json(event.after)
    keys = list(before) + [k for k in after if k not in before]
    return [
        Change(
            k,
            before.get(k),
            after.get(k),
            names.text(k, before.get(k)),
            names.text(k, after.get(k)),
        )
        for k in keys
    ]


def _hidden_events(session: Session, actor: Actor, events: list[AuditEvent]) -> dict[int, CaseFile]:
    """Event id → the case to name ("restricted — ask OWNER") for each event the actor may not
    read: on a case they may not see, or about a person whose every case they may not see. Each
    such case is written to the access log as refused, once."""
    hidden_cases = hidden_case_ids(session, actor, case_ids=(e.case_id for e in events))
    about = {e.person_id for e in events if e.person_id and e.case_id is None} | {
        e.entity_id for e in events if e.entity == "person" and e.entity_id
    }
    people = hidden_people(session, actor, person_ids=about)
    cases = {
        c.id or 0: c
        for c in session.exec(select(CaseFile).where(col(CaseFile.id).in_(hidden_cases))).all()
    }
    out: dict[int, CaseFile] = {}
    for e in events:
        person = e.entity_id if e.entity == "person" else e.person_id
        if e.case_id in cases:
            out[e.id or 0] = cases[e.case_id or 0]
        elif e.case_id is None and person in people:
            out[e.id or 0] = people[person or 0]
    for case_id in sorted({c.id or 0 for c in out.values()}):
        log_access(session, actor, case_id=case_id, action="refused", where="history")
    return out


def _rows(
    session: Session, actor: Actor, events: list[AuditEvent], *, mask: bool = True
) -> list[HistoryRow]:
    names = _Names(session)
    names.load((e.staff_id or 0 for e in events), (e.case_id or 0 for e in events))
    hidden = _hidden_events(session, actor, events) if mask else {}
    rows = []
    for e in events:
        login, name = names.staff.get(e.staff_id or 0, ("", "system"))
        case = names.cases.get(e.case_id or 0)
        why = hidden.get(e.id or 0)
        rows.append(
            HistoryRow(
                id=e.id or 0,
                at=e.at,
                login=login,
                staff_name=name,
                os_user=e.os_user,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                case_id=e.case_id,
                case_reference=case.reference if case else "",
                person_id=e.person_id,
                summary=f"restricted — ask {ask_whom(session, why)}" if why else e.summary,
                changes=[] if why else _changes(names, e),
                restricted=why is not None,
            )
        )
    return rows


def task_events(tasks_where: Any) -> Any:
    """Events about the tasks matching `tasks_where`, by the task's id: an incoming item is
    journalled when it is logged, before triage links it to anyone, so its creation carries no
    person or case of its own."""
    return and_(
        col(AuditEvent.entity) == "task",
        col(AuditEvent.entity_id).in_(select(Task.id).where(tasks_where)),
    )


def _newest(q: SelectOfScalar[AuditEvent], limit: int) -> SelectOfScalar[AuditEvent]:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"must be 1 to {MAX_LIMIT}")
    return q.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit)


def case_history(
    session: Session, actor: Actor, *, case_id: int, limit: int = 500
) -> list[HistoryRow]:
    """Everything that happened to a case, newest first. Logs the view of a restricted case
    (call it in a writing session)."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "history")
    q = select(AuditEvent).where(AuditEvent.case_id == case_id)
    return _rows(session, actor, list(session.exec(_newest(q, limit)).all()), mask=False)


def person_history(
    session: Session, actor: Actor, *, person_id: int, limit: int = 500
) -> list[HistoryRow]:
    """Events about a person and about the cases they are the subject of, newest first; events on
    cases the actor may not see are masked."""
    actor.require("person.read")
    cases = select(CaseFile.id).where(CaseFile.subject_id == person_id)
    # A union of two indexed reads, not an OR (PostgreSQL read the audit table from its newest
    # event for it: 160 ms a person on the large demo).
    events: CompoundSelect[tuple[int]] = union(
        select(AuditEvent.id).where(AuditEvent.person_id == person_id),
        select(AuditEvent.id).where(col(AuditEvent.case_id).in_(cases)),
    )
    q = select(AuditEvent).where(col(AuditEvent.id).in_(events))
    return _rows(session, actor, list(session.exec(_newest(q, limit)).all()))


def staff_day(
    session: Session, actor: Actor, *, login: str, day: date, limit: int = 1000
) -> list[HistoryRow]:
    """One member of staff's actions on one day, newest first: their own, or anyone's for an
    auditor."""
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise ValidationError("staff", f"no member of staff with login {login!r}")
    if staff.id != actor.id:
        actor.require("audit.read")
    start, end = _day_bounds(day)
    q = select(AuditEvent).where(
        AuditEvent.staff_id == staff.id, col(AuditEvent.at) >= start, col(AuditEvent.at) < end
    )
    return _rows(session, actor, list(session.exec(_newest(q, limit)).all()))


def search_audit(session: Session, actor: Actor, *, query: AuditQuery) -> list[HistoryRow]:
    """The journal filtered by case, person, member of staff, day and action (auditors only)."""
    actor.require("audit.read")
    q = select(AuditEvent)
    if query.case_reference:
        ref = query.case_reference.strip().upper()
        case = session.exec(select(CaseFile).where(CaseFile.reference == ref)).first()
        if case is None:
            raise ValidationError("case", f"no case {query.case_reference!r}")
        q = q.where(AuditEvent.case_id == case.id)
    if query.person_id is not None:
        q = q.where(AuditEvent.person_id == query.person_id)
    if query.staff_login:
        staff = session.exec(select(Staff).where(Staff.login == query.staff_login)).first()
        if staff is None:
            raise ValidationError("staff", f"no member of staff with login {query.staff_login!r}")
        q = q.where(AuditEvent.staff_id == staff.id)
    if query.day:
        start, end = _day_bounds(query.day)
        q = q.where(col(AuditEvent.at) >= start, col(AuditEvent.at) < end)
    if query.action:
        action = query.action.strip().rstrip("*")
        if "." in action.rstrip("."):
            q = q.where(AuditEvent.action == action)
        else:
            q = q.where(col(AuditEvent.action).startswith(action.rstrip(".") + "."))
    return _rows(session, actor, list(session.exec(_newest(q, query.limit)).all()))


def access_log(
    session: Session,
    actor: Actor,
    *,
    case_id: int | None = None,
    staff_login: str | None = None,
    day: date | None = None,
    limit: int = 200,
) -> list[AccessRow]:
    """Views of restricted cases and refused attempts, newest first (auditors only)."""
    actor.require("audit.read")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"must be 1 to {MAX_LIMIT}")
    q = (
        select(AccessLog, Staff, CaseFile)
        .join(Staff, col(Staff.id) == col(AccessLog.staff_id))
        .join(CaseFile, col(CaseFile.id) == col(AccessLog.case_id))
    )
    if case_id is not None:
        q = q.where(AccessLog.case_id == case_id)
    if staff_login:
        q = q.where(Staff.login == staff_login)
    if day:
        start, end = _day_bounds(day)
        q = q.where(col(AccessLog.at) >= start, col(AccessLog.at) < end)
    q = q.order_by(col(AccessLog.at).desc(), col(AccessLog.id).desc()).limit(limit)
    return [
        AccessRow(
            log.at,
            staff.login,
            staff.name,
            log.os_user,
            case.reference,
            log.action,
            log.where,
            log.reason,
        )
        for log, staff, case in session.exec(q).all()
    ]
