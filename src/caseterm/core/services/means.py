"""A means form on a case (seed 002 "means interviews"): income and outgoings in structured
fields, the disposable income and an instalment proposed from them by the means rule
(`rules/means.py`, data), saved on the case. Asked to, it goes on to set payment terms at the
proposed instalment (or one the officer chose) from a working day, through the officer's
limit (`terms_requests.ask_terms`, as the terms form); the form is linked to the terms it led
to (when a checker approves them, if they were held)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, MeansAssessment
from caseterm.core.rules import means as rules
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import position_of
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decisions import Decision, TermsAsked
from caseterm.core.services.terms_requests import ask_terms
from caseterm.core.text import clean_notes

MEANS_FIELDS = (
    *(f"{name}_pence" for name in (*rules.INCOME_FIELDS, *rules.OUTGOING_FIELDS)),
    "dependants",
    "frequency",
    "income_pence",
    "outgoings_pence",
    "disposable_pence",
    "proposed_pence",
    "terms_id",
)


@dataclass(frozen=True)
class MeansInfo:
    id: int
    case_id: int
    reference: str
    frequency: str
    figures: rules.Figures
    income_pence: int
    outgoings_pence: int
    dependants_allowance_pence: int
    disposable_pence: int
    proposed_pence: int
    notes: str
    terms_id: int | None
    taken_by: str
    taken_at: datetime
    terms: Decision | None = None  # the terms it led to, when asked for (posted or held)


def _figures(row: MeansAssessment) -> rules.Figures:
    return rules.Figures(
        **{name: getattr(row, f"{name}_pence") for name in rules.Figures().amounts()},
        dependants=row.dependants,
    )


def _info(
    session: Session, row: MeansAssessment, case: CaseFile, terms: Decision | None = None
) -> MeansInfo:
    rule = rules.means_rule()
    return MeansInfo(
        id=row.id or 0,
        case_id=case.id or 0,
        reference=case.reference,
        frequency=row.frequency,
        figures=_figures(row),
        income_pence=row.income_pence,
        outgoings_pence=row.outgoings_pence,
        dependants_allowance_pence=rules.per_period(rule.dependant_weekly_pence, row.frequency)
        * row.dependants,
        disposable_pence=row.disposable_pence,
        proposed_pence=row.proposed_pence,
        notes=row.notes,
        terms_id=row.terms_id,
        taken_by=staff_name(session, row.created_by_id),
        taken_at=row.created_at,
        terms=terms,
    )


def record_means(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    figures: rules.Figures,
    frequency: str = "weekly",
    notes: str = "",
    terms_from: date | None = None,
    instalment_pence: int | None = None,
    reason: str = "",
) -> MeansInfo:
    """Save a means form on a case with its disposable income and proposed instalment. With
    `terms_from` (a working day, else refused naming the next one), also set instalment terms
    from that date at the proposed instalment (or `instalment_pence`), within the officer's
    limit or held for a checker, linked to the form; nothing is saved when they are refused."""
    actor.require("money.terms")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    charges, _, position = position_of(session, case)
    if not charges:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    result = rules.assess(figures, frequency, position.balance_pence)
    row = MeansAssessment(
        case_id=case_id,
        frequency=frequency,
        **{f"{name}_pence": pence for name, pence in figures.amounts().items()},
        dependants=figures.dependants,
        income_pence=result.income_pence,
        outgoings_pence=result.outgoings_pence,
        disposable_pence=result.disposable_pence,
        proposed_pence=result.proposed_pence,
        notes=clean_notes("notes", notes, limit=2000),
        created_at=clock.now(),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "account.means",
        "means_assessment",
        row.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"means form: disposable {result.disposable_pence / 100:.2f} {frequency}, "
        f"proposed instalment {result.proposed_pence / 100:.2f}",
        after=audit.snapshot(row, MEANS_FIELDS),
    )
    decision = None
    if terms_from is not None:
        decision = ask_terms(
            session,
            actor,
            case_id=case_id,
            asked=TermsAsked(
                kind="instalments",
                first_due=terms_from,
                instalment_pence=instalment_pence or result.proposed_pence,
                frequency=frequency,
            ),
            reason=reason or f"means form #{row.id}",
            means_id=row.id,
        )
        session.refresh(row)
    return _info(session, row, case, decision)


def latest_means(session: Session, actor: Actor, *, case_id: int) -> MeansInfo:
    """The case's latest means form (the one a new form starts from)."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    row = session.exec(
        select(MeansAssessment)
        .where(MeansAssessment.case_id == case_id)
        .order_by(col(MeansAssessment.id).desc())
    ).first()
    if row is None:
        raise NotFoundError("means form of case", case.reference)
    return _info(session, row, case)


def _preview_means(
    session: Session, actor: Actor, *, case_id: int, figures: rules.Figures, frequency: str
) -> rules.Assessment:
    """What a form would work out to, as it is typed (nothing saved)."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    return rules.assess(figures, frequency, position_of(session, case)[2].balance_pence)
