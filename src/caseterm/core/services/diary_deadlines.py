"""Statutory deadlines in the diary: the running clocks that fall due in a range of days on the
cases a member of staff owns (or a team's cases), shown in the diary's agenda beside the
appointments. A range that holds today shows the clocks already overdue too, first, marked in
words. Clocks on restricted cases the actor may not see are counted, never listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseFile, Person, Staff
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.services.access import visible_to
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.deadlines import ClockRow, row_of
from caseterm.core.services.identity import Actor

MAX_DEADLINES = 500  # a diary range shows at most this many


@dataclass(frozen=True)
class DiaryDeadline:
    """A clock's end as the diary shows it: the clock, whose case it is and whom it is about."""

    clock: ClockRow
    person_name: str
    owner_name: str

    @property
    def due_date(self) -> date:
        return self.clock.due_date

    @property
    def case_id(self) -> int:
        return self.clock.case_id


@dataclass(frozen=True)
class DiaryDeadlines:
    rows: tuple[DiaryDeadline, ...]
    hidden: int  # on restricted cases the actor may not see (counted, not listed)


def diary_deadlines(
    session: Session,
    actor: Actor,
    *,
    first: date,
    last: date,
    staff_id: int | None = None,
    team_id: int | None = None,
) -> DiaryDeadlines:
    """Running clocks due from `first` to `last` on the cases `staff_id` owns, or on `team_id`'s
    cases (one of them), soonest first; when the range holds today, the overdue ones too.
    Deadlines are the cases' business: reading them needs the case capability as well (the
    reception desk reads the diary's appointments only)."""
    actor.require("diary.read")
    actor.require("case.read")
    if (staff_id is None) == (team_id is None):
        raise ValueError("give staff_id or team_id")
    today = clock.today()
    since = date.min if first <= today <= last else first
    query = (
        select(CaseClock, col(CaseFile.reference), Person, col(Staff.name))
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .join(Person, col(Person.id) == col(CaseFile.subject_id), isouter=True)
        .join(Staff, col(Staff.id) == col(CaseFile.owner_id), isouter=True)
        .where(
            CaseClock.status == ClockStatus.RUNNING,
            col(CaseClock.due_date) >= since,
            col(CaseClock.due_date) <= last,
        )
    )
    if staff_id is not None:
        query = query.where(CaseFile.owner_id == staff_id)
    else:
        query = query.where(CaseFile.team_id == team_id)
    hidden = len(session.exec(query.where(~visible_to(actor))).all())
    found = session.exec(
        query.where(visible_to(actor))
        .order_by(col(CaseClock.due_date), col(CaseClock.id))
        .limit(MAX_DEADLINES)
    ).all()
    cal = work_calendar(session)
    rows = tuple(
        DiaryDeadline(
            row_of(c, reference, today, cal),
            person.full_name if person is not None else "",
            owner or "",
        )
        for c, reference, person, owner in found
    )
    return DiaryDeadlines(rows, hidden)
