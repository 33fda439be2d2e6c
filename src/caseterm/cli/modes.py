"""`caseterm checkin` (the reception desk) and `caseterm triage` (clearing incoming items)."""

from __future__ import annotations

import argparse
from typing import Any

from caseterm.cli.context import context
from caseterm.cli.workstation import answer_keys_first, collect_again
from caseterm.core.config import load_settings
from caseterm.core.errors import ValidationError
from caseterm.core.services import org
from caseterm.tui.context import TuiContext


def register(sub: Any) -> None:
    p = sub.add_parser(
        "checkin",
        help="reception check-in mode (a locked-down desk screen)",
        description="Today's expected arrivals at one office; type to search, enter checks in, "
        "F2 logs a walk-in, F8 closes the session.",
    )
    p.add_argument(
        "--office", metavar="CODE_OR_NAME", help="office (default: yours, or the config file's)"
    )
    p.set_defaults(handler=run_checkin, starts_screen=True)
    t = sub.add_parser(
        "triage",
        help="triage mode: clear incoming items one at a time",
        description="One incoming item at a time with single-key decisions; u undoes.",
    )
    t.set_defaults(handler=run_triage, starts_screen=True)


def resolve_office(session: Any, wanted: str | None, own_office_id: int | None) -> org.OfficeInfo:
    """--office by code or name; else the member of staff's office; else the config file's."""
    wanted = wanted or (None if own_office_id else load_settings().office)
    if wanted:
        for office in org.list_offices(session):
            if wanted.strip().lower() in (office.code.lower(), office.name.lower()):
                return office
        codes = ", ".join(f"{o.code} ({o.name})" for o in org.list_offices(session)) or "none yet"
        raise ValidationError("office", f"no office {wanted!r}; offices: {codes}")
    if own_office_id is None:
        raise ValidationError("office", "you have no office: give --office CODE")
    return org.get_office(session, own_office_id or 0)


def run_checkin(args: argparse.Namespace) -> int:
    ctx = context(args)
    ctx.actor.require("reception.desk")
    with ctx.db.read() as s:
        office = resolve_office(s, args.office, ctx.actor.office_id)
    from caseterm.tui.desk.app import CheckinApp

    app = CheckinApp(TuiContext(ctx.db, ctx.actor), office.id or 0, office.name)
    collect_again()  # start-up's objects frozen, collection back on (see cli.main)
    answer_keys_first()
    app.run()
    return 0


def run_triage(args: argparse.Namespace) -> int:
    ctx = context(args)
    ctx.actor.require("task.work")
    from caseterm.tui.triage.app import TriageApp

    app = TriageApp(TuiContext(ctx.db, ctx.actor))
    collect_again()  # start-up's objects frozen, collection back on (see cli.main)
    answer_keys_first()
    app.run()
    return 0
