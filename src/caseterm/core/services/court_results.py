"""Resulting a court hearing on a case's account (seed 002 "resulting courts"): the result in
one form (the impositions with their creditors, whether a collection order was made, the payment
terms, the next hearing date), posted in one transaction: everything is checked before anything
is written, and any refusal leaves nothing behind (the caller's transaction rolls back). The
next hearing is booked in the diary as a court hearing on the case (for the case's owner, else
whoever results it), in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, CourtResult, Staff
from caseterm.core.models.money import TermsKind
from caseterm.core.rules import terms as terms_rules
from caseterm.core.rules.catalogue import NEXT_HEARING_AT, NEXT_HEARING_KIND, NEXT_HEARING_MINUTES
from caseterm.core.rules.money import FREQUENCIES, IMPOSITION_KINDS, check_choice, check_pence
from caseterm.core.services import audit, diary, ledger, payment_terms
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import TermsView, active_terms, position_of, terms_view
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decisions import TermsAsked
from caseterm.core.text import clean_line, clean_notes

MAX_IMPOSITIONS = 20
# A hearing's date may be this far back (resulting late) and a next hearing this far ahead.
HEARING_BACK_DAYS = 366
NEXT_HEARING_DAYS = 2 * 366


@dataclass(frozen=True)
class Imposed:
    kind: str
    amount_pence: int
    creditor: str = ""


@dataclass(frozen=True)
class ResultInfo:
    id: int
    case_id: int
    reference: str
    hearing_on: date
    court: str
    collection_order: bool
    imposition_ids: tuple[int, ...]
    imposed_pence: int
    terms: TermsView | None
    next_hearing_on: date | None
    balance_pence: int
    next_hearing_at: datetime | None = None  # when it is booked in the diary
    next_hearing_id: int | None = None  # the diary appointment
    next_hearing_with: str = ""  # whose diary


def _check_impositions(items: list[Imposed]) -> list[Imposed]:
    if not items:
        raise ValidationError("impositions", "at least one is required")
    if len(items) > MAX_IMPOSITIONS:
        raise ValidationError("impositions", f"at most {MAX_IMPOSITIONS} in one result")
    out = []
    for n, item in enumerate(items, 1):
        kind = check_choice(item.kind, IMPOSITION_KINDS, f"imposition {n} kind")
        pence = check_pence(item.amount_pence, f"imposition {n} amount")
        creditor = clean_line(f"imposition {n} creditor", item.creditor, required=False, limit=120)
        out.append(Imposed(kind, pence, creditor))
    return out


def result_hearing(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    hearing_on: date,
    impositions: list[Imposed],
    court: str = "",
    collection_order: bool = True,
    terms: TermsAsked | None = None,
    next_hearing_on: date | None = None,
    next_hearing_time: time | None = None,
    notes: str = "",
) -> ResultInfo:
    """Post a hearing's result: its impositions, the terms set by the court (replacing any) and
    the next hearing, booked in the diary (at `next_hearing_time`, else the usual listing time),
    with a record of the result. All or nothing."""
    actor.require("money.terms")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    today = clock.today()
    if hearing_on > today:
        raise ValidationError("hearing date", f"{hearing_on:%d/%m/%Y} is in the future")
    if hearing_on < today - timedelta(days=HEARING_BACK_DAYS):
        raise ValidationError("hearing date", f"{hearing_on:%d/%m/%Y} is too far in the past")
    if next_hearing_on is not None and not today < next_hearing_on <= today + timedelta(
        days=NEXT_HEARING_DAYS
    ):
        raise ValidationError(
            "next hearing", f"{next_hearing_on:%d/%m/%Y} must be after today and within two years"
        )
    if next_hearing_time is not None and next_hearing_on is None:
        raise ValidationError("next hearing time", "goes with a next hearing date")
    items = _check_impositions(impositions)
    court = clean_line("court", court, required=False, limit=120)
    notes = clean_notes("notes", notes, limit=2000)
    balance = position_of(session, case)[2].balance_pence + sum(i.amount_pence for i in items)
    if terms is not None:  # refuse bad terms before anything is written
        kind = check_choice(terms.kind, {k.value: k.value for k in TermsKind}, "terms kind")
        check_choice(terms.frequency, FREQUENCIES, "frequency")
        terms_rules.schedule(
            terms_rules.Terms(
                kind=kind,
                instalment_pence=terms.instalment_pence,
                frequency=terms.frequency,
                first_due=terms.first_due,
                pay_by=terms.first_due if kind == TermsKind.BY_DATE else None,
                lump_sum_pence=terms.lump_sum_pence,
            ),
            balance,
        )
    ids = tuple(
        ledger.add_imposition(
            session,
            actor,
            case_id=case_id,
            kind=i.kind,
            amount_pence=i.amount_pence,
            imposed_on=hearing_on,
            court=court,
            creditor=i.creditor,
        )
        for i in items
    )
    view = None
    if terms is not None:
        view = payment_terms.set_terms(
            session,
            actor,
            case_id=case_id,
            kind=terms.kind,
            first_due=terms.first_due,
            instalment_pence=terms.instalment_pence,
            frequency=terms.frequency,
            lump_sum_pence=terms.lump_sum_pence,
            reason=f"court result of {hearing_on:%d/%m/%Y}",
        )
    row = CourtResult(
        case_id=case_id,
        hearing_on=hearing_on,
        court=court,
        collection_order=collection_order,
        imposition_ids=",".join(str(i) for i in ids),
        terms_id=view.id if view else None,
        next_hearing_on=next_hearing_on,
        notes=notes,
        created_at=clock.now(),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "account.result",
        "court_result",
        row.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"resulted hearing of {hearing_on:%d/%m/%Y}: {len(ids)} imposition(s)"
        + (", collection order" if collection_order else "")
        + (f", next hearing {next_hearing_on:%d/%m/%Y}" if next_hearing_on else ""),
        after=audit.snapshot(row),
    )
    booked = _book_next_hearing(
        session, actor, case, next_hearing_on, next_hearing_time, court, hearing_on
    )
    terms_now = view
    if terms_now is None:
        terms_now = terms_view(active_terms(session, case_id))
    return ResultInfo(
        id=row.id or 0,
        case_id=case_id,
        reference=case.reference,
        hearing_on=hearing_on,
        court=court,
        collection_order=collection_order,
        imposition_ids=ids,
        imposed_pence=sum(i.amount_pence for i in items),
        terms=terms_now,
        next_hearing_on=next_hearing_on,
        balance_pence=position_of(session, case)[2].balance_pence,
        next_hearing_at=booked[0] if booked else None,
        next_hearing_id=booked[1] if booked else None,
        next_hearing_with=booked[2] if booked else "",
    )


def _book_next_hearing(
    session: Session,
    actor: Actor,
    case: CaseFile,
    on: date | None,
    at: time | None,
    court: str,
    hearing_on: date,
) -> tuple[datetime, int, str] | None:
    """The next hearing in the diary: a court hearing on the case for its owner (whoever results
    it when the case has no active owner), booked over any clash (the court sets the date)."""
    if on is None:
        return None
    owner = session.get(Staff, case.owner_id) if case.owner_id is not None else None
    staff_id = owner.id if owner is not None and owner.active and owner.id else actor.id
    starts = datetime.combine(on, at or NEXT_HEARING_AT)
    appt = diary.book_appointment(
        session,
        actor,
        staff_id=staff_id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=NEXT_HEARING_MINUTES),
        kind=NEXT_HEARING_KIND,
        case_id=case.id,
        location=court,
        notes=f"Next hearing, set at the hearing of {hearing_on:%d/%m/%Y}",
        allow_conflicts=True,
    )[0]
    who = owner.name if owner is not None and staff_id == owner.id else actor.name
    return starts, appt.id or 0, who
