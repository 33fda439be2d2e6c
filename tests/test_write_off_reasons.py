"""A write-off's reason code must fit the sum (issue 14): "Sum under £10" was accepted for a
£413.50 balance. The condition is data (rules/money.py WRITE_OFF_UNDER)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import MoneyDecision, Payment
from caseterm.core.services import ledger, money_decisions
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _account(world: World, pence: int) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=pence)
    return case_id


def _written(world: World) -> tuple[list[tuple[str, int, str]], int]:
    with world.db.read() as s:
        rows = s.exec(select(Payment)).all()
        held = len(s.exec(select(MoneyDecision)).all())
    return [(r.kind, r.amount_pence, r.reason) for r in rows], held


@pytest.mark.parametrize("amount", [None, 1_000, 41_350])
def test_sum_under_10_is_refused_for_10_pounds_or_more(world: World, amount: int | None) -> None:
    case_id = _account(world, 41_350)
    with pytest.raises(ValidationError) as caught, world.db.write() as s:
        money_decisions.write_off(
            s, world.manager, case_id=case_id, reason_code="under_10", amount_pence=amount
        )
    shown = "£10.00" if amount == 1_000 else "£413.50"
    assert (
        str(caught.value) == f"reason: 'Sum under £10' is only for a sum under £10.00, not {shown}"
    )
    assert _written(world) == ([], 0)  # nothing posted, nothing held


def test_sum_under_10_writes_off_a_small_balance(world: World) -> None:
    case_id = _account(world, 999)
    with world.db.write() as s:
        done = money_decisions.write_off(s, world.worker, case_id=case_id, reason_code="under_10")
    assert (done.status, done.amount_pence, done.balance_after_pence) == ("posted", 999, 0)
    assert _written(world) == ([("write_off", 999, "under_10")], 0)


def test_other_reasons_have_no_condition_on_the_sum(world: World) -> None:
    case_id = _account(world, 41_350)
    with world.db.write() as s:
        done = money_decisions.write_off(s, world.manager, case_id=case_id, reason_code="deceased")
    assert (done.status, done.amount_pence) == ("posted", 41_350)
