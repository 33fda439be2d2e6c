"""Money rules in exact pence: amounts typed, allocation by priority, reversals, write-offs,
suspense, payment schedules, arrears and missed instalments."""

from __future__ import annotations

from datetime import date

import pytest

from caseterm.core.errors import ValidationError
from caseterm.core.rules import ledger, terms
from caseterm.core.rules.money import format_pence, parse_amount

ORDER = ("compensation", "victim_surcharge", "costs", "fine")
CHARGES = [
    ledger.Charge(1, "fine", 82_000),
    ledger.Charge(2, "costs", 62_000),
    ledger.Charge(3, "victim_surcharge", 8_200),
    ledger.Charge(4, "compensation", 5_000),
]


def _by_kind(position: ledger.Position) -> dict[str, tuple[int, int, int]]:
    return {
        line.charge.kind: (line.paid_pence, line.written_off_pence, line.outstanding_pence)
        for line in position.lines
    }


@pytest.mark.parametrize(
    ("text", "pence"),
    [("12", 1200), ("12.5", 1250), ("£1,234.56", 123456), ("0.01", 1), (" 7.00 ", 700)],
)
def test_amounts_typed_become_pence(text: str, pence: int) -> None:
    assert parse_amount(text) == pence


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "amount: must be more than £0.00"),
        ("0.00", "amount: must be more than £0.00"),
        ("-5", "amount: must be more than £0.00, not '-5'"),
        ("ten", "amount: must be an amount of money like 12.50, not 'ten'"),
        ("", "amount: must be an amount of money like 12.50, not ''"),
        ("1.234", "amount: has more than two decimal places (1.234)"),
        ("1e3", "amount: must be an amount of money like 12.50, not '1e3'"),
        ("10000000.01", "amount: must be at most £10,000,000.00"),
    ],
)
def test_bad_amounts_have_one_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    assert str(caught.value) == message


def test_format_pence_reads_as_pounds() -> None:
    assert format_pence(123456) == "£1,234.56"
    assert format_pence(-500) == "-£5.00"


def test_a_payment_fills_compensation_then_surcharge_then_costs_then_fine() -> None:
    pos = ledger.replay(CHARGES, [ledger.Txn(10, "payment", 20_000)], ORDER)
    assert _by_kind(pos) == {
        "compensation": (5_000, 0, 0),
        "victim_surcharge": (8_200, 0, 0),
        "costs": (6_800, 0, 55_200),
        "fine": (0, 0, 82_000),
    }
    assert pos.balance_pence == 157_200 - 20_000
    assert pos.suspense_pence == 0


def test_the_order_is_the_case_types_data() -> None:
    pos = ledger.replay(CHARGES, [ledger.Txn(10, "payment", 1_000)], ("fine", "costs"))
    assert _by_kind(pos)["fine"] == (1_000, 0, 81_000)


def test_an_overpayment_leaves_the_rest_in_suspense() -> None:
    pos = ledger.replay(CHARGES, [ledger.Txn(10, "payment", 160_000)], ORDER)
    assert pos.balance_pence == 0
    assert pos.suspense_pence == 2_800
    assert ledger.split_payment(157_200, 160_000) == (157_200, 2_800)


def test_a_reversal_undoes_exactly_its_payment_even_after_later_ones() -> None:
    txns = [
        ledger.Txn(10, "payment", 10_000),
        ledger.Txn(11, "payment", 5_000),
        ledger.Txn(12, "reversal", -10_000, reverses_id=10),
    ]
    pos = ledger.replay(CHARGES, txns, ORDER)
    # 10 paid compensation 5,000 and surcharge 5,000; 11 paid surcharge 3,200 and costs 1,800.
    assert _by_kind(pos) == {
        "compensation": (0, 0, 5_000),
        "victim_surcharge": (3_200, 0, 5_000),
        "costs": (1_800, 0, 60_200),
        "fine": (0, 0, 82_000),
    }
    assert pos.balance_pence == 157_200 - 5_000
    assert pos.reversed_ids == {10}


