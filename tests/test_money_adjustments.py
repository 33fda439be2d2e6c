"""A manual adjustment of a fines account goes through the officer's limit like a write-off
(`money_decisions.adjust`): posted at once within it (either way), held for a checker beyond
it; every refusal writes nothing. And a case's decision history (`case_decisions`): held,
approved, rejected, with who and when."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import col, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, MoneyDecision, Payment
from caseterm.core.rules import money_decisions as limit_rules
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import ledger, money_decision_checks, money_decisions
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

FINE, COSTS = 20_000, 8_500
TOTAL = FINE + COSTS


def _account(world: World) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=FINE)
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="costs", amount_pence=COSTS)
    return case_id


def _ledger(world: World) -> list[tuple[str, int, str, int | None]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(p.kind, p.amount_pence, p.reason, p.created_by_id) for p in rows]


def test_an_adjustment_within_the_limit_posts_at_once_either_way(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        down = money_decisions.adjust(
            s, world.worker, case_id=case_id, amount_pence=2_500, reason="keying error"
        )
        up = money_decisions.adjust(
            s, world.worker, case_id=case_id, amount_pence=-1_000, reason="court fee missed"
        )
    assert (down.status, down.id, down.balance_after_pence) == ("posted", None, TOTAL - 2_500)
    assert (up.status, up.balance_after_pence) == ("posted", TOTAL - 1_500)
    assert up.what == "adjust (increase the balance by £10.00): court fee missed"
    assert _ledger(world) == [
        ("adjustment", 2_500, "keying error", world.worker.id),
        ("adjustment", -1_000, "court fee missed", world.worker.id),
    ]
    with world.db.read() as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.action == "account.adjust"))
        assert len(actions.all()) == 2


def test_an_adjustment_beyond_the_limit_waits_for_a_checker(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        held = money_decisions.adjust(
            s, world.worker, case_id=case_id, amount_pence=-2_501, reason="costs re-assessed"
        )
    assert (held.status, held.why_held) == ("pending", "£25.01 is over your limit of £25.00")
    assert _ledger(world) == []
    refused = pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.approve"])
    with refused, world.db.write() as s:
        money_decision_checks.approve_decision(s, world.worker, decision_id=held.id or 0)
    with world.db.write() as s:
        done = money_decision_checks.approve_decision(s, world.manager, decision_id=held.id or 0)
    assert (done.status, done.balance_after_pence) == ("approved", TOTAL + 2_501)
    assert _ledger(world) == [("adjustment", -2_501, "costs re-assessed", world.worker.id)]


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        (0, "x", "amount: must not be £0.00"),
        (TOTAL + 1, "x", "amount: £285.01 is more than the balance £285.00"),
        (100, " ", "reason: is required"),
    ],
)
def test_bad_adjustments_are_refused_and_nothing_is_written(
    world: World, amount: int, reason: str, message: str
) -> None:
    case_id = _account(world)
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        money_decisions.adjust(
            s, world.manager, case_id=case_id, amount_pence=amount, reason=reason
        )
    with pytest.raises(ValidationError, match="imposition: 999 is not on"), world.db.write() as s:
        money_decisions.adjust(
            s, world.manager, case_id=case_id, amount_pence=100, reason="x", imposition_id=999
        )
    assert _ledger(world) == []
    with world.db.read() as s:
        assert s.exec(select(MoneyDecision)).all() == []


def test_reception_may_not_adjust(world: World) -> None:
    case_id = _account(world)
    refused = pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.decide"])
    with refused, world.db.write() as s:
        money_decisions.adjust(s, world.desk, case_id=case_id, amount_pence=100, reason="x")
    assert _ledger(world) == []


def test_the_adjustment_limit_is_data() -> None:
    rules = limit_rules.load_limits("[adjustment]\ncaseworker = 700\n")
    assert limit_rules.over_amount("adjustment", frozenset({"caseworker"}), -700, rules) == ""
    assert limit_rules.over_amount("adjustment", frozenset({"caseworker"}), -701, rules) == (
        "£7.01 is over your limit of £7.00"
    )
    assert limit_rules.limits().adjustment["administrator"] == 0


def test_the_case_decision_history_says_who_and_when(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        first = money_decisions.write_off(s, world.worker, case_id=case_id, reason_code="deceased")
        money_decisions.remit(s, world.clerk, case_id=case_id, amount_pence=100, reason="hardship")
    with world.db.write() as s:
        money_decision_checks.reject_decision(
            s, world.manager, decision_id=first.id or 0, reason="no death certificate"
        )
    with world.db.read() as s:
        history = money_decision_checks.case_decisions(s, world.clerk, case_id=case_id)
    assert [(d.kind, d.status, d.maker, d.checker, d.decision_reason) for d in history] == [
        ("remission", "pending", "Claire Clerk", "", ""),
        ("write_off", "rejected", "Wendy Worker", "Mandy Manager", "no death certificate"),
    ]
    assert all(isinstance(d.made_at, datetime) for d in history)
    assert history[1].decided_at is not None and history[1].decided_at.date() == date(2026, 11, 23)
    assert history[0].decided_at is None
