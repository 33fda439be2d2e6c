"""The config file's own figures for the money rules, laid over the shipped defaults: a
`[means]` table (over rules/means.toml) and a `[money_limits]` table (over
rules/money_decisions.toml), e.g.

    [means]
    share_percent = 40
    [money_limits.write_off]
    caseworker = 7500          # pence
    [money_limits.terms_months]
    caseworker = 36

A bad value is refused in one line naming the config file, the table, the key and the rule
(`money rules: /etc/caseterm.toml: [means] share_percent must be a whole number from 1 to 100,
not 'half'`). The rules read the config once per config file (`CASETERM_CONFIG` or the user's),
so a change is used by the next caseterm started."""

from __future__ import annotations

from typing import Any

from caseterm.core.errors import ValidationError


def bad(where: str, rule: str) -> ValidationError:
    return ValidationError("money rules", f"{where}: {rule}")


def config_key() -> str:
    """The config file the rules are read for (a cache key)."""
    from caseterm.core.config import config_path

    return str(config_path())


def config_table(name: str) -> tuple[dict[str, Any], str]:
    """The config file's `[name]` table ({} when there is none) and the file's path."""
    from caseterm.core.config import load_settings

    settings = load_settings()
    where = str(settings.source) if settings.source else config_key()
    table = settings.money_rules.get(name, {})
    if not isinstance(table, dict):
        raise bad(where, f"[{name}] must be a table")
    return table, where


def whole_number(value: object, where: str, what: str, low: int, high: int) -> int:
    """`value` as a whole number from `low` to `high`, else a refusal naming `what`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise bad(where, f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def check_keys(table: dict[str, Any], known: tuple[str, ...], where: str, at: str) -> None:
    """Refuses a key the rule does not have (a typing mistake would otherwise be ignored)."""
    for key in table:
        if key not in known:
            raise bad(where, f"{at} has no setting {key!r}; use {', '.join(known)}")
