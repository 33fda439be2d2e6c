"""An account's position, replayed from its ledger: what each imposition has had paid, written
off and adjusted, the balance, and what is held in suspense.

Each transaction is applied in the order it was posted. Money for the account (a payment, or
held money applied from suspense) and a write-off are allocated across the impositions in the
case type's order (compensation, victim surcharge, costs, fine by default), each imposition
filled before the next; a payment that is more than is owed leaves the rest in suspense. A
reversal undoes exactly what the row it reverses did. Pure functions over plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import CaseStatus

PAID, WRITTEN_OFF, ADJUSTED = "paid", "written_off", "adjusted"


@dataclass(frozen=True)
class Charge:
    id: int
    kind: str
    amount_pence: int


@dataclass(frozen=True)
class Txn:
    id: int
    kind: str
    amount_pence: int
    reverses_id: int | None = None
    imposition_id: int | None = None


@dataclass(frozen=True)
class Effect:
    """What one transaction did: pence per (imposition, bucket), and to suspense."""

    allocations: tuple[tuple[int, str, int], ...] = ()
    suspense_pence: int = 0


@dataclass(frozen=True)
class Line:
    charge: Charge
    paid_pence: int
    written_off_pence: int
    adjusted_pence: int

    @property
    def outstanding_pence(self) -> int:
        c = self.charge
        return c.amount_pence - self.paid_pence - self.written_off_pence - self.adjusted_pence


@dataclass(frozen=True)
class Position:
    lines: tuple[Line, ...]
    suspense_pence: int
    effects: dict[int, Effect] = field(default_factory=dict)
    reversed_ids: frozenset[int] = frozenset()

    @property
    def imposed_pence(self) -> int:
        return sum(line.charge.amount_pence for line in self.lines)

    @property
    def paid_pence(self) -> int:
        return sum(line.paid_pence for line in self.lines)

    @property
    def written_off_pence(self) -> int:
        return sum(line.written_off_pence for line in self.lines)

    @property
    def balance_pence(self) -> int:
        return sum(line.outstanding_pence for line in self.lines)


def ordered(charges: Iterable[Charge], order: Sequence[str]) -> list[Charge]:
    """The impositions in allocation order: by kind as listed (others last), then oldest first."""
    rank = {kind: i for i, kind in enumerate(order)}
    return sorted(charges, key=lambda c: (rank.get(c.kind, len(rank)), c.id))


def settled_by_payments(charges: Iterable[int], txns: Iterable[tuple[str, int]]) -> bool:
    """True when `replay` is sure to leave nothing owed, without replaying: every transaction
    (kind, pence) is a payment and together they reach the charges (pence) that are owed. Each
    payment then fills the impositions in turn until they are all paid (the rest goes to
    suspense), so the balance ends at nothing, whatever the allocation order. False says only
    that the account must be replayed to know."""
    paid = 0
    for kind, pence in txns:
        if kind != "payment":
            return False
        paid += pence
    return paid >= sum(p for p in charges if p > 0)


def replay(charges: Sequence[Charge], txns: Sequence[Txn], order: Sequence[str]) -> Position:
    queue = ordered(charges, order)
    owed = {c.id: c.amount_pence for c in queue}  # outstanding as we go
    buckets: dict[tuple[int, str], int] = {}
    effects: dict[int, Effect] = {}
    suspense = 0

    def allocate(amount: int, bucket: str, only: int | None = None) -> tuple[list[Alloc], int]:
        out: list[Alloc] = []
        for c in queue:
            if amount <= 0:
                break
            if only is not None and c.id != only:
                continue
            take = min(amount, max(owed[c.id], 0))
            if take:
                out.append((c.id, bucket, take))
                amount -= take
        return out, amount

    for t in sorted(txns, key=lambda t: t.id):
        allocs: list[Alloc] = []
        to_suspense = 0
        if t.kind in ("payment", "from_suspense"):
            allocs, left = allocate(t.amount_pence, PAID)
            to_suspense = left if t.kind == "payment" else -(t.amount_pence - left)
        elif t.kind in ("to_suspense", "refund"):
            to_suspense = t.amount_pence
        elif t.kind == "write_off":
            allocs, _ = allocate(t.amount_pence, WRITTEN_OFF)
        elif t.kind == "adjustment":
            if t.amount_pence >= 0:
                allocs, _ = allocate(t.amount_pence, ADJUSTED, t.imposition_id)
            else:
                target = t.imposition_id if t.imposition_id in owed else _last(queue)
                if target is not None:
                    allocs = [(target, ADJUSTED, t.amount_pence)]
        elif t.kind == "reversal" and t.reverses_id in effects:
            undone = effects[t.reverses_id]
            allocs = [(cid, b, -p) for cid, b, p in undone.allocations]
            to_suspense = -undone.suspense_pence
        for cid, bucket, pence in allocs:
            owed[cid] -= pence
            buckets[(cid, bucket)] = buckets.get((cid, bucket), 0) + pence
        suspense += to_suspense
        effects[t.id] = Effect(tuple(allocs), to_suspense)
    lines = tuple(
        Line(
            c,
            buckets.get((c.id, PAID), 0),
            buckets.get((c.id, WRITTEN_OFF), 0),
            buckets.get((c.id, ADJUSTED), 0),
        )
        for c in queue
    )
    reversed_ids = frozenset(t.reverses_id for t in txns if t.reverses_id is not None)
    return Position(lines, suspense, effects, reversed_ids)


Alloc = tuple[int, str, int]

# Transactions that change what is owed only by paying it (a payment, held money applied from
# suspense) or not at all (money moved to suspense, a refund of it): a ledger of these alone, on
# impositions of more than nothing, is "plain" and its balance is two sums (`plain_balance`).
PAYING_KINDS = ("payment", "from_suspense")
PLAIN_KINDS = (*PAYING_KINDS, "to_suspense", "refund")


def plain_balance(imposed_pence: int, paid_pence: int) -> int:
    """The balance `replay` arrives at for a plain ledger (impositions each of more than
    nothing, summing to `imposed_pence`; transactions only of PLAIN_KINDS, the PAYING_KINDS among
    them summing to `paid_pence`). Each payment is allocated in full while anything is owed and
    its rest goes to suspense, so nothing is ever owed below zero: the balance is what was
    imposed less what was paid, and never below zero; nothing is written off. For readers of
    thousands of accounts at once (bank matching), which then need two sums per account rather
    than every row; any other ledger is replayed."""
    return max(imposed_pence - paid_pence, 0)


def _last(queue: Sequence[Charge]) -> int | None:
    return queue[-1].id if queue else None


def split_payment(balance_pence: int, amount_pence: int) -> tuple[int, int]:
    """A payment of `amount_pence` against `balance_pence` owed: (for the account, to suspense)."""
    applied = min(amount_pence, max(balance_pence, 0))
    return applied, amount_pence - applied


def check_reversible(txn: Txn, position: Position) -> None:
    """A reversal undoes one earlier payment, write-off, adjustment or suspense transfer, once.
    A reversal itself is never reversed (post the transaction again instead)."""
    if txn.kind == "reversal":
        raise ValidationError(
            "transaction", f"{txn.id} is itself a reversal and cannot be reversed"
        )
    if txn.id in position.reversed_ids:
        raise ValidationError("transaction", f"{txn.id} has already been reversed")


CLOSED_CASE_STATUSES = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)  # the account is closed too


def account_status(case_status: str, position: Position) -> str:
    """live | paid | written_off | closed: the account of a case with this status and position.
    A payment is taken on a live or paid account (more than is owed goes to suspense)."""
    if case_status in CLOSED_CASE_STATUSES:
        return "closed"
    if position.balance_pence <= 0:
        return "written_off" if position.written_off_pence > 0 else "paid"
    return "live"


TAKES_PAYMENTS = ("live", "paid")
