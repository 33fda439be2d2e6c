"""The fines accounts of a person found at the reception desk (issue 14: "take a payment from
the reception desk's enquiry"): the accounts of the cases they are the subject of, that the
desk may see, for the same payment form the case uses."""

from __future__ import annotations

from sqlmodel import Session, col, select

from caseterm.core.models import CaseFile, Imposition
from caseterm.core.services.access import visible_to
from caseterm.core.services.accounts import AccountView, build_view
from caseterm.core.services.identity import Actor


def accounts_of_person(
    session: Session, actor: Actor, *, person_id: int
) -> tuple[AccountView, ...]:
    """The accounts of the cases whose subject is `person_id`, oldest case first: those that
    take payments first. Restricted cases the actor may not see are left out."""
    actor.require("money.take")
    with_money = select(Imposition.case_id).distinct()
    rows = session.exec(
        select(CaseFile)
        .where(
            CaseFile.subject_id == person_id,
            col(CaseFile.id).in_(with_money),
            visible_to(actor),
        )
        .order_by(col(CaseFile.id))
    ).all()
    views = [v for v in (build_view(session, case) for case in rows) if v is not None]
    return tuple(sorted(views, key=lambda v: not v.accepts_payments))
