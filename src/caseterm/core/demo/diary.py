"""Demo appointments: this week's and next week's diaries for every caseworker (today's with
arrivals and outcomes so far), past appointments with outcomes on each case's history, and the
next booking on live cases. Slots never clash for staff, rooms or people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from caseterm.core.demo.context import SLOT_HOURS, CaseInfo, Ctx, Weighted

KINDS: dict[str, tuple[str, ...]] = {
    "OM": ("supervision", "supervision", "supervision", "induction", "review"),
    "UPW": ("induction", "meeting", "review"),
    "PROG": ("programme", "programme", "programme", "review"),
    "VIC": ("meeting",),
    "FINE": ("means_interview", "means_interview", "court_hearing"),
    "MHC": ("meeting", "review", "tribunal"),
    "REG": ("meeting", "review"),
    "RES": ("meeting",),
    "BIS": ("meeting", "review"),
}
AWAY = {
    "court_hearing": "{office} Magistrates' Court",
    "tribunal": "First-tier Tribunal (Mental Health), hearing room 2",
}
# How a past appointment went: status, then how the outcome is logged (type, outcome).
PAST = Weighted((("seen", 72), ("failed_to_attend", 12), ("cancelled", 8), ("rescheduled", 4)))
TODAY_SO_FAR = Weighted((("seen", 75), ("failed_to_attend", 10), ("booked", 15)))
FTA_OUTCOMES = Weighted(
    (("failed_to_attend", 4), ("unacceptable_absence", 4), ("acceptable_absence", 3))
)


@dataclass(slots=True)
class Appt:
    id: int
    case: CaseInfo
    staff_id: int
    room_id: int | None
    start: datetime
    minutes: int
    kind: str
    status: str
    location: str
    outcome: str = ""  # the contact outcome to log, when there is one
    arrived_at: datetime | None = None
    rescheduled_to: Appt | None = None
    contact_id: int | None = None


def book(
    ctx: Ctx, case: CaseInfo, staff_id: int, day: date, *, status: str | None = None
) -> Appt | None:
    """An appointment on `day` in a slot free for the staff, a room and the person (None if the
    day is full). Its status follows from whether it is past (outcome) or still to come."""
    rng = ctx.rng
    kind = ctx.pick(KINDS[case.type_code])
    office = ctx.offices[case.office]
    away = kind in AWAY or (kind in ("supervision", "meeting") and rng.random() < 0.12)
    first = ctx.between(0, len(SLOT_HOURS) - 1)
    for n in range(4):
        slot = (first + 3 * n) % len(SLOT_HOURS)  # 3 and 7 are coprime: four different slots
        room = None if away else ctx.pick(office.rooms)
        if not ctx.slots.free(staff_id, room, case.subject.id, day, slot):
            continue
        ctx.slots.take(staff_id, room, case.subject.id, day, slot)
        # Within its hour: a 9:30 start lasts at most 30 minutes, so slots never overlap.
        minute = 0 if kind == "programme" else ctx.pick((0, 0, 15, 30))
        start = ctx.at(day, SLOT_HOURS[slot], minute)
        location = ""
        if kind in AWAY:
            location = AWAY[kind].format(office=office.name)
        elif away:
            location = ctx.pick(("Home visit", "Video call"))
        appt = Appt(
            ctx.w.next_id("appointment"),
            case,
            staff_id,
            room,
            start,
            60 if kind == "programme" else ctx.pick((30, 45, 60)[: 3 - minute // 15]),
            kind,
            "booked",
            location,
        )
        _settle(ctx, appt, status)
        return appt
    return None


def _settle(ctx: Ctx, appt: Appt, status: str | None) -> None:
    rng, now = ctx.rng, ctx.now
    if status is not None:
        appt.status = status
    elif appt.start > now:
        appt.status = "booked"
    elif appt.start.date() == now.date():
        # Today so far: most seen, one or two waiting, some not (yet) arrived.
        since = (now - appt.start).total_seconds() / 60
        if since < 60 and rng.random() < 0.5:
            appt.status = "arrived"
        else:
            appt.status = ctx.draw(TODAY_SO_FAR)
    else:
        appt.status = ctx.draw(PAST)
    if appt.status in ("seen", "arrived"):
        appt.arrived_at = appt.start - timedelta(minutes=ctx.between(0, 15))
        appt.outcome = "attended_complied" if appt.status == "seen" else ""
    elif appt.status == "failed_to_attend":
        appt.outcome = ctx.draw(FTA_OUTCOMES)
    if appt.status == "rescheduled":
        later = ctx.working_day(
            appt.start.date() + timedelta(days=2), appt.start.date() + timedelta(days=14)
        )
        if later <= (appt.case.closed_on or later):
            appt.rescheduled_to = book(ctx, appt.case, appt.staff_id, later)
        if appt.rescheduled_to is None:
            appt.status = "cancelled"


def week_diaries(ctx: Ctx) -> dict[int, list[Appt]]:
    """This week's and next week's diaries for every active caseworker and the demo user;
    returns the appointments by case id."""
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    # Weekdays of this week and next, and today even at a weekend so the demo has a diary.
    days = [
        day
        for day in (monday + timedelta(days=n) for n in range(12))
        if day.weekday() < 5 or day == today
    ]
    live: dict[int, list[CaseInfo]] = {}
    for case in ctx.cases:
        if case.owner_id is not None and case.status in ("open", "transfer_pending"):
            live.setdefault(case.owner_id, []).append(case)
    out: dict[int, list[Appt]] = {}
    me = ctx.me.id
    workers = [s.id for s in ctx.staff if s.active and "caseworker" in s.roles] + [me]
    for staff_id in workers:
        cases = live.get(staff_id)
        if not cases:
            continue
        for day in days:
            wanted = (5 if day == today else 3) if staff_id == me else ctx.between(0, 4)
            for _ in range(wanted):
                appt = book(ctx, ctx.pick(cases), staff_id, day)
                if appt is not None:
                    out.setdefault(appt.case.id, []).append(appt)
    _someone_waiting(ctx, [a for appts in out.values() for a in appts])
    return out


def _someone_waiting(ctx: Ctx, appts: list[Appt]) -> None:
    """Reception at the demo user's office has a visitor or two waiting, if anyone's
    appointment has started in the last hour and a half."""
    office = ctx.me.office
    now = ctx.now
    started = [
        a
        for a in appts
        if a.case.office == office
        and a.room_id is not None
        and now - timedelta(minutes=90) <= a.start <= now
        and a.status in ("booked", "seen")
    ]
    if any(
        a.status == "arrived" and a.case.office == office and a.start.date() == now.date()
        for a in appts
    ):
        return
    for appt in started[:2]:
        appt.status, appt.outcome = "arrived", ""
        appt.arrived_at = min(appt.start - timedelta(minutes=ctx.between(0, 10)), now)


def case_history(ctx: Ctx, case: CaseInfo, mean: float) -> list[Appt]:
    """Past appointments over the life of a case, and the next one for a live case."""
    rng = ctx.rng
    staff_id = case.owner_id or case.admin_owner_id or ctx.me.id
    end = min(case.closed_on or ctx.today, ctx.today) - timedelta(days=1)
    out: list[Appt] = []
    if end > case.opened_on:
        weeks = (end - case.opened_on).days / 7
        count = min(int(rng.expovariate(1 / mean) + 0.5) if mean > 0 else 0, int(weeks) + 1)
        for _ in range(count):
            appt = book(ctx, case, staff_id, ctx.working_day(case.opened_on, end))
            if appt is not None:
                out.append(appt)
    if case.status == "open" and case.owner_id is not None and rng.random() < 0.45:
        later = ctx.working_day(ctx.today + timedelta(days=12), ctx.today + timedelta(days=40))
        appt = book(ctx, case, case.owner_id, later)
        if appt is not None:
            out.append(appt)
    return out


def write_appointment(ctx: Ctx, appt: Appt) -> None:
    """Queue the row (queue a replacement before the appointment it replaced)."""
    booked_at = min(appt.start - timedelta(days=ctx.between(2, 21), hours=2), ctx.now)
    changed = appt.start if appt.status != "booked" else booked_at
    ctx.w.add(
        "appointment",
        {
            "id": appt.id,
            "case_id": appt.case.id,
            "person_id": appt.case.subject.id,
            "staff_id": appt.staff_id,
            "room_id": appt.room_id,
            "office_id": ctx.offices[appt.case.office].id,
            "starts_at": appt.start,
            "ends_at": appt.start + timedelta(minutes=appt.minutes),
            "kind": appt.kind,
            "status": appt.status,
            "location": appt.location,
            "notes": "",
            "series_id": None,
            "recurrence": "",
            "rescheduled_to_id": appt.rescheduled_to.id if appt.rescheduled_to else None,
            "arrived_at": appt.arrived_at,
            "outcome_contact_id": appt.contact_id,
            "created_at": booked_at,
            "updated_at": min(changed, ctx.now),
            "updated_by_id": appt.staff_id,
            "version": 1 if appt.status == "booked" else 2,
        },
    )
