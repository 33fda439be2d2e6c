"""The small demo's sampling rates (issue 18): what a co-ordinator at each office has asked to
be checked of their teams' work, so that `caseterm checks draw` (and the `%` screen) has
something to show. Set a month before the demo's day by the team's manager (the demo user when
the team has none), each with its audit event, as `checks rate set` leaves them.

Only the small demo: the large demo's benchmark sets its own rates. Written without drawing from
the demo's random stream, so everything else stays as it was."""

from __future__ import annotations

from datetime import timedelta

from caseterm.core.demo.context import Ctx

# (team family, kind of work, percent); every office's team of that family.
RATES: tuple[tuple[str, str, int], ...] = (
    ("OM", "task", 10),
    ("OM", "contact", 5),
    ("FE", "task", 20),
    ("FE", "write_off", 100),
    ("CS", "contact", 20),
)


def sampling_rates(ctx: Ctx) -> None:
    if ctx.size.name != "small":
        return
    at = ctx.now - timedelta(days=30)
    codes = {
        team_id: f"{office}-{fam}"
        for office, o in ctx.offices.items()
        for fam, team_id in o.teams.items()
    }
    for office in ctx.offices.values():
        for family, kind, percent in RATES:
            team_id = office.teams.get(family)
            if team_id is None:
                continue
            setter = next(
                (
                    s
                    for s in ctx.staff
                    if s.team_id == team_id and "manager" in s.roles and s.active
                ),
                ctx.me,
            )
            rate_id = ctx.w.next_id("check_rate")
            ctx.w.add(
                "check_rate",
                {
                    "id": rate_id,
                    "team_id": team_id,
                    "work_kind": kind,
                    "staff_id": None,
                    "staff_key": 0,
                    "percent": percent,
                    "set_by_id": setter.id,
                    "set_at": at,
                },
            )
            ctx.audit(
                at,
                setter.id,
                "check.rate_set",
                "check_rate",
                rate_id,
                f"{codes[team_id]} {kind}: {percent}%",
            )
