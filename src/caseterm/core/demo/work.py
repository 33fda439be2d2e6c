"""Demo tasks and review schedules: work on every case (done, open, overdue, unallocated),
enforcement where absences or arrears call for it, checks awaiting checkers, transfers in,
the untriaged incoming items, and the demo user's own work."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from caseterm.core.demo.context import CaseInfo, Ctx, PersonInfo, Weighted
from caseterm.core.demo.letters import write_document
from caseterm.core.demo.texts import INCOMING, TASK_OUTCOMES, TASK_TITLES, TITLE_CASE_TYPES
from caseterm.core.rules.catalogue import INCOMING_KINDS

OPEN_KINDS: Weighted[str] = Weighted(
    (
        ("letter_to_issue", 14),
        ("appointment_to_book", 14),
        ("papers_to_chase", 10),
        ("court_result", 6),
        ("general", 12),
    )
)
DONE_KINDS: Weighted[str] = Weighted(
    (
        ("letter_to_issue", 20),
        ("appointment_to_book", 20),
        ("papers_to_chase", 10),
        ("court_result", 8),
        ("general", 10),
        ("review_due", 10),
        ("check_request", 6),
        ("new_referral", 8),
        ("post_in", 8),
        ("phone_message", 6),
    )
)
PRIORITIES: Weighted[int] = Weighted(((1, 4), (2, 18), (3, 63), (4, 15)))
INCOMING_PRIORITIES: Weighted[int] = Weighted(((1, 5), (2, 25), (3, 70)))
FTA_LIMIT_TYPES = ("OM", "UPW", "PROG")
LIVE = ("referral", "open", "transfer_pending")


def add_task(
    ctx: Ctx,
    kind: str,
    *,
    case: CaseInfo | None,
    status: str = "open",
    assignee: int | None = None,
    team_id: int | None = None,
    office: str | None = None,
    due: date | None = None,
    created: datetime | None = None,
    priority: int = 3,
    title: str | None = None,
    details: str = "",
    source: str = "",
    person_id: int | None = None,
    triaged_by: int | None = None,
    about: PersonInfo | None = None,
) -> int:
    w = ctx.w
    task_id = w.next_id("task")
    created = created or ctx.now - timedelta(days=ctx.between(1, 20), hours=ctx.between(0, 8))
    done = status == "done"
    completed = None
    if done:
        completed = min(
            created + timedelta(days=ctx.between(0, 10), hours=ctx.between(1, 6)), ctx.now
        )
    # The case reference is not repeated in the title: every list shows it in its own column.
    label = title or ctx.pick(_titles(kind, case))
    office_code = office or (case.office if case else None)
    # Incoming items that were dealt with went through triage first.
    triaged = None
    if kind in INCOMING_KINDS and status != "untriaged":
        triaged_by = triaged_by or assignee or (case.admin_owner_id if case else None)
        if triaged_by is not None:
            triaged = min(created + timedelta(minutes=ctx.between(10, 600)), ctx.now)
    w.add(
        "task",
        {
            "id": task_id,
            "kind": kind,
            "title": label[:300],
            "details": details,
            "case_id": case.id if case else None,
            "person_id": person_id
            if person_id is not None
            else (case.subject.id if case else None),
            "office_id": ctx.offices[office_code].id if office_code else None,
            "team_id": team_id if team_id is not None else (case.team_id if case else None),
            "assignee_id": assignee,
            "due_date": due,
            "priority": priority,
            "status": status,
            "source": source[:200],
            "about_name": f"{about.given} {about.family}" if about else "",
            "about_dob": about.dob if about else None,
            "completed_at": completed,
            "completed_by_id": assignee if done else None,
            "outcome": ctx.pick(TASK_OUTCOMES) if done else "",
            "triaged_at": triaged,
            "triaged_by_id": triaged_by,
            "created_at": created,
            "updated_at": completed or created,
            "updated_by_id": assignee if done else None,
            "version": 2 if done else 1,
        },
    )
    if completed is not None and completed >= ctx.now - timedelta(days=14):
        ctx.audit(
            completed,
            assignee,
            "task.complete",
            "task",
            task_id,
            f"completed: {label}"[:500],
            case_id=case.id if case else None,
        )
    return task_id


def _titles(kind: str, case: CaseInfo | None) -> tuple[str, ...]:
    """The kind's titles that fit the case's type (all of them when no case)."""
    titles = TASK_TITLES[kind]
    if case is None:
        return titles
    fitting = tuple(
        t for t in titles if case.type_code in TITLE_CASE_TYPES.get(t, (case.type_code,))
    )
    return fitting or titles[:1]


def case_work(ctx: Ctx, case: CaseInfo, unacceptable: int, checkers: dict[str, list[int]]) -> None:
    """Done tasks over the case's life; for a live case its open work and reviews."""
    rng, size = ctx.rng, ctx.size
    end = case.closed_on or ctx.today
    for _ in range(int(rng.expovariate(1 / (size.tasks_per_case * 0.5)) + 0.5)):
        day = case.opened_on + timedelta(days=ctx.between(0, max(0, (end - case.opened_on).days)))
        created = ctx.at(day, ctx.between(8, 16), ctx.between(0, 59))
        if created >= ctx.now:
            continue
        assignee = case.owner_id or case.admin_owner_id
        add_task(
            ctx,
            ctx.draw(DONE_KINDS),
            case=case,
            status="done",
            assignee=assignee,
            created=created,
            due=day + timedelta(days=5),
        )
    _reviews(ctx, case)
    if case.status not in LIVE:
        return
    for _ in range(int(rng.expovariate(1 / (size.tasks_per_case * 0.4)) + 0.5)):
        _open_task(ctx, case, ctx.draw(OPEN_KINDS))
    if case.type_code in FTA_LIMIT_TYPES and unacceptable >= 2:
        _open_task(
            ctx,
            case,
            "enforcement",
            priority=2,
            title="Enforcement: consider breach",
            details=f"{unacceptable} unacceptable absences in the last 12 months.",
        )
    elif unacceptable == 1:
        _open_task(ctx, case, "fta_follow_up", priority=2)
    if case.id in ctx.arrears:
        _open_task(
            ctx,
            case,
            "enforcement",
            title="Enforcement: arrears, further steps",
            details="Two or more instalments missed.",
        )
    if case.id in ctx.suspense:
        _open_task(ctx, case, "suspense", details="A bank transfer with an unclear reference.")
    # The scheduler's and the checkers' tasks, on a few cases each (every task kind appears).
    if case.id % 37 == 5:
        _open_task(ctx, case, "warning_review", details="The warning's review date has come.")
    if case.id % 41 == 9:
        _open_task(ctx, case, "rework", details="A sampled check found the outcome wrong.")
    if case.status == "transfer_pending" and case.id % 2 == 0:
        _open_task(ctx, case, "transfer_chase", details="Sent over five working days ago.")
    if case.status == "transfer_pending":
        other = next(o for o in ctx.offices.values() if o.code != case.office)
        receiving = next(iter(other.teams.values()))
        add_task(
            ctx,
            "transfer_in",
            case=case,
            team_id=receiving,
            office=other.code,
            due=ctx.today + timedelta(days=ctx.between(-3, 7)),
        )
    if case.status == "referral" and case.owner_id is None:
        add_task(
            ctx,
            "new_referral",
            case=case,
            status="open",
            due=case.opened_on + timedelta(days=5),
            title="Allocate new referral",
        )
    if rng.random() < 0.08:
        author = case.owner_id or case.admin_owner_id or ctx.me.id
        created = ctx.now - timedelta(days=ctx.between(0, 5), hours=ctx.between(1, 6))
        checked = rng.random() < 0.3
        write_document(
            ctx,
            case,
            created=created,
            status="checked" if checked else "submitted",
            author_id=author,
            checker_id=ctx.pick(checkers.get(case.office, [author])),
        )
        if not checked:
            checker = ctx.pick(checkers[case.office]) if case.office in checkers else None
            add_task(
                ctx,
                "check_request",
                case=case,
                assignee=checker,
                created=created,
                due=created.date() + timedelta(days=2),
                details="Draft letter to check before issue.",
            )


