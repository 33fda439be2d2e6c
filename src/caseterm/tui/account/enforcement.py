"""Enforcement on the Account section (issue 14): the step the money run proposed is confirmed
(`c`: its stock letter is drafted and sent for checking, its task done) or rejected with a
reason (`v`), and the account's enforcement is held with a reason and an optional until-date or
released (`H`). (The Enforcement queue's `enter` on a task opens its case on the Account section:
screens/enforcement_task.py.) Everything goes through the services in
`core/services/enforcement_*.py`; the account shown when the key was pressed is the one acted
on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day
from caseterm.core.services import enforcement_hold, enforcement_steps
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.enforcement_state import StepState
from caseterm.core.services.identity import Actor
from caseterm.tui.account.enforcement_dialogs import ConfirmStepDialog, StepReasonDialog
from caseterm.tui.account.forms import MoneyForm
from caseterm.tui.dbwork import run_db
from caseterm.tui.work_log.form import Field


class HoldScreen(MoneyForm):
    TITLE_TEXT = "Hold enforcement"
    DRAFT_KIND = "enforcement_hold"
    SAVING = "holding enforcement"

    def __init__(self, view: AccountView) -> None:
        super().__init__(
            view,
            {"reason": "", "until": ""},
            f"Put the enforcement of {view.reference} on hold (stage: {view.stage}). The money "
            "run proposes no step until it is released or the until-date has passed.",
        )

    def fields(self) -> list[Field]:
        return [
            Field("reason", "Reason", placeholder="e.g. appeal lodged, means review (required)"),
            Field("until", "Until", placeholder=f"blank: until released; {DAY_EXAMPLES}"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        text = values["until"].strip()
        until = parse_day(text, clock.today(), field="until") if text else None
        reason, case_id = values["reason"], self.view.case_id

        def run(s: Session) -> str:
            held = enforcement_hold.hold_account(
                s, actor, case_id=case_id, reason=reason, until=until
            )
            return f"{held.reference}: {held.words()}"

        return run


def _refresh(pane: Any) -> Callable[[Any], None]:
    screen: Any = pane.screen

    def done(message: Any) -> None:
        if message is not None and hasattr(screen, "refresh_data"):
            screen.refresh_data()

    return done


def _said(pane: Any, text: str) -> Callable[[Any], None]:
    after = _refresh(pane)

    def done(result: Any) -> None:
        pane.notify(text if text else str(result), markup=False)
        after(result)

    return done


def hold_or_release(pane: Any) -> None:
    """`H`: the hold form on an account not on hold; on a held one, release it (a reason may
    be given)."""
    view: AccountView | None = pane.view
    if view is None:
        pane.notify("This case has no account to hold.", severity="warning", markup=False)
        return
    if not view.hold:
        pane.app.push_screen(HoldScreen(view), callback=_refresh(pane))
        return
    actor, case_id, reference = pane.app.ctx.actor, view.case_id, view.reference

    def answered(reason: str | None) -> None:
        if reason is None:
            return
        run_db(
            pane,
            lambda s: enforcement_hold.release_account(s, actor, case_id=case_id, reason=reason),
            write=True,
            done=_said(pane, f"{reference}: released from hold; enforcement resumes"),
            what="releasing the hold",
        )

    pane.app.push_screen(
        StepReasonDialog(
            f"Release {reference} from hold? {view.hold}",
            "Why it is released (optional)",
            required=False,
        ),
        callback=answered,
    )


def _pending(pane: Any) -> tuple[AccountView, StepState] | None:
    view: AccountView | None = pane.view
    step = view.pending_step if view is not None else None
    if view is None or step is None:
        pane.notify(
            "No enforcement step awaits the officer on this account"
            + (f" ({view.stage})." if view is not None else "."),
            severity="warning",
            markup=False,
        )
        return None
    return view, step


def confirm_step(pane: Any) -> None:
    """`c`: confirm the proposed step (after a yes): its letter drafted for checking."""
    found = _pending(pane)
    if found is None:
        return
    view, step = found
    actor, case_id = pane.app.ctx.actor, view.case_id
    letter = (
        f"The {step.letter} ({step.template}) is drafted and sent for checking."
        if step.template
        else "It produces no letter from a template."
    )

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        run_db(
            pane,
            lambda s: enforcement_steps.confirm_step(s, actor, case_id=case_id).words(),
            write=True,
            done=_said(pane, ""),
            what="confirming the step",
        )

    pane.app.push_screen(
        ConfirmStepDialog(
            f"Confirm {step.label.lower()} on {view.reference}?",
            f"Proposed {step.proposed_on:%d/%m/%Y}. {letter} Its task is done.",
        ),
        callback=answered,
    )


def reject_step(pane: Any) -> None:
    """`v`: reject the proposed step with a reason (its task is cancelled)."""
    found = _pending(pane)
    if found is None:
        return
    view, step = found
    actor, case_id = pane.app.ctx.actor, view.case_id

    def answered(reason: str | None) -> None:
        if reason is None:
            return
        run_db(
            pane,
            lambda s: enforcement_steps.reject_step(s, actor, case_id=case_id, reason=reason),
            write=True,
            done=_said(pane, f"{step.label} rejected on {view.reference}"),
            what="rejecting the step",
        )

    pane.app.push_screen(
        StepReasonDialog(
            f"Reject {step.label.lower()} on {view.reference}", "Why the step is not taken"
        ),
        callback=answered,
    )
