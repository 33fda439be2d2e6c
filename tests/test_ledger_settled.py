"""`ledger.settled_by_payments`: the arrears report's shortcut never skips an account that the
replay would leave owing money, and says "replay it" for anything but payments."""

from __future__ import annotations

import random

from caseterm.core.rules import ledger

ORDER = ("compensation", "victim_surcharge", "costs", "fine")


def test_agrees_with_the_replay_on_payments_only_ledgers() -> None:
    rng = random.Random(15)
    skipped = 0
    for _ in range(2000):
        charges = [
            ledger.Charge(i, rng.choice(ORDER), rng.choice((0, 2500, 8000, 15000)))
            for i in range(1, rng.randint(2, 5))
        ]
        txns = [
            ledger.Txn(100 + i, "payment", rng.choice((-500, 0, 1000, 2500, 9000, 40000)))
            for i in range(rng.randint(0, 5))
        ]
        settled = ledger.settled_by_payments(
            (c.amount_pence for c in charges), ((t.kind, t.amount_pence) for t in txns)
        )
        balance = ledger.replay(charges, txns, ORDER).balance_pence
        if settled:
            skipped += 1
            assert balance <= 0, (charges, txns)
        elif all(t.amount_pence >= 0 for t in txns):
            assert balance > 0, (charges, txns)  # the shortcut is exact for money in
    assert 200 < skipped < 1800  # both sides were tried


def test_anything_but_payments_is_replayed() -> None:
    for kind in ("write_off", "adjustment", "reversal", "from_suspense", "to_suspense"):
        assert not ledger.settled_by_payments([1000], [("payment", 5000), (kind, 1)])
    assert ledger.settled_by_payments([1000, 0], [("payment", 400), ("payment", 600)])
    assert not ledger.settled_by_payments([1000], [("payment", 999)])
