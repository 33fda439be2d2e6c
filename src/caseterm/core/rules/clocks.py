"""Statutory clocks and casework events, as data with defaults (see docs/clocks.md and
shared DOMAIN.md for the sources).

A casework event (a recall, a tribunal application, a breach referral) is recorded on a case;
a clock rule says which event starts which clock on which case type, how long it runs (calendar
days, working days, weeks, months or years), whether an end on a non-working day rolls forward
to the next working day, how many working days before the end a warning is raised, the task it
raises (kind, team, priority), the events that stop it, and the letter it proposes. The rules
are rows of the `clock_rule` table, seeded from `DEFAULT_CLOCK_RULES` and edited by a system
administrator (`caseterm rules set`); this module holds the defaults and the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.workdays import WorkCalendar

# How a period is counted.
UNITS: dict[str, str] = {
    "days": "calendar days",
    "working_days": "working days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
}
MAX_PERIOD = 100 * 366  # no clock runs for more than a century of days
MAX_WARNING = 260  # a year of working days

# Case-type families: which case types (catalogue codes) share an event list.
FAMILIES: dict[str, tuple[str, ...]] = {
    "mental_health": ("MHC",),
    "probation": ("OM", "UPW", "PROG"),
    "fines": ("FINE",),
    "council": ("RES", "BIS", "REG"),
}

# Event kinds per family: key -> (label, may it be dated in the future?)
EVENT_KINDS: dict[str, dict[str, tuple[str, bool]]] = {
    "mental_health": {
        "tribunal_application": ("Tribunal application or reference", False),
        "tribunal_hearing": ("Tribunal hearing", True),
        "tribunal_decision": ("Tribunal decision", False),
        "recall": ("Recall to hospital", False),
        "transfer_to_hospital": ("Transfer prison to hospital (s47/s48, warrant)", False),
        "remission_to_prison": ("Remission to prison (warrant)", False),
        "s17_leave_consent": ("Section 17 leave consent", False),
        "trial_leave_consent": ("Trial leave consent", False),
        "s19_transfer": ("Section 19 transfer", False),
        "conditional_discharge": ("Conditional discharge", False),
        "change_of_conditions": ("Change of conditions", False),
        "end_of_restriction": ("End of restriction", False),
        "death": ("Death", False),
    },
    "probation": {
        "order_made": ("Order made", False),
        "requirement_start": ("Requirement start", True),
        "requirement_end": ("Requirement end", True),
        "absence": ("Failure to attend (evidence awaited)", False),
        "evidence_received": ("Evidence for absence received", False),
        "warning_issued": ("Warning issued", False),
        "warning_response": ("Response to warning received", False),
        "breach_referred": ("Breach referred", False),
        "breach_pack_sent": ("Breach pack sent", False),
    },
    "fines": {
        "collection_order_made": ("Collection order made", False),
        "default": ("Default", False),
        "further_steps_notice": ("Further steps notice issued", False),
        "appeal_lodged": ("Appeal lodged", False),
    },
    "council": {
        "request_received": ("Information request received", False),
        "complaint_received": ("Complaint received (stage 1)", False),
        "escalated": ("Escalated to specialist", False),
        "decision": ("Decision sent", False),
    },
}


def family_of(case_type: str) -> str:
    for family, codes in FAMILIES.items():
        if case_type in codes:
            return family
    return ""


def event_kinds(case_type: str) -> dict[str, tuple[str, bool]]:
    """The events a case of this type records (empty for a type with none)."""
    return EVENT_KINDS.get(family_of(case_type), {})


def event_label(case_type: str, kind: str) -> str:
    found = event_kinds(case_type).get(kind)
    return found[0] if found else kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ClockRuleSpec:
    """One clock rule: `event` on a case of `case_type` starts the clock `clock`."""

    case_type: str
    event: str
    clock: str
    label: str
    period: int
    unit: str
    roll_forward: bool = True
    warn_working_days: int = 0
    task_kind: str = "deadline"
    team_code: str = ""  # "" = the case's team
    priority: int = 2
    stopped_by: tuple[str, ...] = ()
    letter: str = ""  # the stock letter proposed when the event is recorded
    letter_template: str = ""  # the template code of the letter the clock's task issues


def _for(family: str, **kw: object) -> tuple[ClockRuleSpec, ...]:
    return tuple(ClockRuleSpec(case_type=code, **kw) for code in FAMILIES[family])  # type: ignore[arg-type]


DEFAULT_CLOCK_RULES: tuple[ClockRuleSpec, ...] = (
    *_for(
        "mental_health",
        event="tribunal_application",
        clock="tribunal_statement",
        letter_template="MH_TRIB",
        label="Statement to the tribunal",
        period=21,
        unit="days",
        warn_working_days=5,
        priority=1,
        stopped_by=("tribunal_decision",),
        letter="Acknowledgement of tribunal application",
    ),
    *_for(
        "mental_health",
        event="recall",
        clock="recall_reports",
        label="Reports after recall",
        period=3,
        unit="weeks",
        warn_working_days=5,
        priority=1,
        letter="Notice of recall",
    ),
    *_for(
        "mental_health",
        event="tribunal_decision",
        clock="s71_referral",
        label="Section 71 referral (3 years without a hearing)",
        period=3,
        unit="years",
        warn_working_days=20,
        stopped_by=("tribunal_application", "conditional_discharge", "death"),
    ),
    *_for(
        "probation",
        event="absence",
        clock="absence_evidence",
        label="Evidence for the absence",
        period=5,
        unit="working_days",
        warn_working_days=1,
        stopped_by=("evidence_received", "warning_issued", "breach_referred"),
        letter="Request for evidence of absence",
    ),
    *_for(
        "probation",
        event="warning_issued",
        clock="warning_response",
        label="Response to the warning letter",
        period=7,
        unit="days",
        priority=3,
        stopped_by=("warning_response", "breach_referred"),
        letter="Warning letter",
    ),
    *_for(
        "probation",
        event="breach_referred",
        clock="breach_pack",
        letter_template="BREACH",
        label="Breach pack",
        period=10,
        unit="working_days",
        warn_working_days=3,
        priority=1,
        stopped_by=("breach_pack_sent",),
    ),
    *_for(
        "fines",
        event="further_steps_notice",
        clock="appeal_window",
        letter_template="FINE_AEO",
        label="Appeal window against the fines officer's decision",
        period=10,
        unit="working_days",
        priority=3,
        stopped_by=("appeal_lodged",),
        letter="Further steps notice",
    ),
    *_for(
        "council",
        event="complaint_received",
        clock="complaint_stage1",
        letter_template="COUNCIL_DEC",
        label="Complaint stage 1 response",
        period=10,
        unit="working_days",
        warn_working_days=3,
        stopped_by=("decision",),
        letter="Complaint acknowledgement",
    ),
    *_for(
        "council",
        event="request_received",
        clock="information_request",
        letter_template="COUNCIL_DEC",
        label="Information request response",
        period=20,
        unit="working_days",
        warn_working_days=5,
        stopped_by=("decision",),
        letter="Information request acknowledgement",
    ),
)


def validate_rule(
    *,
    case_type: str,
    event: str,
    period: int,
    unit: str,
    warn_working_days: int,
    task_kind: str,
    priority: int,
    stopped_by: tuple[str, ...],
) -> None:
    """Refuse a rule that cannot work: one clear message naming the field."""
    kinds = event_kinds(case_type)
    if not kinds:
        raise ValidationError("case type", f"{case_type} has no casework events")
    if event not in kinds:
        raise ValidationError(
            "event", f"{event!r} is not an event of {case_type}; use one of {', '.join(kinds)}"
        )
    for stop in stopped_by:
        if stop not in kinds:
            raise ValidationError("stopped_by", f"{stop!r} is not an event of {case_type}")
    if unit not in UNITS:
        raise ValidationError("unit", f"use one of {', '.join(UNITS)}")
    if period < 0:
        raise ValidationError("period", "must not be negative")
    days = {"years": 366, "months": 31, "weeks": 7}.get(unit, 1)
    if period == 0 or period * days > MAX_PERIOD:
        raise ValidationError("period", "must be at least 1 and at most a hundred years")
    if not 0 <= warn_working_days <= MAX_WARNING:
        raise ValidationError("warning", f"must be between 0 and {MAX_WARNING} working days")
    if task_kind not in TASK_KINDS:
        raise ValidationError(
            "task kind", f"unknown task kind {task_kind!r}; use one of {', '.join(TASK_KINDS)}"
        )
    if not 1 <= priority <= 5:
        raise ValidationError("priority", "must be between 1 (urgent) and 5")


def clock_end(start: date, period: int, unit: str, roll_forward: bool, cal: WorkCalendar) -> date:
    """When a clock started on `start` ends. Working days count from the day after `start`;
    calendar periods land on the same day-of-month (clamped: 31/01 + 1 month is 28/02 or 29/02),
    then roll forward past a weekend, bank holiday or closure day when the rule says so."""
    if unit == "working_days":
        return cal.add_working_days(start, period)
    delta = {
        "days": relativedelta(days=period),
        "weeks": relativedelta(weeks=period),
        "months": relativedelta(months=period),
        "years": relativedelta(years=period),
    }[unit]
    end: date = start + delta
    return cal.next_working_day(end) if roll_forward else end


def warning_day(end: date, warn_working_days: int, cal: WorkCalendar) -> date | None:
    """The day the warning is raised: `warn_working_days` working days before the end."""
    if warn_working_days <= 0:
        return None
    return cal.add_working_days(end, -warn_working_days)


def describe_period(period: int, unit: str) -> str:
    name = UNITS.get(unit, unit)
    return f"{period} {name[:-1] if period == 1 else name}"
