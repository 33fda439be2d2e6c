"""`H` in the workstation (and "Office phone" in the command palette): an office administrator
sets the phone number their office's letters print (`services.offices.update_office`): the
letterhead and the `office.phone` merge field."""

from __future__ import annotations

from typing import Any

from caseterm.core.services import offices
from caseterm.core.services.org import OfficeInfo
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.screens.prompt import PromptScreen


def ask_and_set(app: Any) -> None:
    """Read the user's office, ask its phone (offered as it is), then save it."""
    actor = app.ctx.actor
    if actor.office_id is None:
        app.notify("You belong to no office; use caseterm office set CODE --phone …", markup=False)
        return

    def read(s: Any) -> OfficeInfo | None:
        return next((o for o in offices.list_offices(s, actor) if o.id == actor.office_id), None)

    def got(office: OfficeInfo | None) -> None:
        if office is None:
            return
        app.push_screen(
            PromptScreen(
                f"Phone number printed on {office.name}'s letters (empty: none)",
                "e.g. 01772 555 0100 ext 214",
                office.phone,
            ),
            lambda phone: _save(app, office, phone),
        )

    run_db(app, read, done=got, what="reading your office", group="office-phone")


def _save(app: Any, office: OfficeInfo, phone: str | None) -> None:
    if phone is None:
        return
    actor = app.ctx.actor

    def saved(info: OfficeInfo) -> None:
        shown = info.phone or "no phone"
        app.notify(f"{info.name}'s letters now print: {shown}", markup=False)

    run_db(
        app,
        lambda s: offices.update_office(s, actor, code=office.code, phone=phone),
        done=saved,
        failed=lambda error: app.notify(
            describe_error(error), title="Phone not changed", severity="warning", markup=False
        ),
        write=True,
        what="saving the office's phone",
        group="office-phone",
    )