def _open_task(
    ctx: Ctx,
    case: CaseInfo,
    kind: str,
    *,
    priority: int | None = None,
    details: str = "",
    title: str | None = None,
) -> int:
    rng = ctx.rng
    pick = rng.random()
    assignee = case.owner_id if pick < 0.5 else case.admin_owner_id if pick < 0.7 else None
    due = ctx.today + timedelta(days=ctx.between(-20, 25))
    created = ctx.at(
        min(due, ctx.today) - timedelta(days=ctx.between(1, 14)),
        ctx.between(8, 16),
        ctx.between(0, 59),
    )
    created = max(created, ctx.at(case.opened_on, 9))
    return add_task(
        ctx,
        kind,
        case=case,
        assignee=assignee,
        due=due,
        created=min(created, ctx.now),
        priority=priority or ctx.draw(PRIORITIES),
        details=details,
        title=title,
    )


def _reviews(ctx: Ctx, case: CaseInfo) -> None:
    """A pending review on a live case (raised as a task when already due), done ones behind
    it; statutory deadlines in working days for mental-health cases."""
    rng, w = ctx.rng, ctx.w

    def review(
        kind: str, text: str, due: date, status: str, task_id: int | None, days: int | None
    ) -> None:
        w.add(
            "review_schedule",
            {
                "id": w.next_id("review_schedule"),
                "case_id": case.id,
                "kind": kind,
                "description": text,
                "due_date": due,
                "working_days": days,
                "status": status,
                "raised_task_id": task_id,
                "created_at": ctx.at(case.opened_on, 12),
                "version": 1,
            },
        )

    if (ctx.today - case.opened_on).days > 100 and rng.random() < 0.5:
        review(
            "review", "Quarterly review", case.opened_on + timedelta(days=91), "done", None, None
        )
    if case.status not in LIVE:
        return
    if case.type_code == "MHC":
        due = ctx.today + timedelta(days=ctx.between(-2, 30))
        review("statutory", "Tribunal statement due (15 working days)", due, "pending", None, 15)
    due = ctx.today + timedelta(days=ctx.between(-10, 90))
    if due <= ctx.today:
        task_id = add_task(
            ctx, "review_due", case=case, assignee=case.owner_id, due=due, priority=2
        )
        review("review", "Quarterly review", due, "raised", task_id, None)
    else:
        kind = "bring_forward" if rng.random() < 0.25 else "review"
        review(
            kind,
            "Bring forward: check progress" if kind == "bring_forward" else "Quarterly review",
            due,
            "pending",
            None,
            None,
        )


