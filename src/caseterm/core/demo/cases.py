"""Demo case files: every case type, references in the services' format with the counters
moved on, statuses across the life cycle, owners and teams, parties, links, restrictions and
money on fines cases. The demo user gets a caseload in Preston."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from caseterm.core.demo.context import CaseInfo, Ctx, PersonInfo, StaffInfo, Weighted
from caseterm.core.demo.org import FAMILY_OF_TYPE
from caseterm.core.demo.texts import CLOSE_REASONS, COURTS, PARTY_ROLES, SUMMARIES, TRANSFER_REASONS
from caseterm.core.models import metadata

TYPE_WEIGHTS = {
    "OM": 30,
    "UPW": 12,
    "VIC": 6,
    "PROG": 6,
    "FINE": 22,
    "MHC": 8,
    "REG": 4,
    "RES": 7,
    "BIS": 5,
}
# A subject's further cases tend to be of related types.
COMPANIONS = {
    "OM": ("UPW", "PROG", "FINE", "OM"),
    "UPW": ("OM", "FINE"),
    "PROG": ("OM",),
    "VIC": ("RES",),
    "FINE": ("FINE", "RES", "OM"),
    "MHC": ("MHC", "RES"),
    "REG": ("BIS",),
    "RES": ("BIS", "FINE", "RES"),
    "BIS": ("REG", "RES"),
}
STATUS_MIX = Weighted(
    (("referral", 7), ("open", 58), ("transfer_pending", 3), ("closed", 29), ("archived", 3))
)
PRIORITIES = Weighted(((1, 5), (2, 20), (3, 60), (4, 15)))


def plan_cases(ctx: Ctx) -> None:
    """Decide every case (type, subject, office, status, dates, owner) and its reference."""
    rng = ctx.rng
    types = [code for code in TYPE_WEIGHTS if code in ctx.case_types]
    type_mix = Weighted([(c, TYPE_WEIGHTS[c]) for c in types])
    subjects = [p for p in ctx.people if not p.party_only]
    picks: list[tuple[PersonInfo, str]] = []
    for i in range(ctx.size.cases):
        if i < len(subjects):
            person = subjects[i]
            code = types[i] if i < len(types) else ctx.draw(type_mix)
        else:
            person = ctx.pick(subjects)
            code = ctx.pick(COMPANIONS[person.types[0]]) if person.types else ctx.draw(type_mix)
            code = code if code in ctx.case_types else types[0]
        person.types.append(code)
        picks.append((person, code))
    staff_by_team: dict[int | None, list[StaffInfo]] = {}
    admins_by_office: dict[str, list[StaffInfo]] = {}
    for s in ctx.staff:
        if "caseworker" in s.roles:
            staff_by_team.setdefault(s.team_id, []).append(s)
        if "administrator" in s.roles and s.active:
            admins_by_office.setdefault(s.office, []).append(s)
    planned: list[CaseInfo] = []
    for person, code in picks:
        status = ctx.draw(STATUS_MIX)
        if code == "VIC" and status == "transfer_pending":
            status = "open"
        opened, closed = _dates(ctx, status)
        family = FAMILY_OF_TYPE[code]
        office = (
            person.office
            if family in ctx.offices[person.office].teams
            else _office_with(ctx, family)
        )
        team_id = ctx.offices[office].teams[family]
        team = staff_by_team.get(team_id, [])
        owners = [s for s in team if s.active] if status not in ("closed", "archived") else team
        owner = (
            ctx.pick(owners).id
            if owners and not (status == "referral" and rng.random() < 0.6)
            else None
        )
        admin = ctx.pick(admins_by_office[office]).id if office in admins_by_office else None
        priority = ctx.draw(PRIORITIES)
        case = CaseInfo(
            0, code, "", person, office, team_id, owner, admin, status, opened, closed, priority
        )
        planned.append(case)
        if person.first_seen is None or opened < person.first_seen:
            person.first_seen = opened
    _give_demo_caseload(ctx, planned)
    planned.sort(key=lambda c: c.opened_on)
    counters = read_counters(ctx)
    for case in planned:
        case.id = ctx.w.next_id("case_file")
        prefix = ctx.case_types[case.type_code][1]
        key = (prefix, case.opened_on.year)
        number = counters.get(key, 1)
        counters[key] = number + 1
        case.reference = f"{prefix}/{case.opened_on.year}/{number:06d}"
    ctx.cases = planned
    ctx.counters = counters


def _office_with(ctx: Ctx, family: str) -> str:
    return next(code for code, o in ctx.offices.items() if family in o.teams)


def _dates(ctx: Ctx, status: str) -> tuple[date, date | None]:
    rng, today = ctx.rng, ctx.today
    if status == "referral":
        return today - timedelta(days=ctx.between(0, 30)), None
    if status == "open":
        return today - timedelta(days=int(rng.triangular(1, 1100, 60))), None
    if status == "transfer_pending":
        return today - timedelta(days=ctx.between(60, 700)), None
    if status == "closed":
        opened = today - timedelta(days=ctx.between(100, 2500))
        return opened, min(opened + timedelta(days=ctx.between(60, 900)), today - timedelta(days=1))
    opened = today - timedelta(days=ctx.between(2400, 3300))
    return opened, opened + timedelta(days=ctx.between(200, 700))


def _give_demo_caseload(ctx: Ctx, planned: list[CaseInfo]) -> None:
    """The demo user owns the hostile-named people's cases and enough open Preston cases."""
    me = ctx.me
    live = ("open", "referral", "transfer_pending")
    chosen: list[CaseInfo] = []
    hostile_ids = {p.id for p in ctx.people[:7]}
    for case in planned:
        if case.subject.id in hostile_ids and case.subject.types[0] == case.type_code:
            chosen.append(case)
    preferred = [
        c for c in planned if c.office == me.office and c.status in live and c not in chosen
    ]
    preferred.sort(key=lambda c: (c.type_code != "OM", c.status != "open"))
    chosen.extend(preferred[: max(0, ctx.size.demo_caseload - len(chosen))])
    for case in chosen:
        if case.status in ("closed", "archived"):
            case.status = "open"
            case.opened_on, case.closed_on = _dates(ctx, "open")
        case.office = me.office
        case.team_id = ctx.offices[me.office].teams.get(
            FAMILY_OF_TYPE[case.type_code], case.team_id
        )
        case.owner_id = me.id
        if ctx.rng.random() < 0.3:
            case.admin_owner_id = me.id


