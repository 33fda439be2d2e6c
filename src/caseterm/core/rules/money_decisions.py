"""What an officer may decide alone on a fines account (limits per role, as data:
money_decisions.toml) and the increase of the fine on default (at most half the fine as
imposed, on the fine only). Pure functions over plain values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import format_pence, kind_label

LIMITS_FILE = Path(__file__).with_name("money_decisions.toml")

# The kinds of decision a checker may have to approve, in words.
DECISION_KINDS: dict[str, str] = {
    "write_off": "Write-off",
    "remission": "Remission",
    "terms": "Change of payment terms",
    "adjustment": "Adjustment",
}


@dataclass(frozen=True)
class Limits:
    write_off: dict[str, int]  # role: pence
    remission: dict[str, int]  # role: pence
    terms_months: dict[str, int]  # role: months
    increase_max_percent: int = 50
    increase_kinds: tuple[str, ...] = ("fine",)
    adjustment: dict[str, int] = field(default_factory=dict)  # role: pence either way


def load_limits(text: str) -> Limits:
    data = tomllib.loads(text)
    increase = data.get("increase", {})
    limits = Limits(
        write_off={k: int(v) for k, v in data.get("write_off", {}).items()},
        remission={k: int(v) for k, v in data.get("remission", {}).items()},
        terms_months={k: int(v) for k, v in data.get("terms_months", {}).items()},
        increase_max_percent=int(increase.get("max_percent", 50)),
        increase_kinds=tuple(str(k) for k in increase.get("kinds", ["fine"])),
        adjustment={k: int(v) for k, v in data.get("adjustment", {}).items()},
    )
    if not 0 <= limits.increase_max_percent <= 100:
        raise ValidationError("money limits", "increase max_percent must be from 0 to 100")
    return limits


@cache
def limits() -> Limits:
    """The shipped limits."""
    return load_limits(LIMITS_FILE.read_text(encoding="utf-8"))


def limit_for(roles: frozenset[str], table: dict[str, int]) -> int:
    """The most any of `roles` allows (0 when none is listed)."""
    return max((table.get(r, 0) for r in roles), default=0)


def over_amount(kind: str, roles: frozenset[str], pence: int, rules: Limits | None = None) -> str:
    """Why a write-off, remission or adjustment of `pence` (either way) needs a checker (""
    when it does not)."""
    rules = rules or limits()
    tables = {"write_off": rules.write_off, "adjustment": rules.adjustment}
    limit = limit_for(roles, tables.get(kind, rules.remission))
    if abs(pence) <= limit:
        return ""
    return f"{format_pence(abs(pence))} is over your limit of {format_pence(limit)}"


def over_months(roles: frozenset[str], months: int, rules: Limits | None = None) -> str:
    """Why terms taking `months` to pay off need a checker ("" when they do not)."""
    rules = rules or limits()
    limit = limit_for(roles, rules.terms_months)
    if months <= limit:
        return ""
    return f"the terms take {months} months to pay off, over your limit of {limit} months"


def months_between(start: tuple[int, int, int], end: tuple[int, int, int]) -> int:
    """Whole months from `start` to `end` (year, month, day), a part month counting as one."""
    (y1, m1, d1), (y2, m2, d2) = start, end
    months = (y2 - y1) * 12 + (m2 - m1)
    return max(months + (1 if d2 > d1 else 0), 0)


def increase_amount(
    kind: str,
    imposed_pence: int,
    already_pence: int,
    *,
    percent: int | None = None,
    amount_pence: int | None = None,
    rules: Limits | None = None,
) -> int:
    """The pence a fine is increased by (a percentage of the fine as imposed, rounded down, or
    an amount), refused on any kind but the fine's, or when the increases would pass the most
    allowed (half the fine as imposed by default)."""
    rules = rules or limits()
    if kind not in rules.increase_kinds:
        raise ValidationError(
            "imposition",
            f"an increase applies to the fine only, not to {kind_label(kind).lower()}",
        )
    if (percent is None) == (amount_pence is None):
        raise ValidationError("increase", "give either a percentage or an amount")
    if percent is not None:
        if not 0 < percent <= 100:
            raise ValidationError("percent", f"must be from 1 to 100, not {percent}")
        pence = int((Decimal(imposed_pence) * percent / 100).to_integral_value(ROUND_DOWN))
    else:
        pence = amount_pence or 0
    if pence <= 0:
        raise ValidationError("increase", "must be more than £0.00")
    most = int(
        (Decimal(imposed_pence) * rules.increase_max_percent / 100).to_integral_value(ROUND_DOWN)
    )
    if already_pence + pence > most:
        left = max(most - already_pence, 0)
        raise ValidationError(
            "increase",
            f"{format_pence(pence)} would take the increases past "
            f"{rules.increase_max_percent}% of the fine ({format_pence(most)}); "
            f"{format_pence(left)} may still be added",
        )
    return pence
