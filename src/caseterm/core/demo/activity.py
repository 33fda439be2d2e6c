"""Each case's history: its appointments and their outcomes, the contact log (notes, sensitive
entries, corrections that supersede), letters issued, and the recent entries in the audit
journal so history screens and the board have something to show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from caseterm.core.demo import diary, work
from caseterm.core.demo.context import CaseInfo, Ctx, Weighted
from caseterm.core.demo.diary import Appt
from caseterm.core.demo.letters import write_document
from caseterm.core.demo.names import EMPLOYERS, HOSTILE_NOTES
from caseterm.core.demo.texts import (
    CONTACT_MIX,
    CORRECTION_NOTES,
    FTA_NOTES,
    NOTES,
    OUTCOMES_BY_TYPE,
    SENSITIVE_NOTES,
)
from caseterm.core.text import strip_controls

# How busy each case type is, relative to the size's mean.
BUSY = {
    "OM": 1.4,
    "UPW": 1.1,
    "PROG": 1.0,
    "VIC": 0.5,
    "FINE": 0.8,
    "MHC": 1.2,
    "REG": 0.5,
    "RES": 0.6,
    "BIS": 0.5,
}
APPOINTMENTS = {
    "OM": 1.6,
    "UPW": 1.0,
    "PROG": 1.6,
    "VIC": 0.3,
    "FINE": 0.5,
    "MHC": 0.8,
    "REG": 0.3,
    "RES": 0.3,
    "BIS": 0.3,
}
RECENT_DAYS = 7  # contacts logged this recently also get their audit event

Entry = tuple[datetime, int, str, str, str, bool, "Appt | None"]


def build_history(ctx: Ctx) -> None:
    """Appointments, contacts, letters, tasks and reviews for every case."""
    week = diary.week_diaries(ctx)
    reception = _by_office(ctx, "reception")
    checkers = _by_office(ctx, "checker")
    mixes = {code: _mix(code) for code in BUSY}
    hostile = [strip_controls(n, multiline=True) for n in HOSTILE_NOTES]
    total = len(ctx.cases)
    for n, case in enumerate(ctx.cases):
        appts = diary.case_history(
            ctx, case, ctx.size.appointments_per_case * APPOINTMENTS[case.type_code]
        )
        appts.extend(week.get(case.id, ()))
        every = _flatten(appts)
        entries = _appointment_entries(ctx, case, every, reception)
        mean = ctx.size.contacts_per_case * BUSY[case.type_code] - len(entries)
        entries.extend(_ordinary_entries(ctx, case, max(mean, 0.5), mixes[case.type_code]))
        if case.owner_id == ctx.me.id and hostile:
            entries.append(_entry_on(ctx, case, hostile.pop(0)))
        entries.sort(key=lambda e: e[0])
        ids = [ctx.w.next_id("contact_entry") for _ in entries]
        for entry_id, entry in zip(ids, entries, strict=True):
            if entry[6] is not None:
                entry[6].contact_id = entry_id
        for appt in every:
            diary.write_appointment(ctx, appt)
        unacceptable = _write_entries(ctx, case, list(zip(ids, entries, strict=True)), checkers)
        work.case_work(ctx, case, unacceptable, checkers)
        ctx.tick("history", n, total)
    ctx.progress("history", total, total)


def _by_office(ctx: Ctx, role: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for s in ctx.staff:
        if role in s.roles and s.active:
            out.setdefault(s.office, []).append(s.id)
    return out


def _mix(code: str) -> Weighted[str]:
    return Weighted(CONTACT_MIX.get(code, CONTACT_MIX["default"]))


def _flatten(appts: list[Appt]) -> list[Appt]:
    """Every appointment including replacements, each replacement before the one it replaced
    (which points at it)."""
    out: list[Appt] = []
    for first in appts:
        chain: list[Appt] = []
        appt: Appt | None = first
        while appt is not None:
            chain.append(appt)
            appt = appt.rescheduled_to
        out.extend(reversed(chain))
    return out


def _appointment_entries(
    ctx: Ctx, case: CaseInfo, appts: list[Appt], reception: dict[str, list[int]]
) -> list[Entry]:
    """The contact entries an appointment leaves: arrival at reception, and its outcome."""
    out: list[Entry] = []
    desk = reception.get(case.office)
    for appt in appts:
        if appt.arrived_at is not None and appt.room_id is not None and desk:
            out.append(
                (
                    appt.arrived_at,
                    ctx.pick(desk),
                    "reception",
                    "",
                    "Arrived at reception for the appointment.",
                    False,
                    None,
                )
            )
        if appt.status == "seen":
            contact_type = (
                "video"
                if appt.location == "Video call"
                else "home_visit"
                if appt.location == "Home visit"
                else "face_to_face"
            )
            notes = _fill(ctx, case, ctx.pick(NOTES[contact_type]))
            out.append(
                (
                    min(appt.start + timedelta(minutes=appt.minutes), ctx.now),
                    appt.staff_id,
                    contact_type,
                    appt.outcome,
                    notes,
                    False,
                    appt,
                )
            )
        elif appt.status == "failed_to_attend":
            out.append(
                (
                    appt.start + timedelta(minutes=20),
                    appt.staff_id,
                    "face_to_face",
                    appt.outcome,
                    ctx.pick(FTA_NOTES),
                    False,
                    appt,
                )
            )
        elif appt.status == "rescheduled":
            out.append(
                (
                    appt.start - timedelta(days=1),
                    appt.staff_id,
                    "phone_in",
                    "information_given",
                    _fill(ctx, case, NOTES["phone_out"][3]),
                    False,
                    None,
                )
            )
    return [e for e in out if e[0] <= ctx.now]


def _ordinary_entries(ctx: Ctx, case: CaseInfo, mean: float, mix: Weighted[str]) -> list[Entry]:
    rng = ctx.rng
    count = int(rng.expovariate(1 / mean) + 0.5)
    out: list[Entry] = []
    for _ in range(min(count, 60)):
        contact_type = ctx.draw(mix)
        when = _moment(ctx, case)
        if when is None:
            break
        sensitive = rng.random() < 0.04
        template = ctx.pick(SENSITIVE_NOTES if sensitive else NOTES[contact_type])
        staff_id = _writer(ctx, case, contact_type)
        out.append(
            (
                when,
                staff_id,
                contact_type,
                ctx.pick(OUTCOMES_BY_TYPE[contact_type]),
                _fill(ctx, case, template),
                sensitive,
                None,
            )
        )
    return out


def _entry_on(ctx: Ctx, case: CaseInfo, notes: str) -> Entry:
    when = _moment(ctx, case) or ctx.now - timedelta(hours=1)
    return (when, ctx.me.id, "internal", "", notes, False, None)


def _writer(ctx: Ctx, case: CaseInfo, contact_type: str) -> int:
    if contact_type in ("letter_in", "letter_out", "email") and case.admin_owner_id:
        return case.admin_owner_id
    return case.owner_id or case.admin_owner_id or ctx.me.id


def _moment(ctx: Ctx, case: CaseInfo) -> datetime | None:
    """A working-hours moment in the life of the case, weighted towards its recent end."""
    rng, now = ctx.rng, ctx.now
    end: date = case.closed_on or ctx.today
    span = (end - case.opened_on).days
    day = case.opened_on + timedelta(days=int(rng.triangular(0, span, span))) if span > 0 else end
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    when = ctx.at(day, ctx.between(8, 17), ctx.between(0, 59))
    if when > now:
        when = now - timedelta(minutes=ctx.between(5, 600))
    return when if when.date() >= case.opened_on else None


def _fill(ctx: Ctx, case: CaseInfo, template: str) -> str:
    return template.format(
        first=case.subject.given,
        office=ctx.offices[case.office].name,
        employer=ctx.pick(EMPLOYERS),
        amount=f"£{ctx.between(5, 60) * 5}.00",
    )


def _write_entries(
    ctx: Ctx, case: CaseInfo, entries: list[tuple[int, Entry]], checkers: dict[str, list[int]]
) -> int:
    """Queue the log in time order; returns how many unacceptable absences fell in the last year."""
    rng, w, now = ctx.rng, ctx.w, ctx.now
    recent = now - timedelta(days=RECENT_DAYS)
    year_ago = now - timedelta(days=365)
    unacceptable = 0
    for entry_id, (when, staff_id, contact_type, outcome, notes, sensitive, appt) in entries:
        logged = when + timedelta(minutes=ctx.between(1, 180))
        if logged > now:
            logged = now
        if outcome in ("failed_to_attend", "unacceptable_absence") and when >= year_ago:
            unacceptable += 1
        _contact(
            ctx,
            entry_id,
            case,
            when,
            logged,
            staff_id,
            contact_type,
            outcome,
            notes,
            sensitive,
            appt,
            None,
        )
        if logged >= recent:
            ctx.audit(
                logged,
                staff_id,
                "contact.log",
                "contact_entry",
                entry_id,
                f"{case.reference}: {contact_type.replace('_', ' ')}",
                case_id=case.id,
                person_id=case.subject.id,
            )
        if rng.random() < 0.01:
            fix_id = w.next_id("contact_entry")
            fixed_at = min(logged + timedelta(hours=ctx.between(1, 72)), now)
            note = _fill(ctx, case, ctx.pick(CORRECTION_NOTES))
            _contact(
                ctx,
                fix_id,
                case,
                when,
                fixed_at,
                staff_id,
                contact_type,
                outcome,
                note,
                sensitive,
                appt,
                entry_id,
            )
            ctx.audit(
                fixed_at,
                staff_id,
                "contact.correct",
                "contact_entry",
                fix_id,
                f"{case.reference}: corrected entry {entry_id}",
                case_id=case.id,
                person_id=case.subject.id,
            )
        if contact_type == "letter_out" and rng.random() < 0.6:
            write_document(
                ctx,
                case,
                created=when,
                status="issued",
                author_id=staff_id,
                checker_id=ctx.pick(checkers.get(case.office, [staff_id])),
                contact_id=entry_id,
            )
    return unacceptable


def _contact(
    ctx: Ctx,
    entry_id: int,
    case: CaseInfo,
    when: datetime,
    logged: datetime,
    staff_id: int,
    contact_type: str,
    outcome: str,
    notes: str,
    sensitive: bool,
    appt: Appt | None,
    supersedes: int | None,
) -> None:
    ctx.w.add(
        "contact_entry",
        {
            "id": entry_id,
            "case_id": case.id,
            "person_id": case.subject.id,
            "occurred_at": when,
            "logged_at": logged,
            "staff_id": staff_id,
            "contact_type": contact_type,
            "outcome": outcome,
            "notes": notes,
            "sensitive": sensitive,
            "appointment_id": appt.id if appt is not None else None,
            "supersedes_id": supersedes,
        },
    )
