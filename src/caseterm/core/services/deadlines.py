"""Deadlines: the statutory clocks running on a case, the next one for the case header, and a
team's or a member of staff's running clocks with working days left ("overdue by 3 working
days" in words when past)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseFile
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services.access import require_visible, visible_to
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.identity import Actor

DEADLINES_LIMIT = 500


@dataclass(frozen=True)
class ClockRow:
    id: int
    case_id: int
    case_reference: str
    clock: str
    label: str
    started_on: date
    due_date: date
    warn_date: date | None
    status: str
    stopped_on: date | None
    late_by: int | None
    reason: str
    working_days_left: int  # negative when overdue
    version: int
    letter_template: str = ""  # the letter its task issues (a template code), "" for none

    @property
    def overdue(self) -> bool:
        return self.status == ClockStatus.RUNNING and self.working_days_left < 0

    @property
    def in_words(self) -> str:
        """ "due today", "3 working days left", "OVERDUE by 2 working days", "met", "late by 1
        working day", "waived: reason"."""
        if self.status == ClockStatus.RUNNING:
            n = self.working_days_left
            if n < 0:
                return f"OVERDUE by {_days(-n)}"
            if n == 0:
                return "due today" if self.due_date <= clock.today() else "due next working day"
            return f"{_days(n)} left"
        if self.status == ClockStatus.LATE:
            return f"late by {_days(self.late_by or 0)}"
        if self.status == ClockStatus.WAIVED:
            return f"waived: {self.reason}"
        return "met"


def _days(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


def _row(c: CaseClock, reference: str, today: date, cal: WorkCalendar) -> ClockRow:
    left = cal.working_days_between(today, c.due_date)
    if c.due_date < today:
        left = min(left, -1)
    return ClockRow(
        id=c.id or 0,
        case_id=c.case_id,
        case_reference=reference,
        clock=c.clock,
        label=c.label,
        started_on=c.started_on,
        due_date=c.due_date,
        warn_date=c.warn_date,
        status=c.status,
        stopped_on=c.stopped_on,
        late_by=c.late_by,
        reason=c.reason,
        working_days_left=left,
        version=c.version,
        letter_template=c.letter_template,
    )


def row_of(c: CaseClock, reference: str, today: date, cal: WorkCalendar) -> ClockRow:
    """One clock as the lists show it (working days left counted in `cal` from `today`)."""
    return _row(c, reference, today, cal)


def case_clocks(session: Session, actor: Actor, *, case_id: int) -> list[ClockRow]:
    """A case's clocks: running ones first by end date, then the stopped ones, latest first."""
    actor.require("case.read")
    case = require_visible(session, actor, case_id, "clocks")
    cal, today = work_calendar(session), clock.today()
    found = session.exec(
        select(CaseClock).where(CaseClock.case_id == case_id).order_by(col(CaseClock.due_date))
    ).all()
    rows = [_row(c, case.reference, today, cal) for c in found]
    running = [r for r in rows if r.status == ClockStatus.RUNNING]
    done = sorted(
        (r for r in rows if r.status != ClockStatus.RUNNING),
        key=lambda r: r.stopped_on or r.due_date,
        reverse=True,
    )
    return running + done


def next_deadline(session: Session, actor: Actor, *, case_id: int) -> ClockRow | None:
    """The soonest running clock on a case (for the case header), or None."""
    actor.require("case.read")
    case = require_visible(session, actor, case_id, "clocks")
    found = session.exec(
        select(CaseClock)
        .where(CaseClock.case_id == case_id, CaseClock.status == ClockStatus.RUNNING)
        .order_by(col(CaseClock.due_date), col(CaseClock.id))
        .limit(1)
    ).first()
    if found is None:
        return None
    return _row(found, case.reference, clock.today(), work_calendar(session))


@dataclass(frozen=True)
class DeadlineList:
    rows: tuple[ClockRow, ...]
    hidden: int  # running clocks on restricted cases the actor may not see (counted, not listed)


def deadline_list(
    session: Session,
    actor: Actor,
    *,
    team_id: int | None = None,
    staff_id: int | None = None,
    overdue_only: bool = False,
    limit: int = DEADLINES_LIMIT,
) -> DeadlineList:
    """Running clocks on a team's cases or on cases a member of staff owns (else the actor's
    team, else the actor's own cases), soonest end first."""
    actor.require("case.read")
    today = clock.today()
    query = (
        select(CaseClock, CaseFile.reference)
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .where(CaseClock.status == ClockStatus.RUNNING)
    )
    if staff_id is not None:
        query = query.where(CaseFile.owner_id == staff_id)
    elif team_id is not None or actor.team_id is not None:
        query = query.where(CaseFile.team_id == (team_id if team_id is not None else actor.team_id))
    else:
        query = query.where(CaseFile.owner_id == actor.id)
    if overdue_only:
        query = query.where(col(CaseClock.due_date) < today)
    hidden_query = query.where(~visible_to(actor))
    hidden = len(session.exec(hidden_query).all())
    found = session.exec(
        query.where(visible_to(actor))
        .order_by(col(CaseClock.due_date), col(CaseClock.id))
        .limit(limit)
    ).all()
    cal = work_calendar(session)
    return DeadlineList(tuple(_row(c, ref, today, cal) for c, ref in found), hidden)