def read_counters(ctx: Ctx) -> dict[tuple[str, int], int]:
    """The reference counters as they stand: (prefix, year) -> next number."""
    table = metadata.tables["reference_counter"]
    rows = ctx.w.conn.execute(select(table.c.prefix, table.c.year, table.c.next_number))
    return {(r.prefix, r.year): r.next_number for r in rows}


def write_counters(ctx: Ctx, before: dict[tuple[str, int], int]) -> None:
    """Move the reference counters past every number the demo used."""
    table = metadata.tables["reference_counter"]
    conn = ctx.w.conn
    for (prefix, year), next_number in sorted(ctx.counters.items()):
        if (prefix, year) in before:
            conn.execute(
                table.update()
                .where(table.c.prefix == prefix, table.c.year == year)
                .values(next_number=next_number)
            )
        else:
            conn.execute(table.insert().values(prefix=prefix, year=year, next_number=next_number))


def write_cases(ctx: Ctx) -> None:
    """Case rows with their opening and closing in the audit journal; then parties, links,
    restricted access lists and (fines) money, once every case row is queued."""
    rng, w = ctx.rng, ctx.w
    me = ctx.me
    mine = [c for c in ctx.cases if c.owner_id == me.id and c.status == "open"]
    colleagues = [
        c
        for c in ctx.cases
        if c.office == me.office
        and c.status == "open"
        and c.owner_id not in (None, me.id)
        and c.admin_owner_id != me.id
    ]
    for case in ctx.cases:
        case.restricted = rng.random() < 0.01
    # One restricted case the demo user owns, and one they may not open.
    for group in (mine, colleagues):
        if group:
            group[-1].restricted = True
    for n, case in enumerate(ctx.cases):
        ctx.tick("cases", n, len(ctx.cases))
        _write_case(ctx, case)
    party_pool = [p for p in ctx.people if p.party_only] or ctx.people
    managers = {s.office: s.id for s in ctx.staff if "manager" in s.roles}
    om_cases = [c for c in ctx.cases if c.type_code == "OM"]
    by_subject: dict[int, list[CaseInfo]] = {}
    for case in ctx.cases:
        if case.restricted:
            allow = [
                s for s in (case.owner_id, case.admin_owner_id, managers.get(case.office)) if s
            ]
            for staff_id in dict.fromkeys(allow):
                w.add(
                    "case_access",
                    {
                        "id": w.next_id("case_access"),
                        "case_id": case.id,
                        "staff_id": staff_id,
                        "mode": "allow",
                        "added_at": datetime.combine(case.opened_on, time(12)),
                    },
                )
        _parties(ctx, case, party_pool, om_cases)
        for earlier in by_subject.get(case.subject.id, []):
            _link(ctx, case.id, earlier.id, "related")
        by_subject.setdefault(case.subject.id, []).append(case)
        if case.type_code == "FINE":
            _money(ctx, case)


