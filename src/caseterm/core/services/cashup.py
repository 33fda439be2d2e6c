"""The daily cash-up: money taken on a day, per officer and method (payments less reversals of
payments and refunds, from the ledger), to check against what was banked. Totals only: no case
is listed, so restricted cases are counted like any other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from caseterm.core.models import Payment, Staff
from caseterm.core.models.money import is_cash
from caseterm.core.rules.money import PAYMENT_METHODS
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class CashLine:
    staff_login: str
    staff_name: str
    method: str
    count: int
    total_pence: int


@dataclass(frozen=True)
class CashUp:
    day: date
    lines: tuple[CashLine, ...]
    total_pence: int
    count: int


def cash_up(session: Session, actor: Actor, *, day: date, staff_id: int | None = None) -> CashUp:
    """Money taken on `day`, per officer and method (one officer's with `staff_id`)."""
    actor.require("money.take")
    query = (
        select_columns(
            col(Staff.login),
            col(Staff.name),
            col(Payment.method),
            func.count(),
            func.sum(Payment.amount_pence),
        )
        .outerjoin(Staff, col(Staff.id) == col(Payment.created_by_id))
        .where(col(Payment.paid_on) == day, is_cash())
        .group_by(col(Staff.login), col(Staff.name), col(Payment.method))
        .order_by(col(Staff.login), col(Payment.method))
    )
    if staff_id is not None:
        query = query.where(col(Payment.created_by_id) == staff_id)
    lines = tuple(
        CashLine(
            login or "",
            name or "(not recorded)",
            PAYMENT_METHODS.get(method or "", method or "not recorded"),
            int(n),
            int(total or 0),
        )
        for login, name, method, n, total in session.execute(query).all()
    )
    return CashUp(day, lines, sum(x.total_pence for x in lines), sum(x.count for x in lines))
