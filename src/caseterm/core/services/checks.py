"""Sampled cross-checking (seeds 002 and 003): a co-ordinator sets what share of a team's work of
each kind is checked; each day a reproducible sample of the work done becomes checks for the
team's checkers (never the officer who did it); a checker passes or fails each, and a failure
raises a rework task to the officer. The outcomes are the accuracy figures per officer and team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import (
    CheckRate,
    ContactEntry,
    Payment,
    Staff,
    StaffRole,
    Task,
    Team,
    WorkCheck,
)
from caseterm.core.models.money import TxnKind
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules import checks as rules
from caseterm.core.rules.roles import roles_allowing
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class RateInfo:
    id: int
    team: str
    work_kind: str
    staff: str  # login, "" for the team's rate
    percent: int


@dataclass(frozen=True)
class DrawnCheck:
    id: int | None  # None on a dry run
    team: str
    work_kind: str
    item_id: int
    officer: str
    checker: str


@dataclass(frozen=True)
class DrawResult:
    day: date
    drawn: list[DrawnCheck]
    already: int  # items of the sample that were drawn before (nothing new for them)
    dry_run: bool


def _team(session: Session, code: str) -> Team:
    team = session.exec(select(Team).where(Team.code == code)).first()
    if team is None:
        raise NotFoundError("team", code)
    return team


def _kind(work_kind: str) -> rules.WorkKind:
    kinds = rules.work_kinds()
    if work_kind not in kinds:
        raise ValidationError("kind", f"unknown kind of work {work_kind!r}; use {', '.join(kinds)}")
    return kinds[work_kind]


def _logins(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Staff.id, Staff.login).where(col(Staff.id).in_(ids))).all()
    return {i: login for i, login in rows if i is not None}


def set_rate(
    session: Session,
    actor: Actor,
    *,
    team: str,
    work_kind: str,
    percent: int,
    staff_login: str | None = None,
) -> RateInfo:
    """Set (or change) the share of a team's work of one kind that is checked; with
    `staff_login`, the rate for that officer's work alone (a new starter). 0 stops sampling."""
    actor.require("check.rate")
    the_team = _team(session, team)
    _kind(work_kind)
    if not 0 <= percent <= 100:
        raise ValidationError("percent", f"must be from 0 to 100, not {percent}")
    staff: Staff | None = None
    if staff_login:
        staff = session.exec(select(Staff).where(Staff.login == staff_login)).first()
        if staff is None:
            raise NotFoundError("member of staff", staff_login)
        if staff.team_id != the_team.id:
            raise ValidationError("staff", f"{staff_login} is not in team {team}")
    key = staff.id if staff is not None and staff.id is not None else 0
    rate = session.exec(
        select(CheckRate).where(
            CheckRate.team_id == the_team.id,
            CheckRate.work_kind == work_kind,
            CheckRate.staff_key == key,
        )
    ).first()
    before = {"percent": rate.percent} if rate is not None else None
    if rate is None:
        rate = CheckRate(
            team_id=the_team.id or 0,
            work_kind=work_kind,
            staff_id=staff.id if staff else None,
            staff_key=key,
            percent=percent,
        )
    rate.percent = percent
    rate.set_by_id = actor.id
    rate.set_at = clock.now()
    session.add(rate)
    session.flush()
    audit.record(
        session,
        actor,
        "check.rate_set",
        "check_rate",
        rate.id,
        summary=f"{team} {work_kind}{' ' + staff_login if staff_login else ''}: {percent}%",
        before=before,
        after={
            "team": team,
            "work_kind": work_kind,
            "staff": staff_login or "",
            "percent": percent,
        },
    )
    return RateInfo(rate.id or 0, team, work_kind, staff_login or "", percent)


