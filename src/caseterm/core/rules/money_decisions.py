"""What an officer may decide alone on a fines account (limits per role, as data:
money_decisions.toml) and the increase of the fine on default (at most half the fine as
imposed, on the fine only). Pure functions over plain values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import IMPOSITION_KINDS, MAX_AMOUNT_PENCE, format_pence, kind_label
from caseterm.core.rules.money_settings import (
    bad,
    check_keys,
    config_key,
    config_table,
    whole_number,
)
from caseterm.core.rules.roles import CAPABILITIES

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


# The most the config file's [money_limits] may set a role's figure to: months for the terms,
# pence for every other per-role table of the shipped file (write_off, remission, ...).
MOST_MONTHS = 120


def _per_role(data: dict[str, Any]) -> dict[str, int]:
    """The shipped file's per-role tables with the most each may be set to."""
    return {
        name: MOST_MONTHS if name == "terms_months" else MAX_AMOUNT_PENCE
        for name, table in data.items()
        if isinstance(table, dict) and name != "increase"
    }


_loaded: dict[str, Limits] = {}  # by config file


def _limits_from(data: dict[str, Any]) -> Limits:
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


def load_limits(text: str) -> Limits:
    return _limits_from(tomllib.loads(text))


def _overlay(data: dict[str, Any], table: dict[str, Any], where: str) -> None:
    """The config file's `[money_limits]` laid over the shipped limits, checked."""
    per_role = _per_role(data)
    check_keys(table, (*per_role, "increase"), where, "[money_limits]")
    roles = frozenset().union(*CAPABILITIES.values())
    for name, most in per_role.items():
        extra = table.get(name, {})
        if not isinstance(extra, dict):
            raise bad(where, f"[money_limits.{name}] must be a table of role = number")
        for role, value in extra.items():
            if role not in roles:
                raise bad(
                    where,
                    f"[money_limits.{name}] {role!r} is not a role; use {', '.join(sorted(roles))}",
                )
            whole_number(value, where, f"[money_limits.{name}] {role}", 0, most)
        data[name] = {**data.get(name, {}), **extra}
    increase = table.get("increase", {})
    if not isinstance(increase, dict):
        raise bad(where, "[money_limits.increase] must be a table")
    check_keys(increase, ("max_percent", "kinds"), where, "[money_limits.increase]")
    shipped = dict(data.get("increase", {}))
    if "max_percent" in increase:
        shipped["max_percent"] = whole_number(
            increase["max_percent"], where, "[money_limits.increase] max_percent", 0, 100
        )
    if "kinds" in increase:
        kinds = increase["kinds"]
        if not isinstance(kinds, list) or not all(k in IMPOSITION_KINDS for k in kinds):
            raise bad(
                where,
                "[money_limits.increase] kinds must be a list of "
                + ", ".join(IMPOSITION_KINDS)
                + f", not {kinds!r}",
            )
        shipped["kinds"] = kinds
    data["increase"] = shipped


def limits() -> Limits:
    """The limits in force: the shipped ones with the config file's `[money_limits]` laid over
    them (a role's figure replaced, the others kept), read once per config file."""
    key = config_key()
    if key not in _loaded:
        data = tomllib.loads(LIMITS_FILE.read_text(encoding="utf-8"))
        table, where = config_table("money_limits")
        _overlay(data, table, where)
        _loaded.clear()
        _loaded[key] = _limits_from(data)
    return _loaded[key]


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
