"""Clock rules and office closure days: the shipped defaults (`core.rules.clocks`) with what a
system administrator changed or added (`clock_rule` rows), and the working-day calendar the
clocks count in (bank holidays of the configured region plus the office closure days)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, StaleEditError, ValidationError
from caseterm.core.models import CaseType, ClockRule, OfficeClosure
from caseterm.core.rules import clocks as rules
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import audit
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

RULE_FIELDS = (
    "label",
    "period",
    "unit",
    "roll_forward",
    "warn_working_days",
    "task_kind",
    "team_code",
    "priority",
    "stopped_by",
    "letter",
    "letter_template",
    "active",
)


@dataclass(frozen=True)
class RuleRow:
    """A clock rule in force: `source` says whether it is the shipped default, a default an
    administrator changed, or a rule an administrator added."""

    case_type: str
    event: str
    clock: str
    label: str
    period: int
    unit: str
    roll_forward: bool
    warn_working_days: int
    task_kind: str
    team_code: str
    priority: int
    stopped_by: tuple[str, ...]
    letter: str
    active: bool
    source: str  # default | changed | added
    letter_template: str = ""  # the template code of the letter the clock's task issues
    version: int = 0  # the stored rule's version; 0 while it is the shipped default

    @property
    def key(self) -> str:
        return f"{self.case_type}/{self.event}/{self.clock}"

    @property
    def period_text(self) -> str:
        return rules.describe_period(self.period, self.unit)


def _from_spec(spec: rules.ClockRuleSpec) -> RuleRow:
    return RuleRow(
        case_type=spec.case_type,
        event=spec.event,
        clock=spec.clock,
        label=spec.label,
        period=spec.period,
        unit=spec.unit,
        roll_forward=spec.roll_forward,
        warn_working_days=spec.warn_working_days,
        task_kind=spec.task_kind,
        team_code=spec.team_code,
        priority=spec.priority,
        stopped_by=spec.stopped_by,
        letter=spec.letter,
        active=True,
        source="default",
        letter_template=spec.letter_template,
    )


def _from_row(row: ClockRule, source: str) -> RuleRow:
    return RuleRow(
        case_type=row.case_type,
        event=row.event,
        clock=row.clock,
        label=row.label,
        period=row.period,
        unit=row.unit,
        roll_forward=row.roll_forward,
        warn_working_days=row.warn_working_days,
        task_kind=row.task_kind,
        team_code=row.team_code,
        priority=row.priority,
        stopped_by=tuple(s for s in row.stopped_by.split(",") if s),
        letter=row.letter,
        active=row.active,
        source=source,
        letter_template=row.letter_template,
        version=row.version,
    )


def _all_rules(session: Session) -> list[RuleRow]:
    found: dict[tuple[str, str, str], RuleRow] = {
        (s.case_type, s.event, s.clock): _from_spec(s) for s in rules.DEFAULT_CLOCK_RULES
    }
    for row in session.exec(select(ClockRule)).all():
        key = (row.case_type, row.event, row.clock)
        found[key] = _from_row(row, "changed" if key in found else "added")
    return sorted(found.values(), key=lambda r: (r.case_type, r.event, r.clock))


def list_rules(session: Session, actor: Actor, *, case_type: str | None = None) -> list[RuleRow]:
    """Every clock rule in force (switched-off ones too, marked), for one case type or all."""
    actor.require("case.read")
    return [r for r in _all_rules(session) if case_type is None or r.case_type == case_type]


def show_rule(session: Session, actor: Actor, *, case_type: str, event: str, clock: str) -> RuleRow:
    actor.require("case.read")
    for rule in _all_rules(session):
        if (rule.case_type, rule.event, rule.clock) == (case_type, event, clock):
            return rule
    raise NotFoundError("clock rule", f"{case_type}/{event}/{clock}")


def rules_for_event(session: Session, case_type: str, event: str) -> list[RuleRow]:
    """The active rules an event starts on a case of this type (no permission check: a part of
    recording the event)."""
    return [
        r for r in _all_rules(session) if r.active and r.case_type == case_type and r.event == event
    ]


def set_rule(
    session: Session,
    actor: Actor,
    *,
    case_type: str,
    event: str,
    clock_key: str,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> RuleRow:
    """Change a clock rule (or add one: a new clock needs a label, period and unit). Only a
    system administrator; validated as a whole before anything is written. A screen passes the
    `version` of the rule it showed: a rule changed since is refused (StaleEditError)."""
    actor.require("rules.admin")
    if session.exec(select(CaseType).where(CaseType.code == case_type)).first() is None:
        raise ValidationError("case type", f"no case type {case_type!r}")
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError("rule", f"unknown field {sorted(unknown)[0]!r}")
    clock_key = clean_line("clock", clock_key, limit=40)
    if not clock_key.replace("_", "").isalnum():
        raise ValidationError("clock", "use letters, digits and _ only")
    current: RuleRow | None = next(
        (
            r
            for r in _all_rules(session)
            if (r.case_type, r.event, r.clock) == (case_type, event, clock_key)
        ),
        None,
    )
    if current is None:
        missing = [f for f in ("label", "period", "unit") if f not in changes]
        if missing:
            raise ValidationError(
                missing[0], f"a new clock rule needs {', '.join(missing)} (no default to change)"
            )
        current = RuleRow(
            case_type=case_type,
            event=event,
            clock=clock_key,
            label="",
            period=0,
            unit="days",
            roll_forward=True,
            warn_working_days=0,
            task_kind="deadline",
            team_code="",
            priority=2,
            stopped_by=(),
            letter="",
            active=True,
            source="added",
        )
    values = dict(changes)
    if "stopped_by" in values and isinstance(values["stopped_by"], str):
        values["stopped_by"] = tuple(s.strip() for s in values["stopped_by"].split(",") if s)
    if "label" in values:
        values["label"] = clean_line("label", values["label"], limit=120)
    if "letter" in values:
        values["letter"] = clean_line("letter", values["letter"], required=False, limit=200)
    if "letter_template" in values:
        values["letter_template"] = _template_code(session, str(values["letter_template"]))
    if values.get("team_code"):
        from caseterm.core.services.org import team_by_code

        values["team_code"] = team_by_code(session, values["team_code"]).code
    new = replace(current, **values)
    rules.validate_rule(
        case_type=new.case_type,
        event=new.event,
        period=new.period,
        unit=new.unit,
        warn_working_days=new.warn_working_days,
        task_kind=new.task_kind,
        priority=new.priority,
        stopped_by=new.stopped_by,
    )
    row = session.exec(
        select(ClockRule).where(
            ClockRule.case_type == case_type, ClockRule.event == event, ClockRule.clock == clock_key
        )
    ).first()
    if expected_version is not None and (row.version if row is not None else 0) != expected_version:
        raise StaleEditError(
            f"clock rule {case_type}/{event}/{clock_key}",
            staff_name(session, row.changed_by_id) if row is not None else "someone",
            row.changed_at if row is not None else None,
        )
    before = audit.snapshot(row, RULE_FIELDS) if row is not None else {}
    if row is None:
        row = ClockRule(
            case_type=case_type,
            event=event,
            clock=clock_key,
            label=new.label,
            period=new.period,
            unit=new.unit,
            task_kind=new.task_kind,
        )
    for name in RULE_FIELDS:
        value = getattr(new, name)
        setattr(row, name, ",".join(value) if name == "stopped_by" else value)
    row.changed_at = clock.now()
    row.changed_by_id = actor.id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "clock_rule.set",
        "clock_rule",
        row.id,
        summary=f"{new.key}: {new.label}, {new.period_text}"
        + ("" if new.active else " (switched off)"),
        before=before,
        after=audit.snapshot(row, RULE_FIELDS),
    )
    return _from_row(row, "changed" if current.source != "added" else "added")


def _template_code(session: Session, code: str) -> str:
    """A letter template's code as stored (upper case), refused when no active template has it;
    "" names none."""
    from caseterm.core.models import LetterTemplate

    code = clean_line("letter template", code, required=False, limit=30).upper()
    if not code:
        return ""
    found = session.exec(
        select(LetterTemplate).where(
            LetterTemplate.code == code,
            LetterTemplate.active == True,  # noqa: E712
        )
    ).first()
    if found is None:
        raise ValidationError(
            "letter template", f"no letter template {code!r} (see caseterm template list)"
        )
    return code


# ---------------------------------------------------------------- office closure days


@dataclass(frozen=True)
class ClosureRow:
    day: date
    reason: str


def work_calendar(session: Session) -> WorkCalendar:
    """The working-day calendar: the configured region's bank holidays and the closure days."""
    days = session.exec(select(col(OfficeClosure.day))).all()
    return WorkCalendar(closures=frozenset(days))