def _write_case(ctx: Ctx, case: CaseInfo) -> None:
    reason = ""
    if case.status in ("closed", "archived"):
        reason = ctx.pick(CLOSE_REASONS[case.type_code])
        if reason == "Died" and case.closed_on and len(case.subject.types) == 1:
            case.subject.died = case.closed_on
        elif reason == "Died":
            reason = CLOSE_REASONS[case.type_code][0]
    elif case.status == "transfer_pending":
        other = ctx.pick([o for o in ctx.offices.values() if o.code != case.office])
        reason = ctx.pick(TRANSFER_REASONS).format(office=other.name)
    opened_at = datetime.combine(case.opened_on, time(ctx.between(9, 16), ctx.between(0, 59)))
    closed_at = (
        datetime.combine(case.closed_on, time(16, ctx.between(0, 59))) if case.closed_on else None
    )
    ctx.w.add(
        "case_file",
        {
            "id": case.id,
            "reference": case.reference,
            "case_type_id": ctx.case_types[case.type_code][0],
            "subject_id": case.subject.id,
            "owner_id": case.owner_id,
            "admin_owner_id": case.admin_owner_id,
            "team_id": case.team_id,
            "office_id": ctx.offices[case.office].id,
            "status": case.status,
            "status_reason": reason,
            "priority": case.priority,
            "summary": ctx.pick(SUMMARIES[case.type_code]),
            "opened_on": case.opened_on,
            "closed_on": case.closed_on,
            "restricted": case.restricted,
            "created_at": opened_at,
            "updated_at": closed_at or opened_at,
            "updated_by_id": case.admin_owner_id,
            "version": 1 if closed_at is None else 2,
        },
    )
    ctx.audit(
        opened_at,
        case.admin_owner_id,
        "case.open",
        "case",
        case.id,
        f"opened {case.reference}",
        case_id=case.id,
        person_id=case.subject.id,
    )
    if closed_at is not None:
        ctx.audit(
            closed_at,
            case.owner_id or case.admin_owner_id,
            "case.closed",
            "case",
            case.id,
            f"{case.reference}: closed: {reason}",
            case_id=case.id,
            person_id=case.subject.id,
        )


def _link(ctx: Ctx, case_id: int, other_id: int, kind: str) -> None:
    ctx.w.add(
        "case_link",
        {
            "id": ctx.w.next_id("case_link"),
            "case_id": case_id,
            "linked_case_id": other_id,
            "kind": kind,
        },
    )


def _party(ctx: Ctx, case_id: int, person_id: int, role: str) -> None:
    ctx.w.add(
        "case_party",
        {
            "id": ctx.w.next_id("case_party"),
            "case_id": case_id,
            "person_id": person_id,
            "role": role,
            "notes": "",
        },
    )


