"""`caseterm account rules`: the money rules in force — the means form's rule and the officers'
limits per role (and the caller's own), the shipped defaults with the config file's `[means]`
and `[money_limits]` laid over them — and so a check of those tables (a bad value is refused in
one line)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseterm.cli.common import plain
from caseterm.cli.context import context
from caseterm.cli.output import add_json_flag, print_json


def show_rules(args: argparse.Namespace) -> int:
    from caseterm.core.config import load_settings
    from caseterm.core.rules import means, money_decisions
    from caseterm.core.rules.money import format_pence

    rule, limits = means.means_rule(), money_decisions.limits()
    settings = load_settings()
    source = str(settings.source) if settings.source and settings.money_rules else None
    actor = context(args).actor
    yours = {
        "write_off_pence": money_decisions.limit_for(actor.roles, limits.write_off),
        "remission_pence": money_decisions.limit_for(actor.roles, limits.remission),
        "terms_months": money_decisions.limit_for(actor.roles, limits.terms_months),
    }
    if args.json:
        print_json(
            {"config": source, "means": asdict(rule), "limits": asdict(limits), "yours": yours}
        )
        return 0
    print(plain(f"Money rules: the shipped defaults{f' with {source}' if source else ''}"))
    print(
        plain(
            f"Means form: {rule.share_percent}% of the disposable income, rounded down to a "
            f"multiple of {format_pence(rule.round_to_pence)}; at least "
            f"{format_pence(rule.minimum_weekly_pence)} a week; "
            f"{format_pence(rule.dependant_weekly_pence)} a week per dependant"
        )
    )
    roles = sorted({*limits.write_off, *limits.remission, *limits.terms_months})
    for role in roles:
        print(
            plain(
                f"{role}: write off up to {format_pence(limits.write_off.get(role, 0))}, remit up "
                f"to {format_pence(limits.remission.get(role, 0))}, terms up to "
                f"{limits.terms_months.get(role, 0)} months"
            )
        )
    print(
        plain(
            f"Increase on default: up to {limits.increase_max_percent}% of "
            + ", ".join(limits.increase_kinds)
        )
    )
    print(
        plain(
            f"You ({actor.login}) may write off up to {format_pence(yours['write_off_pence'])}, "
            f"remit up to {format_pence(yours['remission_pence'])} and set terms up to "
            f"{yours['terms_months']} months alone"
        )
    )
    return 0


def register_rules(sub: Any) -> None:
    p = sub.add_parser(
        "rules",
        help="the money rules in force: the means rule and the officers' limits per role",
        description="The shipped defaults (core/rules/means.toml, money_decisions.toml) with the "
        "config file's [means] and [money_limits] tables laid over them; a bad value is "
        "refused in one line.",
    )
    add_json_flag(p)
    p.set_defaults(handler=show_rules)
