"""Payment terms asked for on their own (the Account section's terms form, `caseterm account
terms`): pay in full by a date, or an instalment weekly, fortnightly or monthly from a first
date. The first date (or the date to pay by) must be a working day: a weekend, bank holiday or
office closure day is refused naming the next working day, as a deadline on a non-working day
moves to the next one. Then the terms go through the officer's limit like every money decision
(`money_decisions.vary_terms`): set at once within it, else held for a checker. A means form
that sets terms (`means.record_means`) asks through here too, so its first date is held to the
same rule."""

from __future__ import annotations

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.rules.when import non_working_note
from caseterm.core.services import money_decisions
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decisions import Decision, TermsAsked


def ask_terms(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    asked: TermsAsked,
    reason: str = "",
    means_id: int | None = None,
) -> Decision:
    """New payment terms from a first date that is a working day: set within the officer's
    limit of months, held for a checker beyond it (the Decision says which); `means_id` links
    the means form they come from."""
    actor.require("money.terms")
    note = non_working_note(asked.first_due, work_calendar(session))
    if note:
        field = "pay by" if asked.kind == "by_date" else "first instalment"
        raise ValidationError(field, f"must be a working day; {note}")
    return money_decisions.vary_terms(
        session, actor, case_id=case_id, asked=asked, reason=reason, means_id=means_id
    )
