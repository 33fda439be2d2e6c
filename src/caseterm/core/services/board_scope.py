"""Whose figures the board and the reports count (a team, or an office with every team in it),
and the conditions that pick its tasks, appointments, cases and the work in hand at the end of a
day. Shared by `board`, `board_lists` and `reports`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, Office, Staff, Task, Team, WorkCheck
from caseterm.core.models.vocab import AppointmentStatus, TaskStatus
from caseterm.core.services.identity import Actor

KEPT = (AppointmentStatus.ARRIVED, AppointmentStatus.SEEN)
MISSED = AppointmentStatus.FAILED_TO_ATTEND


@dataclass(frozen=True)
class Scope:
    """Whose figures: one team, or one office (every team in it)."""

    kind: Literal["team", "office"]
    id: int
    code: str
    name: str

    @property
    def title(self) -> str:
        return f"{self.kind} {self.code} {self.name}"


def resolve_scope(
    session: Session,
    actor: Actor,
    *,
    team: str | None = None,
    office: str | None = None,
    code: str | None = None,
) -> Scope:
    """A team or an office by code; by default the actor's team (else their office). `code`
    is either: a team's code if one has it, else an office's."""
    actor.require("case.read")
    found: Team | None = None
    if code and code.strip():
        wanted = code.strip().upper()
        found = session.exec(select(Team).where(col(Team.code) == wanted)).first()
        if found is not None:
            team = wanted
        else:
            office = wanted
    if team and office:
        raise ValidationError("team", "give a team or an office, not both")
    if team or (not office and actor.team_id is not None):
        if found is None:  # one read of the team (a code already read it)
            found = (
                session.exec(select(Team).where(col(Team.code) == team.strip().upper())).first()
                if team
                else session.get(Team, actor.team_id)
            )
        if found is None or found.id is None:
            codes = ", ".join(session.exec(select(Team.code).order_by(col(Team.code))).all())
            raise ValidationError("team", f"no team {team!r} (teams: {codes or 'none yet'})")
        return Scope("team", found.id, found.code, found.name)
    got = (
        session.exec(select(Office).where(col(Office.code) == office.strip().upper())).first()
        if office
        else (session.get(Office, actor.office_id) if actor.office_id else None)
    )
    if got is None or got.id is None:
        codes = ", ".join(session.exec(select(Office.code).order_by(col(Office.code))).all())
        what = repr(office) if office else "given, and you have no team or office"
        raise ValidationError("office", f"no office {what} (offices: {codes or 'none yet'})")
    return Scope("office", got.id, got.code, got.name)


def team_ids(session: Session, scope: Scope) -> list[int]:
    """The ids of the scope's teams: the team, or every team in the office."""
    if scope.kind == "team":
        return [scope.id]
    return [t for t in session.exec(select(Team.id).where(Team.office_id == scope.id)) if t]


def task_scope(session: Session, scope: Scope) -> Any:
    """The scope's tasks: the team's, or those of the office or of any team in it."""
    if scope.kind == "team":
        return col(Task.team_id) == scope.id
    return or_(col(Task.office_id) == scope.id, col(Task.team_id).in_(team_ids(session, scope)))


def task_scope_parts(session: Session, scope: Scope) -> tuple[Any, ...]:
    """`task_scope` as conditions that pick no task twice, so counts can run once per part and
    be added up: each part is a range of one index (an OR across two columns is not)."""
    if scope.kind == "team":
        return (col(Task.team_id) == scope.id,)
    return (
        col(Task.office_id) == scope.id,
        and_(
            col(Task.team_id).in_(team_ids(session, scope)),
            col(Task.office_id).is_distinct_from(scope.id),
        ),
    )


def appointment_scope(session: Session, scope: Scope) -> Any:
    if scope.kind == "office":
        return col(Appointment.office_id) == scope.id
    members = select(Staff.id).where(Staff.team_id == scope.id)
    return col(Appointment.staff_id).in_(members)


def case_scope(session: Session, scope: Scope) -> Any:
    if scope.kind == "team":
        return col(CaseFile.team_id) == scope.id
    return col(CaseFile.office_id) == scope.id


def check_scope(session: Session, scope: Scope) -> Any:
    """The scope's sampled checks: those of the team's work, or of any team in the office (a
    check belongs to the team whose work was sampled)."""
    if scope.kind == "team":
        return col(WorkCheck.team_id) == scope.id
    return col(WorkCheck.team_id).in_(team_ids(session, scope))


def day_start(d: date) -> datetime:
    return datetime.combine(d, time.min)


def open_at_end_of(d: date) -> Any:
    """Tasks that were work in hand at the end of day `d`: open or done now, created and (if
    they went through triage) triaged by then, and not completed by then. A task's assignee is
    the current one; cancelled tasks are left out (when they were cancelled is not recorded)."""
    end = day_start(d + timedelta(days=1))
    return and_(
        col(Task.status).in_((TaskStatus.OPEN, TaskStatus.DONE)),
        col(Task.created_at) < end,
        or_(col(Task.triaged_at).is_(None), col(Task.triaged_at) < end),
        or_(col(Task.completed_at).is_(None), col(Task.completed_at) >= end),
    )


def may_be_open_after(d: date) -> Any:
    """A superset of `open_at_end_of(d)` (and of any later day) that a covering index can
    serve: open or done now, and not completed before the end of `d`. The created_at and
    triaged_at tests stay with the count (`case(...)`), as a bound on created_at would tempt the
    planner onto an index that does not hold the other columns."""
    end = day_start(d + timedelta(days=1))
    return and_(
        col(Task.status).in_((TaskStatus.OPEN, TaskStatus.DONE)),
        or_(col(Task.completed_at).is_(None), col(Task.completed_at) >= end),
    )
