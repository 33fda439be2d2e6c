"""The board's outcome figures: statutory deadlines met and missed (from the case clocks) and
letters issued and checked (from the letters), and sampled checks passed and failed, per day.
Counted by grouped queries joined to the scope's cases, so restricted cases are counted and never
named here; the lists behind them are `board_lists`' job.

A deadline is counted on the day its clock stopped: met if it stopped on or before its end,
missed (late) if after. Waived clocks and clocks still running are neither. A letter is issued
on the day it was issued, and checked on the day a checker approved or rejected it (a rejected
letter that is sent again for checking clears its check, so only its latest check counts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, literal_column
from sqlmodel import Session, col, select

from caseterm.core.models import CaseClock, CaseFile, Document, WorkCheck
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.services.board_scope import Scope, case_scope, check_scope, day_start

LETTER = "letter"
ISSUED, CHECKED = "issued", "checked"
PASSED, FAILED = "passed", "failed"


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def deadlines_query(session: Session, scope: Scope, first: date) -> Any:
    """Clocks stopped met or late from `first` on, counted by day and status."""
    return (
        select(col(CaseClock.stopped_on), col(CaseClock.status), func.count())
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .where(
            col(CaseClock.stopped_on) >= first,
            col(CaseClock.status).in_((ClockStatus.MET, ClockStatus.LATE)),
            case_scope(session, scope),
        )
        .group_by(col(CaseClock.stopped_on), col(CaseClock.status))
    )


def deadlines_by_day(rows: Iterable[Any]) -> dict[date, tuple[int, int]]:
    """(met, missed) deadlines per day their clocks stopped, from `deadlines_query`'s rows."""
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, status, n in rows:
        out[as_date(d)][1 if status == ClockStatus.LATE else 0] += int(n)
    return {d: (met, late) for d, (met, late) in out.items()}


def letters_arms(
    session: Session,
    scope: Scope,
    first: date,
    until: date | None = None,
    *,
    few_days: bool = False,
) -> list[Any]:
    """The scope's letters issued, and its letters checked, from `first` on (before `until`,
    when given), counted by day, as two reads of (ISSUED or CHECKED, day, count). Over a few
    days (`few_days`, a refresh's yesterday and today) each is a range of the letters by the day
    they were issued or checked (indexes led by each day, migration 0034), each letter's case
    tested against the scope's cases, read once (`case_id + 0` keeps SQLite from seeking every
    case of the team instead); PostgreSQL reads those ranges whatever the stretch and
    hash-joins them to the scope's cases. Over many days SQLite seeks each of the scope's cases
    (`ix_document_case_kind_issued_checked`)."""
    since = day_start(first)
    arms = []
    for which, at in ((ISSUED, col(Document.issued_at)), (CHECKED, col(Document.checked_at))):
        day = func.date(at)
        bounds = [at >= since] if until is None else [at >= since, at < day_start(until)]
        q = select(literal(which).label("which"), day.label("day"), func.count())
        if few_days:
            cases = select(col(CaseFile.id)).where(case_scope(session, scope))
            q = q.where((col(Document.case_id) + literal_column("0")).in_(cases))
        else:
            q = q.join(CaseFile, col(CaseFile.id) == col(Document.case_id))
            q = q.where(case_scope(session, scope))
        arms.append(q.where(*bounds, col(Document.kind) == LETTER).group_by(day))
    return arms


def letters_issued_and_checked(
    rows: Iterable[Any], first: date, until: date | None = None
) -> tuple[dict[date, int], dict[date, int]]:
    """How many letters were issued, and how many checked, on each day from `first` (and
    before `until`, when given), from `letters_query`'s rows."""
    issued: dict[date, int] = defaultdict(int)
    checked: dict[date, int] = defaultdict(int)
    for which, on, n in rows:
        if on is not None and (d := as_date(on)) >= first and (until is None or d < until):
            (issued if which == ISSUED else checked)[d] += int(n)
    return dict(issued), dict(checked)


def checks_query(session: Session, scope: Scope, first: date) -> Any:
    """Sampled checks decided from `first` on, counted by day and outcome: one range of the
    checks' (team, checked_at) index per team."""
    day = func.date(WorkCheck.checked_at)
    return (
        select(day, col(WorkCheck.status), func.count())
        .where(
            check_scope(session, scope),
            col(WorkCheck.checked_at) >= day_start(first),
            col(WorkCheck.status).in_((PASSED, FAILED)),
        )
        .group_by(day, col(WorkCheck.status))
    )


def checks_by_day(rows: Iterable[Any]) -> dict[date, tuple[int, int]]:
    """(passed, failed) sampled checks per day they were decided, from `checks_query`'s rows."""
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, status, n in rows:
        out[as_date(d)][1 if status == FAILED else 0] += int(n)
    return {d: (passed, failed) for d, (passed, failed) in out.items()}
