"""The maker's side of money decisions: a fines officer writes off, remits, adjusts or sets new
payment terms with a reason. Within the limit of their role (`rules/money_decisions.py`, data)
the change is posted at once; beyond it, it is held for a checker, as letters are
(`money_decision_checks`). The ledger or the terms change only when it is posted
(`money_decision_posting`)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import MoneyDecision
from caseterm.core.models.money import TermsKind
from caseterm.core.rules.money import (
    FREQUENCIES,
    WRITE_OFF_REASONS,
    check_choice,
    check_pence,
    check_write_off_reason,
)
from caseterm.core.services.accounts import active_terms
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decision_posting import (
    BACKDATE_DAYS,
    account_case,
    decide,
    live_balance,
)
from caseterm.core.services.money_decision_posting import Decision as Decision
from caseterm.core.services.money_decision_posting import TermsAsked as TermsAsked
from caseterm.core.text import clean_line


def write_off(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    reason_code: str,
    amount_pence: int | None = None,
) -> Decision:
    """Write off the balance (or `amount_pence` of it) with a reason code: posted at once within
    the officer's limit, else held for a checker."""
    case = account_case(session, actor, case_id, "money.decide")
    code = check_choice(reason_code, WRITE_OFF_REASONS, "reason")
    owed = live_balance(session, case, "write off")
    amount = owed if amount_pence is None else check_pence(amount_pence)
    check_write_off_reason(code, amount)
    d = MoneyDecision(
        case_id=case_id,
        kind="write_off",
        amount_pence=amount,
        reason_code=code,
        maker_id=actor.id,
    )
    return decide(session, actor, case, d)


def remit(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    amount_pence: int,
    reason: str,
    imposition_id: int | None = None,
) -> Decision:
    """Remit part of what is owed (on `imposition_id`, else by priority), with a reason: posted
    at once within the officer's limit, else held for a checker."""
    case = account_case(session, actor, case_id, "money.decide")
    why = clean_line("reason", reason, limit=300)
    d = MoneyDecision(
        case_id=case_id,
        kind="remission",
        amount_pence=check_pence(amount_pence),
        reason=why,
        imposition_id=imposition_id,
        maker_id=actor.id,
    )
    return decide(session, actor, case, d)


def adjust(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    amount_pence: int,
    reason: str,
    imposition_id: int | None = None,
) -> Decision:
    """A manual adjustment of the ledger with a reason (a correction the other postings do not
    cover): a positive amount reduces what is owed, a negative one increases it (on
    `imposition_id`, else by priority). Posted at once within the officer's limit (either
    way), else held for a checker."""
    case = account_case(session, actor, case_id, "money.decide")
    d = MoneyDecision(
        case_id=case_id,
        kind="adjustment",
        amount_pence=amount_pence,
        reason=clean_line("reason", reason, limit=300),
        imposition_id=imposition_id,
        maker_id=actor.id,
    )
    return decide(session, actor, case, d)


def vary_terms(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    asked: TermsAsked,
    reason: str = "",
    means_id: int | None = None,
) -> Decision:
    """New payment terms (the old ones kept, no longer active): set at once when they pay off
    within the officer's limit of months, else held for a checker. Changing terms that exist
    needs a reason."""
    case = account_case(session, actor, case_id, "money.terms")
    actor.require("money.decide")
    kind = check_choice(asked.kind, {k.value: k.value for k in TermsKind}, "kind")
    frequency = check_choice(asked.frequency, FREQUENCIES, "frequency")
    why = clean_line("reason", reason, required=False, limit=300)
    if asked.lump_sum_pence < 0:
        raise ValidationError("lump sum", "must not be negative")
    if asked.first_due < clock.today() - timedelta(days=BACKDATE_DAYS):
        raise ValidationError("first due", f"{asked.first_due:%d/%m/%Y} is too far in the past")
    if active_terms(session, case_id) is not None and not why:
        raise ValidationError("reason", "is required to change payment terms that exist")
    instalments = kind == TermsKind.INSTALMENTS
    d = MoneyDecision(
        case_id=case_id,
        kind="terms",
        reason=why,
        terms_kind=kind,
        instalment_pence=asked.instalment_pence if instalments else 0,
        frequency=frequency,
        first_due=asked.first_due,
        lump_sum_pence=asked.lump_sum_pence if instalments else 0,
        means_id=means_id,
        maker_id=actor.id,
    )
    return decide(session, actor, case, d)
