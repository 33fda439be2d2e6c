"""Arrears, for `reports.REPORTS` (beside `collection`, the money taken a week): the fines
accounts of the team's or office's live cases that have payment terms, by how many instalments
they had missed at the end of the period, with how many accounts, the arrears and the balance
owed in each band.

Each account is replayed as its own screen replays it (`rules/ledger.py`, `rules/terms.py`,
`accounts.build_view`): the money applied by the end of the period, measured against the terms
in force at the period's end. Terms keep their history (each change is a new row, the old one
no longer active, with when it was set): the terms of an account at a day's end are the ones
last set by then, active now or not, so a past period is measured against the terms of its
time; an account whose first terms were set after the period's end had none then and is not
counted. Every account of the scope is read in a handful of grouped queries, not one by one.
Aggregates only: no case is named."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, cast, literal, null, union_all
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, or_, select

from caseterm.core.models import CaseFile, CaseType, Imposition, Payment, PaymentTerms
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules import ledger, terms
from caseterm.core.rules.money import allocation_order
from caseterm.core.services.board_scope import Scope, case_scope, day_start
from caseterm.core.services.report_tables import Chart, Column, Period, ReportTable

# (label, fewest missed, most missed or None): the bands of the report, in order.
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Up to date", 0, 0),
    ("1 instalment missed", 1, 1),
    ("2 missed", 2, 2),
    ("3–5 missed", 3, 5),
    ("6 or more missed", 6, None),
)


def _band(missed: int) -> int:
    return next(
        i
        for i, (_, low, high) in enumerate(BANDS)
        if missed >= low and (high is None or missed <= high)
    )


@dataclass(frozen=True)
class _InForce:
    """An account's terms at the period's end, read as plain columns (no table rows: a year's
    report reads every account of an office)."""

    order: Any  # the case type's allocation order
    terms: terms.Terms
    set_on: date | None  # when they were set (None: not recorded)
    set_order: tuple[datetime, int]  # for finding the last terms set by a day


def _live_terms(session: Session, scope: Scope, cutoff: datetime) -> list[Any]:
    """Terms set before `cutoff` on the scope's live cases (joined to CaseFile)."""
    return [
        case_scope(session, scope),
        col(CaseFile.status).in_((CaseStatus.OPEN, CaseStatus.REFERRAL)),
        or_(col(PaymentTerms.created_at).is_(None), col(PaymentTerms.created_at) < cutoff),
    ]


def _with_terms(session: Session, scope: Scope, cutoff: datetime) -> Any:
    """The ids of the cases `_accounts` reads, as a subquery."""
    return (
        columns_of(col(PaymentTerms.case_id))
        .join(CaseFile, col(CaseFile.id) == col(PaymentTerms.case_id))
        .where(*_live_terms(session, scope, cutoff))
    )


def _accounts(session: Session, scope: Scope, end: date) -> dict[int, _InForce]:
    """The scope's live cases with terms in force at the end of `end`: case id → the terms
    last set by then. Terms with no time recorded count as the earliest."""
    orders = {ct.id: allocation_order(ct.allocation_order) for ct in session.exec(select(CaseType))}
    cutoff = day_start(end + timedelta(days=1))
    t = PaymentTerms
    rows = (
        session.connection()
        .execute(
            columns_of(
                col(t.case_id),
                col(t.id),
                col(t.created_at),
                col(t.kind),
                col(t.instalment_pence),
                col(t.frequency),
                col(t.first_due),
                col(t.pay_by),
                col(t.lump_sum_pence),
                col(CaseFile.case_type_id),
            )
            .join(CaseFile, col(CaseFile.id) == col(t.case_id))
            .where(*_live_terms(session, scope, cutoff))
        )
        .all()
    )
    in_force: dict[int, _InForce] = {}
    for case_id, tid, created, kind, instalment, frequency, first, pay_by, lump, type_id in rows:
        order = (created or datetime.min, tid or 0)
        held = in_force.get(case_id)
        if held is None or order > held.set_order:
            plan = terms.Terms(
                kind=kind,
                instalment_pence=instalment,
                frequency=frequency,
                first_due=first,
                pay_by=pay_by,
                lump_sum_pence=lump,
            )
            set_on = created.date() if created else None
            in_force[case_id] = _InForce(orders[type_id], plan, set_on, order)
    return in_force