def test_reversing_a_reversal_or_twice_is_refused() -> None:
    txns = [ledger.Txn(10, "payment", 100), ledger.Txn(11, "reversal", -100, reverses_id=10)]
    pos = ledger.replay(CHARGES, txns, ORDER)
    with pytest.raises(ValidationError, match="11 is itself a reversal"):
        ledger.check_reversible(txns[1], pos)
    with pytest.raises(ValidationError, match="10 has already been reversed"):
        ledger.check_reversible(txns[0], pos)


def test_a_write_off_clears_the_balance_and_its_reversal_restores_it() -> None:
    txns = [ledger.Txn(10, "payment", 13_200), ledger.Txn(11, "write_off", 144_000)]
    pos = ledger.replay(CHARGES, txns, ORDER)
    assert pos.balance_pence == 0
    assert pos.written_off_pence == 144_000
    assert _by_kind(pos)["fine"] == (0, 82_000, 0)
    back = ledger.replay(CHARGES, [*txns, ledger.Txn(12, "reversal", -144_000, 11)], ORDER)
    assert back.balance_pence == 144_000


def test_adjustments_and_suspense_transfers() -> None:
    txns = [
        ledger.Txn(10, "payment", 160_000),  # 2,800 to suspense
        ledger.Txn(11, "adjustment", -1_000, imposition_id=2),  # costs up by £10
        ledger.Txn(12, "from_suspense", 1_000),
        ledger.Txn(13, "refund", -1_800),
    ]
    pos = ledger.replay(CHARGES, txns, ORDER)
    assert pos.balance_pence == 0
    assert pos.suspense_pence == 0
    assert _by_kind(pos)["costs"] == (63_000, 0, 0)


def test_monthly_instalments_clamp_month_ends_and_the_last_is_the_rest() -> None:
    plan = terms.Terms("instalments", 10_000, "monthly", date(2026, 1, 31))
    dues = terms.schedule(plan, 35_050)
    assert dues == [
        terms.Due(date(2026, 1, 31), 10_000),
        terms.Due(date(2026, 2, 28), 10_000),
        terms.Due(date(2026, 3, 31), 10_000),
        terms.Due(date(2026, 4, 30), 5_050),
    ]


def test_a_lump_sum_then_fortnightly_instalments() -> None:
    plan = terms.Terms("instalments", 2_500, "fortnightly", date(2026, 11, 2), None, 5_000)
    assert terms.schedule(plan, 10_000) == [
        terms.Due(date(2026, 11, 2), 5_000),
        terms.Due(date(2026, 11, 16), 2_500),
        terms.Due(date(2026, 11, 30), 2_500),
    ]


def test_pay_by_a_date_is_one_amount() -> None:
    plan = terms.Terms("by_date", 0, "monthly", date(2026, 12, 1), date(2026, 12, 1))
    assert terms.schedule(plan, 4_321) == [terms.Due(date(2026, 12, 1), 4_321)]


def test_terms_that_never_pay_off_are_refused() -> None:
    with pytest.raises(ValidationError, match="never pay off"):
        terms.schedule(terms.Terms("instalments", 0, "weekly", date(2026, 1, 5)), 10_000)
    with pytest.raises(ValidationError, match="more than 10 years"):
        terms.schedule(terms.Terms("instalments", 100, "monthly", date(2026, 1, 5)), 157_200)


def test_arrears_are_due_to_date_less_paid_and_missed_instalments_are_counted() -> None:
    dues = terms.schedule(terms.Terms("instalments", 5_000, "weekly", date(2026, 11, 2)), 30_000)
    s = terms.standing(dues, 6_000, date(2026, 11, 23))  # four due by the 23rd: 20,000
    assert (s.due_to_date_pence, s.arrears_pence, s.missed) == (20_000, 14_000, 3)
    assert s.next_due == terms.Due(date(2026, 11, 30), 5_000)
    ahead = terms.standing(dues, 25_000, date(2026, 11, 23))
    assert (ahead.arrears_pence, ahead.missed) == (0, 0)
