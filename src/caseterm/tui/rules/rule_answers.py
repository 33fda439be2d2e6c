"""Reading what was typed into the clock rule questions (`e` on the clock rules screen) into the
changes `clock_rules.set_rule` takes: one clear message naming the field when an answer cannot
be read; the service then checks the rule as a whole."""

from __future__ import annotations

import re
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.rules.clocks import UNITS, describe_period
from caseterm.core.services.clock_rules import RuleRow

_PERIOD = re.compile(r"(-?\d+)\s*([a-z ]*)")
_UNIT_WORDS: dict[str, str] = {
    "d": "days",
    "day": "days",
    "days": "days",
    "calendar day": "days",
    "calendar days": "days",
    "wd": "working_days",
    "working day": "working_days",
    "working days": "working_days",
    "working_days": "working_days",
    "w": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
PERIOD_EXAMPLES = "e.g. 21 days, 10 working days, 3 weeks, 6 months, 3 years"


def period_text(rule: RuleRow) -> str:
    """The period as the question offers it ("10 working days")."""
    return describe_period(rule.period, rule.unit)


def read_period(text: str) -> tuple[int, str]:
    """(period, unit) from "21 days", "10 working days", "10wd", "3 weeks"."""
    value = " ".join(text.strip().lower().split())
    m = _PERIOD.fullmatch(value)
    unit = _UNIT_WORDS.get(m[2].strip()) if m else None
    if m is None or unit is None or unit not in UNITS:
        raise ValidationError(
            "period", f"cannot read {text.strip()!r}: a number and a unit ({PERIOD_EXAMPLES})"
        )
    return int(m[1]), unit


def read_whole(field: str, text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"-?\d{1,4}", value):
        raise ValidationError(field, f"must be a whole number, not {value!r}")
    return int(value)


def read_yes_no(field: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("y", "yes"):
        return True
    if value in ("n", "no"):
        return False
    raise ValidationError(field, f"answer yes or no, not {text.strip()!r}")


def rule_changes(rule: RuleRow, answers: dict[str, str]) -> dict[str, Any]:
    """What differs from `rule` in the answers (keys: period, warn, task_kind, team, priority,
    roll), as `set_rule`'s changes."""
    period, unit = read_period(answers["period"])
    wanted: dict[str, Any] = {
        "period": period,
        "unit": unit,
        "warn_working_days": read_whole("warning", answers["warn"]),
        "task_kind": answers["task_kind"].strip(),
        "team_code": answers["team"].strip().upper(),
        "priority": read_whole("priority", answers["priority"]),
        "roll_forward": read_yes_no("roll forward", answers["roll"]),
    }
    return {name: value for name, value in wanted.items() if getattr(rule, name) != value}