def incoming(ctx: Ctx) -> None:
    """Untriaged items waiting in the incoming queue: referrals, post, messages, walk-ins."""
    rng = ctx.rng
    offices = list(ctx.offices)
    people = [p for p in ctx.people if not p.party_only]
    for n in range(ctx.size.incoming):
        kind = INCOMING_KINDS[n % len(INCOMING_KINDS)]
        office = ctx.me.office if n < 8 else ctx.pick(offices)
        source = ctx.pick(INCOMING[kind]).format(office=ctx.offices[office].name)
        created = ctx.now - timedelta(minutes=ctx.between(5, 60 * 24 * 4))
        person = (
            ctx.pick(people).id
            if kind in ("phone_message", "walk_in") and rng.random() < 0.5
            else None
        )
        # Most unlinked items name whom they are about (someone on file, for the duplicate
        # suggestions in triage) and their date of birth.
        about = ctx.pick(people) if person is None and rng.random() < 0.8 else None
        add_task(
            ctx,
            kind,
            case=None,
            status="untriaged",
            office=office,
            created=created,
            due=created.date() + timedelta(days=2),
            source=source,
            title=_sentence(source.split(":", 1)[-1]),
            person_id=person,
            priority=ctx.draw(INCOMING_PRIORITIES),
            about=about,
        )


def office_duty(ctx: Ctx) -> None:
    """Walk-ins already routed to each office's duty queue (triaged, nobody assigned yet)."""
    for office in ctx.offices.values():
        desk = [s.id for s in ctx.staff if s.office == office.code and "reception" in s.roles]
        for _ in range(2):
            source = ctx.pick(INCOMING["walk_in"]).format(office=office.name)
            created = ctx.now - timedelta(minutes=ctx.between(5, 90))
            add_task(
                ctx,
                "walk_in",
                case=None,
                office=office.code,
                created=created,
                due=created.date(),
                source=source,
                title=_sentence(source.split(":", 1)[-1]),
                priority=2,
                triaged_by=ctx.pick(desk) if desk else None,
            )


def _colleagues_cases(ctx: Ctx) -> list[CaseInfo]:
    """Live cases of the demo user's team that a colleague owns: a checker of the team may
    check their letters (letter_approval: the case's team, never the maker)."""
    me = ctx.me
    return [
        c
        for c in ctx.cases
        if c.team_id == me.team_id
        and c.owner_id not in (None, me.id)
        and c.status in LIVE
        and not c.restricted
    ]


def _letter_to_check(ctx: Ctx, case: CaseInfo) -> None:
    """A letter the case's owner drafted and submitted, and the demo user's task to check it
    (the task names the letter in its source, as a "Send letter" task does). The same number of
    draws as a plain task, so the rest of the demo stays as it was."""
    author = case.owner_id
    assert author is not None
    created = ctx.now - timedelta(days=ctx.between(1, 3), hours=ctx.between(0, 8))
    doc_id = write_document(ctx, case, created=created, status="submitted", author_id=author)
    add_task(
        ctx,
        "check_request",
        case=case,
        assignee=ctx.me.id,
        created=created,
        due=ctx.today + timedelta(days=1),
        title="Check letter before issue",
        details="Cross-check a colleague's letter before it is issued.",
        source=f"document:{doc_id}",
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def my_work(ctx: Ctx) -> None:
    """The demo user's own queue: some overdue, some due today, some later; two checks of
    colleagues' letters; and an enforcement decision on one of their cases."""
    me = ctx.me
    mine = [c for c in ctx.cases if c.owner_id == me.id and c.status in LIVE]
    for case in _colleagues_cases(ctx)[:2]:
        _letter_to_check(ctx, case)
    breachable = [c for c in mine if c.type_code in FTA_LIMIT_TYPES]  # breach fits these only
    if breachable:
        add_task(
            ctx,
            "enforcement",
            case=breachable[-1],
            assignee=None,
            team_id=me.team_id,
            due=ctx.today,
            priority=2,
            title="Enforcement: consider breach",
            details="Two unacceptable absences in the last 12 months: decide on breach.",
        )
    for n, case in enumerate(mine[:10]):
        offset = (-5, -2, -1, 0, 0, 0, 2, 4, 7, 14)[n]
        kind = ctx.pick(("letter_to_issue", "appointment_to_book", "papers_to_chase", "general"))
        add_task(
            ctx,
            kind,
            case=case,
            assignee=ctx.me.id,
            due=ctx.today + timedelta(days=offset),
            priority=2 if offset < 0 else 3,
        )
