"""Demo casework events and the statutory clocks they started, under the default clock rules:
tribunal applications and recalls on mental-health cases, warnings and breach referrals on
probation cases, further steps notices on fines, information requests and complaints at the
council. Some clocks are past their warning or their end, so the scheduler raises their tasks
the first time the workstation starts (or `caseterm reviews run`); some older ones are already
met or late, for the compliance figures."""

from __future__ import annotations

from datetime import date, timedelta

from caseterm.core.demo.context import CaseInfo, Ctx
from caseterm.core.demo.work import add_task
from caseterm.core.rules.clocks import (
    DEFAULT_CLOCK_RULES,
    ClockRuleSpec,
    clock_end,
    family_of,
    warning_day,
)
from caseterm.core.rules.workdays import WorkCalendar

LIVE = ("referral", "open", "transfer_pending")

# family -> (event, chance, earliest days ago, latest days ago)
EVENTS: dict[str, tuple[tuple[str, float, int, int], ...]] = {
    "mental_health": (
        ("tribunal_decision", 0.3, 200, 1000),
        ("tribunal_application", 0.4, 1, 25),
        ("recall", 0.1, 1, 20),
    ),
    "probation": (
        ("absence", 0.1, 1, 7),
        ("warning_issued", 0.2, 1, 10),
        ("breach_referred", 0.08, 1, 14),
    ),
    "fines": (("further_steps_notice", 0.2, 1, 14),),
    "council": (("request_received", 0.25, 1, 30), ("complaint_received", 0.15, 1, 14)),
}


def _rules() -> dict[tuple[str, str], list[ClockRuleSpec]]:
    found: dict[tuple[str, str], list[ClockRuleSpec]] = {}
    for rule in DEFAULT_CLOCK_RULES:
        found.setdefault((rule.case_type, rule.event), []).append(rule)
    return found


def build_clocks(ctx: Ctx) -> None:
    """Events and clocks on the live cases of every case type that has events."""
    rules, cal = _rules(), WorkCalendar()
    for case in ctx.cases:
        family = family_of(case.type_code)
        if not family or case.status not in LIVE:
            continue
        for kind, chance, early, late in EVENTS[family]:
            if ctx.rng.random() >= chance:
                continue
            day = max(case.opened_on, ctx.today - timedelta(days=ctx.between(early, late)))
            _event(ctx, case, kind, day, rules.get((case.type_code, kind), []), cal)


def _event(
    ctx: Ctx,
    case: CaseInfo,
    kind: str,
    day: date,
    rules: list[ClockRuleSpec],
    cal: WorkCalendar,
) -> None:
    w = ctx.w
    event_id = w.next_id("case_event")
    w.add(
        "case_event",
        {
            "id": event_id,
            "case_id": case.id,
            "kind": kind,
            "event_date": day,
            "details": "",
            "recorded_by_id": case.owner_id,
            "recorded_at": ctx.at(day, 15),
        },
    )
    for rule in rules:
        due = clock_end(day, rule.period, rule.unit, rule.roll_forward, cal)
        clock_id = w.next_id("case_clock")
        task_id = None
        if due <= ctx.today and ctx.rng.random() < 0.5:
            # Raised already (by an earlier scheduler run); the rest wait for the first one.
            task_id = add_task(
                ctx,
                rule.task_kind,
                case=case,
                assignee=case.owner_id,
                team_id=case.team_id,
                due=due,
                created=ctx.at(due, 7),
                priority=rule.priority,
                title=f"{rule.label}: due {due:%d/%m/%Y}",
                source=f"clock:{clock_id}:due",
            )
            w.add(
                "raised_key",
                {"key": f"clock:{clock_id}:due", "task_id": task_id, "raised_at": ctx.at(due, 7)},
            )
        w.add(
            "case_clock",
            {
                "id": clock_id,
                "case_id": case.id,
                "event_id": event_id,
                "clock": rule.clock,
                "label": rule.label,
                "started_on": day,
                "due_date": due,
                "warn_date": warning_day(due, rule.warn_working_days, cal),
                "task_kind": rule.task_kind,
                "team_code": rule.team_code,
                "priority": rule.priority,
                "stopped_by": ",".join(rule.stopped_by),
                "status": "running",
                "stopped_on": None,
                "late_by": None,
                "reason": "",
                "warn_task_id": task_id,
                "due_task_id": task_id,
                "version": 1,
            },
        )
