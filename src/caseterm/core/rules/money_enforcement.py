"""Enforcement of a fines account, as data: the catalogue of actions (what each is called, the
letter it produces, its appeal window in working days, which actions may follow it) and the path
a case type's defaulted accounts take through them (how many missed instalments start it, the
days between steps). A local office changes these tables, not the code.

Sources (DOMAIN.md): Courts Act 2003 Schedule 5 and the Fines Collection Regulations 2006: on
default, attachment of earnings or benefit deductions, then the further steps in a further steps
notice; an appeal against a fines officer's decision within 10 working days; an increase of up to
50% applies to the fine only. HMCTS's fines service keeps "next permitted actions" per action and
paths per account kind triggered by missed instalments with day gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseterm.core.errors import ValidationError


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    letter: str  # the letter it produces ("" for none); a task until letters land
    appeal_working_days: int = 0
    follows: tuple[str, ...] = ()  # actions it may follow ("" = may start a path)
    fine_only: bool = False  # applies to the fine alone (the 50% increase)
    warrant: bool = False  # generates a warrant


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action("reminder", "Reminder", "Payment reminder", follows=("",)),
        Action(
            "further_steps_notice",
            "Further steps notice",
            "Further steps notice",
            appeal_working_days=10,
            follows=("", "reminder"),
        ),
        Action(
            "attachment_of_earnings",
            "Attachment of earnings",
            "Attachment of earnings order",
            appeal_working_days=10,
            follows=("further_steps_notice", "reminder"),
        ),
        Action(
            "benefit_deductions",
            "Benefit deductions",
            "Application for deductions from benefit",
            appeal_working_days=10,
            follows=("further_steps_notice", "reminder"),
        ),
        Action(
            "increase_fine",
            "Increase of the fine (up to 50%)",
            "Notice of increase",
            follows=("further_steps_notice", "attachment_of_earnings", "benefit_deductions"),
            fine_only=True,
        ),
        Action(
            "warrant_of_control",
            "Warrant of control",
            "Warrant of control",
            follows=(
                "further_steps_notice",
                "attachment_of_earnings",
                "benefit_deductions",
                "increase_fine",
            ),
            warrant=True,
        ),
        Action(
            "referral_to_court",
            "Referral to court",
            "Referral to the magistrates' court",
            follows=("warrant_of_control", "increase_fine", "further_steps_notice"),
        ),
    )
}


@dataclass(frozen=True)
class Step:
    action: str
    days_after: int  # days after the previous step was confirmed (the first: after the trigger)


@dataclass(frozen=True)
class Path:
    trigger_missed: int  # missed instalments that start the path
    steps: tuple[Step, ...]


# Per case type code; a case type not listed has no enforcement path.
PATHS: dict[str, Path] = {
    "FINE": Path(
        trigger_missed=2,
        steps=(
            Step("reminder", 0),
            Step("further_steps_notice", 14),
            Step("attachment_of_earnings", 14),
            Step("warrant_of_control", 28),
            Step("referral_to_court", 28),
        ),
    ),
}


def check_path(path: Path, actions: dict[str, Action] = ACTIONS) -> None:
    """Refuse a path whose steps are not in the catalogue, or that puts an action after one
    it may not follow."""
    previous = ""
    for step in path.steps:
        action = actions.get(step.action)
        if action is None:
            raise ValidationError("enforcement path", f"unknown action {step.action!r}")
        if previous not in action.follows:
            after = actions[previous].label if previous else "nothing"
            raise ValidationError("enforcement path", f"{action.label} may not follow {after}")
        if step.days_after < 0:
            raise ValidationError("enforcement path", f"{action.label}: days must not be negative")
        previous = step.action


@dataclass(frozen=True)
class Due:
    number: int  # the step's position in the path (0 first)
    action: Action
    on: date


def next_step(
    path: Path, *, missed: int, taken: int, last_confirmed: date | None, today: date
) -> Due | None:
    """The next step of the path for an account with `missed` instalments missed, `taken` steps
    already proposed (the last confirmed on `last_confirmed`; None while it awaits the
    officer), or None: not in default, waiting for the officer, or the path is at its end."""
    if missed < path.trigger_missed or taken >= len(path.steps):
        return None
    if taken and last_confirmed is None:
        return None
    step = path.steps[taken]
    on = today if not taken else (last_confirmed or today) + timedelta(days=step.days_after)
    return Due(taken, ACTIONS[step.action], on)