def add_closure(session: Session, actor: Actor, *, day: date, reason: str) -> ClosureRow:
    """An office closure day (not a working day for any clock from now on)."""
    actor.require("rules.admin")
    why = clean_line("reason", reason, limit=200)
    if session.exec(select(OfficeClosure).where(OfficeClosure.day == day)).first() is not None:
        raise ValidationError("day", f"{day:%d/%m/%Y} is already a closure day")
    closed = WorkCalendar().why_closed(day)
    if closed:
        raise ValidationError("day", f"{day:%d/%m/%Y} is already not a working day: {closed}")
    row = OfficeClosure(day=day, reason=why, added_by_id=actor.id, added_at=clock.now())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "closure.add",
        "office_closure",
        row.id,
        summary=f"office closed {day:%d/%m/%Y}: {why}",
        after={"day": day.isoformat(), "reason": why},
    )
    return ClosureRow(day=day, reason=why)


def list_closures(
    session: Session, actor: Actor, *, from_day: date | None = None
) -> list[ClosureRow]:
    actor.require("case.read")
    query = select(OfficeClosure).order_by(col(OfficeClosure.day))
    if from_day is not None:
        query = query.where(col(OfficeClosure.day) >= from_day)
    return [ClosureRow(day=r.day, reason=r.reason) for r in session.exec(query).all()]


def remove_closure(session: Session, actor: Actor, *, day: date) -> ClosureRow:
    """Remove an office closure day (added in error, or the office opens after all): a working
    day again for any clock from now on. Audited with what was removed."""
    actor.require("rules.admin")
    row = session.exec(select(OfficeClosure).where(OfficeClosure.day == day)).first()
    if row is None:
        raise ValidationError("day", f"{day:%d/%m/%Y} is not an office closure day")
    removed = ClosureRow(day=row.day, reason=row.reason)
    closure_id = row.id
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor,
        "closure.remove",
        "office_closure",
        closure_id,
        summary=f"office open again {day:%d/%m/%Y} (was: {removed.reason})",
        before={"day": day.isoformat(), "reason": removed.reason},
    )
    return removed
