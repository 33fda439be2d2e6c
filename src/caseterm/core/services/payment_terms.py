"""Setting a fines account's payment terms: pay in full by a date, or instalments weekly,
fortnightly or monthly with an optional lump sum. Terms keep their history: setting new terms
ends the active row and adds another, and changing terms that exist needs a reason (an
extension, a variation after a means interview). Terms that never pay the balance off are
refused (`rules/terms.py`)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, PaymentTerms
from caseterm.core.models.money import TermsKind
from caseterm.core.rules import terms
from caseterm.core.rules.money import FREQUENCIES, check_choice
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import TermsView, active_terms, position_of, terms_view
from caseterm.core.services.common import check_version, get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

# How far back the first due date of new terms may be set (terms resulted late).
BACKDATE_DAYS = 366

TERMS_FIELDS = (
    "kind",
    "instalment_pence",
    "frequency",
    "first_due",
    "pay_by",
    "lump_sum_pence",
    "reason",
)


def set_terms(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    first_due: date,
    instalment_pence: int = 0,
    frequency: str = "monthly",
    lump_sum_pence: int = 0,
    reason: str = "",
    expected_version: int | None = None,
) -> TermsView:
    """New payment terms for a case's account (the old ones are kept, no longer active).
    `first_due` is the date to pay by for `by_date` terms."""
    actor.require("money.terms")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    kind = check_choice(kind, {k.value: k.value for k in TermsKind}, "kind")
    frequency = check_choice(frequency, FREQUENCIES, "frequency")
    reason = clean_line("reason", reason, required=False, limit=300)
    if lump_sum_pence < 0:
        raise ValidationError("lump sum", "must not be negative")
    if first_due < clock.today() - timedelta(days=BACKDATE_DAYS):
        raise ValidationError("first due", f"{first_due:%d/%m/%Y} is too far in the past")
    charges, _, position = position_of(session, case)
    if not charges:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    if position.balance_pence <= 0:
        raise ValidationError("account", f"{case.reference} owes nothing: no terms needed")
    plan = terms.Terms(
        kind=kind,
        instalment_pence=instalment_pence if kind == TermsKind.INSTALMENTS else 0,
        frequency=frequency,
        first_due=first_due,
        pay_by=first_due if kind == TermsKind.BY_DATE else None,
        lump_sum_pence=lump_sum_pence if kind == TermsKind.INSTALMENTS else 0,
    )
    terms.schedule(plan, position.balance_pence)  # refuses terms that never pay off
    old = active_terms(session, case_id)
    before: dict[str, object] = {}
    if old is not None:
        if not reason:
            raise ValidationError("reason", "is required to change payment terms that exist")
        check_version(session, old, expected_version, f"payment terms of {case.reference}")
        before = audit.snapshot(old, TERMS_FIELDS)
        old.active = False
        session.add(old)
        session.flush()
    row = PaymentTerms(
        case_id=case_id,
        kind=plan.kind,
        instalment_pence=plan.instalment_pence,
        frequency=frequency,
        first_due=first_due,
        pay_by=plan.pay_by,
        lump_sum_pence=plan.lump_sum_pence,
        reason=reason,
        active=True,
        created_at=clock.now(),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    view = terms_view(row)
    assert view is not None
    audit.record(
        session,
        actor,
        "account.terms",
        "payment_terms",
        row.id,
        case_id=case_id,
        summary=f"payment terms: {view.describe()}" + (f" ({reason})" if reason else ""),
        before=before,
        after=audit.snapshot(row, TERMS_FIELDS),
    )
    return view
