"""Bank matching reads each account's balance as two sums when its ledger is plain (payments and
suspense transfers only) and replays any other ledger: the two sums give exactly what the
replay gives, and an account with a reversed payment or a write-off is still read by replay."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from caseterm.core.rules import ledger as rules
from caseterm.core.services import bank_import, ledger, money_decisions, payment_terms
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

ORDER = ("compensation", "victim_surcharge", "costs", "fine")


def test_a_plain_ledgers_two_sums_give_the_replayed_balance() -> None:
    rng = Random(20261204)
    for _ in range(3_000):
        charges = [
            rules.Charge(i, rng.choice(ORDER), rng.choice((1, 99, 2_500, rng.randint(1, 90_000))))
            for i in range(1, rng.randint(1, 4) + 1)
        ]
        txns = [
            rules.Txn(100 + i, rng.choice(rules.PLAIN_KINDS), rng.randint(1, 60_000))
            for i in range(rng.randint(0, 12))
        ]
        replayed = rules.replay(charges, txns, ORDER)
        paid = sum(t.amount_pence for t in txns if t.kind in rules.PAYING_KINDS)
        imposed = sum(c.amount_pence for c in charges)
        assert rules.plain_balance(imposed, paid) == replayed.balance_pence, (charges, txns)
        assert replayed.written_off_pence == 0


def _csv(*rows: str) -> bytes:
    return ("\n".join(["Date,Amount,Reference,Name", *rows]) + "\n").encode()


@pytest.mark.sqlite_only  # the reading of a ledger, the same on both
def test_an_account_with_a_reversed_payment_is_matched_on_its_replayed_balance(
    world: World,
) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        for kind, pence in (("fine", 30_000), ("costs", 8_500)):
            ledger.add_imposition(s, world.clerk, case_id=case_id, kind=kind, amount_pence=pence)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            first_due=date(2026, 12, 1),
            instalment_pence=2_500,
        )
        kept = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=4_000, method="cash"
        )
        bounced = ledger.take_payment(
            s, world.clerk, case_id=case_id, amount_pence=10_000, method="cheque"
        )
        ledger.reverse_transaction(
            s, world.manager, txn_id=bounced.txn_id, reason="cheque dishonoured"
        )
    assert kept.txn_id != bounced.txn_id
    name = f"{world.person.given_name} {world.person.family_name}"
    owed = 30_000 + 8_500 - 4_000  # the bounced cheque undone: £345.00
    with world.db.read() as s:
        review = bank_import.review_statement(
            s,
            world.clerk,
            content=_csv(
                f"20/11/2026,{owed / 100:.2f},BALANCE,{name}",
                f"20/11/2026,{(owed - 10_000) / 100:.2f},AS IF PAID,{name}",
            ),
        )
    assert [(x.outcome, x.matched_by) for x in review.lines] == [
        ("match", "name and amount"),
        ("unmatched", ""),
    ]
    with world.db.write() as s:
        money_decisions.write_off(s, world.manager, case_id=case_id, reason_code="deceased")
    with world.db.read() as s:
        review = bank_import.review_statement(
            s, world.clerk, content=_csv(f"20/11/2026,5.00,{world.case.reference},")
        )
    assert "closed or written off" in review.lines[0].note