def _ledgers(
    session: Session, scope: Scope, cutoff: datetime
) -> tuple[dict[int, list[tuple[int, str, int]]], dict[int, list[Any]]]:
    """The accounts' charges (id, kind, pence) and money rows (case, id, kind, pence, reverses,
    imposition, created) posted before `cutoff`, by case.

    One statement for both, picking the cases `_accounts` reads by a semi-join on them written
    once (a common table expression, which PostgreSQL computes once for both halves), not by
    thousands of ids sent back in IN lists: on PostgreSQL each list of 900 parameters cost more
    to send and plan than the rows it picked. Read as plain rows through the connection (no ORM
    row objects: a year of an office is ~65,000 rows), kept as tuples until an account needs
    replaying."""
    accounts = _with_terms(session, scope, cutoff).cte("accounts")
    in_scope = columns_of(accounts.c.case_id)
    no_int, no_time = cast(null(), Integer), cast(null(), DateTime)
    both: Any = union_all(
        columns_of(
            literal(0),
            col(Imposition.case_id),
            col(Imposition.id),
            col(Imposition.kind),
            col(Imposition.amount_pence),
            no_int,
            no_int,
            no_time,
        ).where(col(Imposition.case_id).in_(in_scope), col(Imposition.created_at) < cutoff),
        columns_of(
            literal(1),
            col(Payment.case_id),
            col(Payment.id),
            col(Payment.kind),
            col(Payment.amount_pence),
            col(Payment.reverses_id),
            col(Payment.imposition_id),
            col(Payment.created_at),
        ).where(col(Payment.case_id).in_(in_scope), col(Payment.created_at) < cutoff),
    )
    charges: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    money: dict[int, list[Any]] = defaultdict(list)
    for row in session.connection().execute(both).all():
        if row[0]:
            money[row[1]].append(row[1:])
        else:
            charges[row[1]].append((row[2], row[3], row[4]))
    return charges, money


def arrears(session: Session, scope: Scope, period: Period) -> ReportTable:
    end = period.end
    cutoff = day_start(end + timedelta(days=1))
    live = _accounts(session, scope, end)
    charges, money = _ledgers(session, scope, cutoff)
    counts = [[0, 0, 0] for _ in BANDS]  # accounts, arrears, balance
    for case_id, held in live.items():
        owed = charges.get(case_id)
        if not owed:
            continue
        posted = money.get(case_id, ())
        if ledger.settled_by_payments(
            (amount for _, _, amount in owed), ((r[2], r[3]) for r in posted)
        ):
            continue  # the replay would leave nothing owed: not counted, as below
        txns = [ledger.Txn(r[1], r[2], r[3], r[4], r[5]) for r in posted]
        position = ledger.replay([ledger.Charge(*c) for c in owed], txns, held.order)
        if position.balance_pence <= 0:
            continue
        made = {r[1]: r[6].date() for r in posted}
        paid = _paid_since(position, txns, made, held.set_on)
        try:
            dues = terms.iter_schedule(held.terms, position.balance_pence + paid)
        except Exception:  # terms the rules would now refuse: no schedule to be behind on
            continue
        standing = terms.standing(dues, paid, end)
        band = counts[_band(standing.missed)]
        band[0] += 1
        band[1] += min(standing.arrears_pence, position.balance_pence)
        band[2] += position.balance_pence
    rows = tuple((name, *counts[i]) for i, (name, _, _) in enumerate(BANDS))
    columns = (
        Column("band", "Instalments missed", "text"),
        Column("accounts", "Accounts"),
        Column("arrears", "Arrears", "pence"),
        Column("balance", "Balance owed", "pence"),
    )
    behind = sum(c[0] for c in counts[1:])
    total = sum(c[0] for c in counts)
    notes = (
        f"At the end of {end:%d/%m/%Y}: {total} account{'' if total == 1 else 's'} with "
        "payment terms owing money, "
        f"{behind} in arrears"
        + (f" ({100.0 * behind / total:.1f}%)." if total else ".")
        + " Money taken a week is the collection report.",
    )
    chart = Chart("column", "band", ("arrears",))
    return ReportTable("arrears", "Arrears", scope, period, columns, rows, chart, notes)


def _paid_since(
    position: ledger.Position, txns: list[ledger.Txn], made: dict[int, date], since: date | None
) -> int:
    """Money applied to the account on or after `since` (all when None), net of reversals:
    what counts against the terms' schedule (as `accounts` counts it)."""
    kinds = {t.id: t for t in txns}
    total = 0
    for t in txns:
        source = kinds.get(t.reverses_id or 0) if t.kind == "reversal" else t
        if source is None or source.kind not in ("payment", "from_suspense"):
            continue
        if since is not None and made.get(source.id, since) < since:
            continue
        effect = position.effects.get(t.id)
        if effect is not None:
            total += sum(p for _, bucket, p in effect.allocations if bucket == ledger.PAID)
    return total
