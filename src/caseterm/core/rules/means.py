"""A means form's arithmetic: income and outgoings in structured fields, the disposable income
and the instalment proposed from it, by a rule that is data (means.toml, shipped defaults).

Every figure is an amount per the form's period (weekly, fortnightly or monthly). Dependants
add an allowance per week (converted to the period) to the outgoings. The proposal is the rule's
share of the disposable income, rounded down, never below the minimum a week (converted), and
never more than the balance. Arithmetic in `Decimal`, results in whole pence.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import MAX_AMOUNT_PENCE
from caseterm.core.rules.money_settings import check_keys, config_key, config_table, whole_number

RULE_FILE = Path(__file__).with_name("means.toml")

# Weeks in each period (a month is 52/12 weeks).
WEEKS: dict[str, Decimal] = {
    "weekly": Decimal(1),
    "fortnightly": Decimal(2),
    "monthly": Decimal(52) / Decimal(12),
}
INCOME_FIELDS: dict[str, str] = {
    "wages": "Wages (take-home)",
    "benefits": "Benefits",
    "other_income": "Other income",
}
OUTGOING_FIELDS: dict[str, str] = {
    "housing": "Rent or mortgage",
    "council_tax": "Council tax",
    "utilities": "Gas, electricity and water",
    "food": "Food and housekeeping",
    "travel": "Travel",
    "debts": "Other debts and court orders",
    "other_outgoings": "Other outgoings",
}
MAX_DEPENDANTS = 20


@dataclass(frozen=True)
class MeansRule:
    share_percent: int = 50
    minimum_weekly_pence: int = 500
    dependant_weekly_pence: int = 2000
    round_to_pence: int = 100


@dataclass(frozen=True)
class Figures:
    """What the form holds, in pence per period."""

    wages: int = 0
    benefits: int = 0
    other_income: int = 0
    housing: int = 0
    council_tax: int = 0
    utilities: int = 0
    food: int = 0
    travel: int = 0
    debts: int = 0
    other_outgoings: int = 0
    dependants: int = 0

    def amounts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "dependants"}


@dataclass(frozen=True)
class Assessment:
    frequency: str
    income_pence: int
    outgoings_pence: int  # with the dependants' allowance
    dependants_allowance_pence: int
    disposable_pence: int  # may be negative
    proposed_pence: int  # the instalment per period


# What the config file's [means] may set each figure to.
BOUNDS: dict[str, tuple[int, int]] = {
    "share_percent": (1, 100),
    "minimum_weekly_pence": (0, MAX_AMOUNT_PENCE),
    "dependant_weekly_pence": (0, MAX_AMOUNT_PENCE),
    "round_to_pence": (1, 100_000),
}
_loaded: dict[str, MeansRule] = {}  # by config file


def _rule_from(data: dict[str, Any]) -> MeansRule:
    rule = MeansRule(**{k: int(v) for k, v in data.items()})
    if not 0 < rule.share_percent <= 100:
        raise ValidationError("means rule", "share_percent must be from 1 to 100")
    if rule.minimum_weekly_pence < 0 or rule.dependant_weekly_pence < 0 or rule.round_to_pence < 1:
        raise ValidationError("means rule", "amounts must not be negative")
    return rule


def load_means_rule(text: str) -> MeansRule:
    return _rule_from(tomllib.loads(text))


def means_rule() -> MeansRule:
    """The rule in force: the shipped one with the config file's `[means]` laid over it, read
    once per config file."""
    key = config_key()
    if key not in _loaded:
        data = tomllib.loads(RULE_FILE.read_text(encoding="utf-8"))
        table, where = config_table("means")
        check_keys(table, tuple(BOUNDS), where, "[means]")
        for name, value in table.items():
            data[name] = whole_number(value, where, f"[means] {name}", *BOUNDS[name])
        _loaded.clear()
        _loaded[key] = _rule_from(data)
    return _loaded[key]


def check_figures(figures: Figures) -> Figures:
    """Refuses negative or absurd amounts and dependants, naming the field."""
    labels = INCOME_FIELDS | OUTGOING_FIELDS
    for name, pence in figures.amounts().items():
        if pence < 0:
            raise ValidationError(labels[name].lower(), "must not be negative")
        if pence > MAX_AMOUNT_PENCE:
            raise ValidationError(labels[name].lower(), "is more than any real amount")
    if not 0 <= figures.dependants <= MAX_DEPENDANTS:
        raise ValidationError("dependants", f"must be from 0 to {MAX_DEPENDANTS}")
    return figures


def per_period(weekly_pence: int, frequency: str) -> int:
    if frequency not in WEEKS:
        raise ValidationError(
            "period", f"unknown {frequency!r}; use weekly, fortnightly or monthly"
        )
    return int((Decimal(weekly_pence) * WEEKS[frequency]).to_integral_value(ROUND_DOWN))


def assess(
    figures: Figures, frequency: str, balance_pence: int, rule: MeansRule | None = None
) -> Assessment:
    """The disposable income and the instalment proposed, per `frequency`."""
    rule = rule or means_rule()
    check_figures(figures)
    amounts = figures.amounts()
    income = sum(amounts[k] for k in INCOME_FIELDS)
    allowance = per_period(rule.dependant_weekly_pence, frequency) * figures.dependants
    outgoings = sum(amounts[k] for k in OUTGOING_FIELDS) + allowance
    disposable = income - outgoings
    share = Decimal(max(disposable, 0)) * rule.share_percent / 100
    step = Decimal(rule.round_to_pence)
    proposed = int((share / step).to_integral_value(ROUND_DOWN) * step)
    proposed = max(proposed, per_period(rule.minimum_weekly_pence, frequency))
    if balance_pence > 0:
        proposed = min(proposed, balance_pence)
    return Assessment(frequency, income, outgoings, allowance, disposable, proposed)
