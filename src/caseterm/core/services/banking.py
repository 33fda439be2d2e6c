"""Reconciling a day's takings with the banking: per payment method, what the cash-up says was
taken (`cashup`'s rule: payments less reversals of payments and refunds, by the day paid) against
what was banked, entered by an officer, and the difference. What was banked is kept per day and
method (entered again, it replaces the earlier figure; the audit journal keeps both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Banking, Payment
from caseterm.core.models.money import is_cash
from caseterm.core.rules.money import PAYMENT_METHODS, check_choice, format_pence, parse_amount
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class BankedLine:
    method: str
    label: str
    expected_pence: int
    banked_pence: int | None  # None: not entered yet
    difference_pence: int  # banked − expected (0 while not entered)


@dataclass(frozen=True)
class Reconciliation:
    day: date
    lines: tuple[BankedLine, ...]
    expected_pence: int
    banked_pence: int
    difference_pence: int  # over the methods entered

    @property
    def balanced(self) -> bool:
        return bool(self.lines) and all(
            x.banked_pence is not None and x.difference_pence == 0 for x in self.lines
        )

    def summary(self) -> str:
        state = (
            "balanced"
            if self.balanced
            else f"difference {format_pence(self.difference_pence)}"
            if any(x.banked_pence is not None for x in self.lines)
            else "nothing banked entered yet"
        )
        return (
            f"Banking for {self.day:%d/%m/%Y}: expected {format_pence(self.expected_pence)}, "
            f"banked {format_pence(self.banked_pence)} ({state})"
        )


def parse_banked(text: str) -> dict[str, int]:
    """`cash=123.45,cheque=60` as pence per method key ("0" for nothing banked)."""
    out: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        method, sep, amount = part.partition("=")
        if not sep:
            raise ValidationError("banked", f"{part.strip()!r} is not METHOD=AMOUNT")
        key = check_choice(method, PAYMENT_METHODS, "banked")
        value = amount.strip()
        out[key] = 0 if value.strip("£0.") == "" and value else parse_amount(value, key)
    if not out:
        raise ValidationError("banked", "say what was banked, e.g. cash=123.45,cheque=60.00")
    return out


def _expected(session: Session, day: date) -> dict[str, int]:
    rows = session.execute(
        select_columns(col(Payment.method), func.sum(Payment.amount_pence))
        .where(col(Payment.paid_on) == day, is_cash())
        .group_by(col(Payment.method))
    ).all()
    return {method or "": int(total or 0) for method, total in rows}


def reconciliation(session: Session, actor: Actor, *, day: date) -> Reconciliation:
    """Expected (the cash-up) against banked, per method, for `day`."""
    actor.require("money.bank")
    expected = _expected(session, day)
    banked = {
        b.method: b.banked_pence for b in session.exec(select(Banking).where(Banking.day == day))
    }
    methods = [m for m in PAYMENT_METHODS if m in expected or m in banked]
    methods += sorted(m for m in {*expected, *banked} if m not in PAYMENT_METHODS)
    lines = tuple(
        BankedLine(
            method=m,
            label=PAYMENT_METHODS.get(m, m or "not recorded"),
            expected_pence=expected.get(m, 0),
            banked_pence=banked.get(m),
            difference_pence=banked[m] - expected.get(m, 0) if m in banked else 0,
        )
        for m in methods
    )
    return Reconciliation(
        day=day,
        lines=lines,
        expected_pence=sum(expected.values()),
        banked_pence=sum(banked.values()),
        difference_pence=sum(x.difference_pence for x in lines),
    )


def record_banking(
    session: Session, actor: Actor, *, day: date, banked: dict[str, int]
) -> Reconciliation:
    """Record what was banked on `day` per method (pence; 0 for nothing), replacing what was
    entered before for those methods, and return the reconciliation."""
    actor.require("money.bank")
    if day > clock.today():
        raise ValidationError("date", f"{day:%d/%m/%Y} is in the future")
    if not banked:
        raise ValidationError("banked", "say what was banked")
    expected = _expected(session, day)
    for method, pence in banked.items():
        check_choice(method, PAYMENT_METHODS, "method")
        if pence < 0:
            raise ValidationError(method, "must not be less than £0.00")
    for method, pence in sorted(banked.items()):
        row = session.exec(
            select(Banking).where(Banking.day == day, Banking.method == method)
        ).first()
        before = audit.snapshot(row) if row else None
        if row is None:
            row = Banking(day=day, method=method, banked_pence=pence, expected_pence=0)
        row.banked_pence, row.expected_pence = pence, expected.get(method, 0)
        row.entered_at, row.entered_by_id = clock.now(), actor.id
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "bank.banked",
            "banking",
            row.id,
            summary=f"banked {format_pence(pence)} {PAYMENT_METHODS[method]} for "
            f"{day:%d/%m/%Y} (expected {format_pence(row.expected_pence)}, difference "
            f"{format_pence(pence - row.expected_pence)})",
            before=before,
            after=audit.snapshot(row),
        )
    return reconciliation(session, actor, day=day)