def list_rates(session: Session, actor: Actor) -> list[RateInfo]:
    """Every sampling rate, by team, kind, then officer."""
    actor.require("case.read")
    rows = session.exec(
        select(CheckRate, Team.code)
        .join(Team, col(Team.id) == CheckRate.team_id)
        .order_by(col(Team.code), col(CheckRate.work_kind), col(CheckRate.staff_key))
    ).all()
    logins = _logins(session, {r.staff_id for r, _ in rows if r.staff_id is not None})
    return [
        RateInfo(r.id or 0, code, r.work_kind, logins.get(r.staff_id or 0, ""), r.percent)
        for r, code in rows
    ]


def _day_window(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time())
    return start, start + timedelta(days=1)


def _work_done(
    session: Session, work_kind: str, staff_ids: Sequence[int], day: date
) -> list[tuple[int, int, int | None]]:
    """(item id, officer id, case id) of the work of one kind done on `day` by these officers."""
    if not staff_ids:
        return []
    start, end = _day_window(day)
    if work_kind == "task":
        rows = session.exec(
            select(Task.id, Task.completed_by_id, Task.case_id).where(
                Task.status == TaskStatus.DONE,
                col(Task.completed_by_id).in_(staff_ids),
                col(Task.completed_at) >= start,
                col(Task.completed_at) < end,
            )
        ).all()
    elif work_kind == "contact":
        rows = session.exec(
            select(ContactEntry.id, ContactEntry.staff_id, ContactEntry.case_id).where(
                col(ContactEntry.staff_id).in_(staff_ids),
                col(ContactEntry.logged_at) >= start,
                col(ContactEntry.logged_at) < end,
            )
        ).all()
    elif work_kind == "write_off":
        rows = session.exec(
            select(Payment.id, Payment.created_by_id, Payment.case_id).where(
                Payment.kind == TxnKind.WRITE_OFF,
                col(Payment.created_by_id).in_(staff_ids),
                col(Payment.created_at) >= start,
                col(Payment.created_at) < end,
            )
        ).all()
    else:
        raise ValidationError("kind", f"no work of kind {work_kind!r} can be sampled")
    return [(i, who, case) for i, who, case in rows if i is not None and who is not None]


def _checkers(session: Session, team_id: int) -> list[int]:
    """Active members of the team whose roles let them check work."""
    rows = session.exec(
        select(Staff.id)
        .join(StaffRole, col(StaffRole.staff_id) == Staff.id)
        .where(
            Staff.team_id == team_id,
            col(Staff.active).is_(True),
            col(StaffRole.role).in_(roles_allowing("document.check")),
        )
        .distinct()
    ).all()
    return sorted(i for i in rows if i is not None)


ROWS_PER_INSERT = 500  # checks per multi-row INSERT … RETURNING


def _insert_checks(
    session: Session,
    day: date,
    made: Sequence[tuple[int | None, int, str, int, int, int | None]],
    cases: dict[tuple[str, int], int | None],
) -> dict[tuple[str, int], int]:
    """Insert the drawn checks a few hundred to a statement (a day's sample over a large office
    is thousands: one ORM object and flush each took seconds); each new check's id by its
    (work kind, item), which is unique."""
    now = clock.now()
    rows = [
        {
            "drawn_for": day,
            "team_id": team_id,
            "work_kind": kind,
            "item_id": item_id,
            "case_id": cases[(kind, item_id)],
            "officer_id": officer_id,
            "checker_id": checker_id,
            "status": "pending",
            "category": "",
            "notes": "",
            "created_at": now,
        }
        for _, team_id, kind, item_id, officer_id, checker_id in made
    ]
    ids: dict[tuple[str, int], int] = {}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        returned = session.execute(
            insert(WorkCheck).returning(
                col(WorkCheck.id), col(WorkCheck.work_kind), col(WorkCheck.item_id)
            ),
            rows[start : start + ROWS_PER_INSERT],
        )
        ids.update({(str(kind), int(item)): int(i) for i, kind, item in returned})
    return ids


