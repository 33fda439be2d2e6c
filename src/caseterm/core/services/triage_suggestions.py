"""Triage's duplicate suggestions: who an incoming item may be about, with their cases, desk
warnings and open tasks — as much of it as the reader may see.

A suggested person whose every case the reader may not see is shown as search shows them:
"Restricted", no date of birth, "restricted — ask OWNER" instead of the matching names, and no
warnings or open tasks. An open task on a case the reader may not see is left out. Every
restricted case the item brings up goes to the access log: refused when hidden, viewed when
shown (call `load_item` in a writing session to keep those rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from caseterm.core.models import CaseFile, Office, Person, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.services import intake_files, people
from caseterm.core.services.access import (
    ask_whom,
    can_see,
    hidden_people,
    log_access,
    shown_person,
)
from caseterm.core.services.case_info import PersonInfo, WarningInfo
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo

if TYPE_CHECKING:
    from caseterm.core.services.search import PersonMatch

WHERE = "triage"


@dataclass
class CaseSummary:
    case_id: int
    reference: str
    status: str
    owner: str
    restricted: bool  # hidden from the reader: show only the reference and whom to ask


@dataclass(frozen=True)
class TriageItem:
    """One incoming item as triage shows it: plain data, never the table rows."""

    task: TaskInfo
    received_at: datetime  # when it was logged
    source: str
    person: PersonInfo | None  # masked when the reader may not see them
    case: CaseSummary | None
    suggestions: list[Any] = field(default_factory=list)  # search.PersonMatch
    suggested_cases: dict[int, list[CaseSummary]] = field(default_factory=dict)
    warnings: dict[int, list[WarningInfo]] = field(default_factory=dict)
    open_tasks: dict[int, list[TaskInfo]] = field(default_factory=dict)
    intake_file: Any = None  # intake_files.IntakeInfo: the file it came with from the folder
    office_name: str = ""  # the office it arrived at ("" when none)


class _Seen:
    """The restricted cases an item brings up, each logged once: refused or viewed."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session, self.actor = session, actor
        self.logged: set[int] = set()
        self.visible: dict[int, bool] = {}

    def summary(self, case: CaseFile) -> CaseSummary:
        hidden = not self.can_see(case)
        return CaseSummary(
            case_id=case.id or 0,
            reference=case.reference,
            status="" if hidden else case.status,
            owner=ask_whom(self.session, case) if hidden else _owner(self.session, case),
            restricted=hidden,
        )

    def can_see(self, case: CaseFile) -> bool:
        cid = case.id or 0
        if cid not in self.visible:
            self.visible[cid] = can_see(self.session, self.actor, case)
            if case.restricted and cid not in self.logged:
                self.logged.add(cid)
                action = "viewed" if self.visible[cid] else "refused"
                log_access(self.session, self.actor, case_id=cid, action=action, where=WHERE)
        return self.visible[cid]


def _owner(session: Session, case: CaseFile) -> str:
    return staff_name(session, case.owner_id) if case.owner_id else "unallocated"


def _masked_person(person: Person) -> PersonInfo:
    """The person showing only what the masking policy allows."""
    shown = shown_person(person.full_name, person.date_of_birth, hidden=True)
    return replace(
        PersonInfo.of(person),
        given_name=shown.name,
        family_name="",
        date_of_birth=shown.date_of_birth,
    )


def _suggest(session: Session, task: Task, person: Person | None) -> list[PersonMatch]:
    from caseterm.core.services import search  # loaded when triage first needs it

    if person is not None:
        matches = search.find_people(
            session, text=person.full_name, date_of_birth=person.date_of_birth, limit=6
        )
        return [m for m in matches if m.person_id != person.id]
    if task.about_name:
        return search.find_people(
            session, text=task.about_name, date_of_birth=task.about_dob, limit=6
        )
    # Items logged without a name (older ones, other sources): titles often read
    # "New referral: Given Family", with the name after the colon.
    return search.find_people(session, text=task.title.split(":", 1)[-1], limit=6)


def load_item(session: Session, actor: Actor, *, task_id: int) -> TriageItem:
    """Everything needed to decide one item: what arrived and from whom, the person and case it
    is linked to, and duplicate suggestions with their cases, warnings and open tasks, masked
    as the module docstring says."""
    actor.require("task.work")
    seen = _Seen(session, actor)
    task = get(session, Task, task_id, "task")
    person = session.get(Person, task.person_id) if task.person_id else None
    case = session.get(CaseFile, task.case_id) if task.case_id else None
    suggestions = _suggest(session, task, person)
    ids = [m.person_id for m in suggestions] + ([person.id] if person and person.id else [])
    hidden = hidden_people(session, actor, person_ids=ids)
    for pid in hidden:
        seen.can_see(hidden[pid])  # logs the refusal
    item = TriageItem(
        task=TaskInfo.of(task),
        received_at=task.created_at,
        source=task.source,
        person=_shown_person(person, hidden),
        case=seen.summary(case) if case else None,
        suggestions=[
            replace(
                m,
                name=shown_person(m.name, m.date_of_birth, hidden=True).name,
                date_of_birth=None,
                reasons=[f"restricted — ask {ask_whom(session, hidden[m.person_id])}"],
            )
            if m.person_id in hidden
            else m
            for m in suggestions
        ],
        intake_file=intake_files.file_of_item(session, actor, task_id=task_id),
        office_name=_office_name(session, task.office_id),
    )
    for pid in ids:
        subject_cases = session.exec(
            select(CaseFile)
            .where(CaseFile.subject_id == pid)
            .order_by(col(CaseFile.id).desc())
            .limit(5)
        ).all()
        item.suggested_cases[pid] = [seen.summary(c) for c in subject_cases]
        visible = pid not in hidden and all(not s.restricted for s in item.suggested_cases[pid])
        warnings = people.warnings_for(session, pid) if visible else []
        item.warnings[pid] = [WarningInfo.of(w) for w in warnings]
        item.open_tasks[pid] = [] if pid in hidden else _open_tasks(session, seen, pid, task_id)
    return item


def _office_name(session: Session, office_id: int | None) -> str:
    office = session.get(Office, office_id) if office_id else None
    return office.name if office else ""


def _shown_person(person: Person | None, hidden: Mapping[int, object]) -> PersonInfo | None:
    if person is None:
        return None
    return _masked_person(person) if person.id in hidden else PersonInfo.of(person)


def _open_tasks(session: Session, seen: _Seen, person_id: int, task_id: int) -> list[TaskInfo]:
    """The person's open tasks, leaving out those on cases the reader may not see."""
    rows = session.exec(
        select(Task, CaseFile)
        .join(CaseFile, col(CaseFile.id) == col(Task.case_id), isouter=True)
        .where(Task.person_id == person_id, Task.status == TaskStatus.OPEN, col(Task.id) != task_id)
        .order_by(col(Task.id))
        .limit(20)
    ).all()
    return [TaskInfo.of(t) for t, c in rows if c is None or seen.can_see(c)][:5]