def _parties(ctx: Ctx, case: CaseInfo, pool: list[PersonInfo], om_cases: list[CaseInfo]) -> None:
    """A victim case names the offender and links to their case; others sometimes have a
    relative, solicitor or similar."""
    rng = ctx.rng
    if case.type_code == "VIC" and om_cases:
        offender_case = ctx.pick(om_cases)
        if offender_case.subject.id != case.subject.id:
            _party(ctx, case.id, offender_case.subject.id, "offender")
            _link(ctx, case.id, offender_case.id, "victim of")
            return
    if rng.random() < 0.35:
        person = ctx.pick(pool)
        if person.id != case.subject.id:
            _party(ctx, case.id, person.id, ctx.pick(PARTY_ROLES[case.type_code]))


def _money(ctx: Ctx, case: CaseInfo) -> None:
    """Impositions, payment terms and payments; some instalments missed, so some live accounts
    are in arrears (noted for the enforcement queue)."""
    rng, w = ctx.rng, ctx.w
    court = COURTS.get(case.office, "Preston Magistrates' Court")
    created = datetime.combine(case.opened_on, time(11))
    fine = ctx.between(4, 120) * 1000
    items = [
        ("fine", fine),
        ("costs", ctx.pick((8500, 10500, 62000))),
        ("victim_surcharge", max(2000, fine // 10)),
    ]
    if rng.random() < 0.25:
        items.append(("compensation", ctx.between(5, 60) * 1000))
    total = 0
    for kind, amount in items:
        total += amount
        w.add(
            "imposition",
            {
                "id": w.next_id("imposition"),
                "case_id": case.id,
                "kind": kind,
                "amount_pence": amount,
                "imposed_on": case.opened_on,
                "court": court,
                "created_at": created,
                "created_by_id": case.admin_owner_id,
            },
        )
    if case.status == "referral":
        return
    instalment = max(500, total // ctx.between(4, 18) // 100 * 100)
    frequency = ctx.pick(("monthly", "monthly", "fortnightly", "weekly"))
    step = {"monthly": 30, "fortnightly": 14, "weekly": 7}[frequency]
    first_due = case.opened_on + timedelta(days=14)
    w.add(
        "payment_terms",
        {
            "id": w.next_id("payment_terms"),
            "case_id": case.id,
            "instalment_pence": instalment,
            "frequency": frequency,
            "first_due": first_due,
            "version": 1,
        },
    )
    end = case.closed_on or ctx.today
    paid, missed, due = 0, 0, first_due
    reliability = rng.random() * 0.5 + 0.5
    methods = ("card", "bank_transfer", "benefit_deduction", "cash")
    while due <= end and paid < total:
        if case.closed_on is not None or rng.random() < reliability:
            amount = min(instalment, total - paid)
            paid += amount
            _payment(ctx, case, amount, due, ctx.pick(methods))
        else:
            missed += 1
        due += timedelta(days=step)
    if case.closed_on is None and missed >= 2 and paid < total:
        ctx.arrears.add(case.id)
    if case.closed_on is None:
        ctx.owed[case.id] = total - paid
    if case.closed_on is None and case.id % 20 == 7:
        # Money received that could not be applied: held in suspense, with a task. (Chosen by
        # id, not the random stream, so the rest of the demo stays as it was.)
        _payment(ctx, case, 500 + case.id % 7 * 500, ctx.today, "bank_transfer", "to_suspense")
        ctx.suspense.add(case.id)
    elif case.closed_on is not None and paid < total:
        _payment(ctx, case, total - paid, case.closed_on, "card")


def _payment(
    ctx: Ctx, case: CaseInfo, amount: int, paid_on: date, method: str, kind: str = "payment"
) -> None:
    pid = ctx.w.next_id("payment")
    ctx.w.add(
        "payment",
        {
            "id": pid,
            "case_id": case.id,
            "kind": kind,
            "amount_pence": amount,
            "paid_on": paid_on,
            "method": method,
            "reference": f"PAY{pid:08d}",
            "created_at": datetime.combine(paid_on, time(10)),
            "created_by_id": case.admin_owner_id,
        },
    )