def draw_checks(
    session: Session, actor: Actor, *, day: date | None = None, dry_run: bool = False
) -> DrawResult:
    """Draw the sample of `day`'s work (default yesterday) at every team's rates and make checks
    of it. The sample is seeded from the date, team, kind (and officer, for an officer's own
    rate), so drawing again gives the same items: those already drawn are left as they are."""
    actor.require("check.rate")
    day = day or clock.today() - timedelta(days=1)
    rates = session.exec(select(CheckRate).where(CheckRate.percent > 0)).all()
    teams = {t.id: t.code for t in session.exec(select(Team)).all()}
    made: list[tuple[int | None, int, str, int, int, int | None]] = []
    already = 0
    by_team: dict[tuple[int, str], list[CheckRate]] = defaultdict(list)
    for rate in rates:
        by_team[(rate.team_id, rate.work_kind)].append(rate)
    members_of: dict[int, list[int]] = {}
    checkers_of: dict[int, list[int]] = {}
    cases: dict[tuple[str, int], int | None] = {}
    for team_id, _ in by_team:
        if team_id not in members_of:
            members_of[team_id] = sorted(
                i
                for i in session.exec(select(Staff.id).where(Staff.team_id == team_id)).all()
                if i is not None
            )
            checkers_of[team_id] = _checkers(session, team_id)
    # The day's work of each kind by every officer with a rate of that kind, read once (not once
    # per team and rate), then shared out by officer.
    sampled: dict[str, set[int]] = defaultdict(set)
    for (team_id, work_kind), team_rates in by_team.items():
        sampled[work_kind].update(members_of[team_id])
        sampled[work_kind].update(r.staff_id for r in team_rates if r.staff_id is not None)
    work_of_day = {
        kind: _work_done(session, kind, sorted(staff), day) for kind, staff in sampled.items()
    }
    for (team_id, work_kind), team_rates in sorted(by_team.items()):
        own = {r.staff_id for r in team_rates if r.staff_id is not None}
        for rate in sorted(team_rates, key=lambda r: r.staff_key):
            officers = (
                [rate.staff_id]
                if rate.staff_id is not None
                else [m for m in members_of[team_id] if m not in own]
            )
            wanted = set(officers)
            done = [w for w in work_of_day[work_kind] if w[1] in wanted]
            seed = rules.sample_seed(day, team_id, work_kind, rate.staff_id)
            chosen = rules.draw_sample([i for i, _, _ in done], rate.percent, seed)
            about = {i: (who, case) for i, who, case in done}
            existing = set(
                session.exec(
                    select(WorkCheck.item_id).where(
                        WorkCheck.work_kind == work_kind, col(WorkCheck.item_id).in_(chosen)
                    )
                ).all()
            )
            for item_id in chosen:
                if item_id in existing:
                    already += 1
                    continue
                officer_id, case_id = about[item_id]
                checker_id = rules.pick_checker(
                    checkers_of[team_id], officer_id, f"{seed}|item:{item_id}"
                )
                made.append((None, team_id, work_kind, item_id, officer_id, checker_id))
                cases[(work_kind, item_id)] = case_id
    if not dry_run and made:
        ids = _insert_checks(session, day, made, cases)
        made = [(ids[(m[2], m[3])], *m[1:]) for m in made]
    logins = _logins(session, {m[4] for m in made} | {m[5] for m in made if m[5] is not None})
    drawn = [
        DrawnCheck(
            check_id,
            teams.get(team_id, ""),
            kind,
            item_id,
            logins.get(officer_id, ""),
            logins.get(checker_id, "") if checker_id is not None else "",
        )
        for check_id, team_id, kind, item_id, officer_id, checker_id in made
    ]
    if not dry_run and drawn:
        audit.record(
            session,
            actor,
            "check.drawn",
            "work_check",
            None,
            summary=f"{len(drawn)} check(s) drawn for {day.isoformat()}",
            after={"day": day.isoformat(), "checks": [d.id for d in drawn]},
        )
    return DrawResult(day, drawn, already, dry_run)
