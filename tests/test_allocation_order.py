"""The allocation order per case type is settable (issue 14): `case-rules set TYPE
--allocation-order …` by a system administrator, validated, audited, shown by `case-rules
show`, and used when a payment is allocated (exact pence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import accounts, case_rules, cases, ledger
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")

DEFAULT = ("compensation", "victim_surcharge", "costs", "fine", "court_charge")
FINE_FIRST = "fine,costs,compensation,victim_surcharge,court_charge"


def _paid_by_kind(world: World) -> tuple[str, dict[str, int]]:
    """A FINE case with compensation £30.00, costs £50.00 and a fine £100.00, paid £60.00."""
    with world.db.write() as s:
        case = cases.open_case(
            s, world.clerk, case_type="FINE", subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )  # fmt: skip
        for kind, pence in (("fine", 10_000), ("costs", 5_000), ("compensation", 3_000)):
            ledger.add_imposition(
                s, world.clerk, case_id=case.id or 0, kind=kind, amount_pence=pence
            )
        ledger.take_payment(s, world.clerk, case_id=case.id or 0, amount_pence=6_000, method="cash")
        reference = case.reference
    with world.db.read() as s:
        view = accounts.show_account(s, world.clerk, reference_or_id=reference)
    return reference, {line.kind: line.paid_pence for line in view.lines}


def test_a_changed_order_allocates_differently(world: World) -> None:
    _, paid = _paid_by_kind(world)
    assert paid == {"fine": 0, "costs": 3_000, "compensation": 3_000}
    with world.db.write() as s:
        row = case_rules.set_allocation_order(s, world.admin, case_type="fine", order=FINE_FIRST)
    assert row.allocation_order == tuple(FINE_FIRST.split(","))
    _, paid = _paid_by_kind(world)  # a new account on the same case type
    assert paid == {"fine": 6_000, "costs": 0, "compensation": 0}
    with world.db.read() as s:
        event = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "case_type.allocation_order")
            .order_by(col(AuditEvent.id).desc())
        ).first()
    assert event is not None
    assert event.summary == (
        "FINE: payments allocated fine > costs > compensation > victim_surcharge > court_charge"
    )


def test_kinds_not_named_come_last(world: World) -> None:
    with world.db.write() as s:
        row = case_rules.set_allocation_order(s, world.admin, case_type="FINE", order="costs,fine")
    assert row.allocation_order == (
        "costs",
        "fine",
        "compensation",
        "victim_surcharge",
        "court_charge",
    )


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ("fine,fines", "unknown kind 'fines'"),
        ("fine,costs,fine", "names fine more than once"),
        (" , ", "name the imposition kinds in order"),
    ],
)
def test_a_bad_order_is_refused_and_nothing_changes(world: World, order: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err, world.db.write() as s:
        case_rules.set_allocation_order(s, world.admin, case_type="FINE", order=order)
    assert err.value.field == "allocation order"
    with world.db.read() as s:
        assert case_rules.show_case_rules(s, world.admin, case_type="FINE").allocation_order == (
            DEFAULT
        )


def test_only_a_system_administrator_sets_it(world: World) -> None:
    with pytest.raises(PermissionDeniedError) as err, world.db.write() as s:
        case_rules.set_allocation_order(s, world.manager, case_type="FINE", order=FINE_FIRST)
    assert CAPABILITY_LABELS["rules.admin"] in str(err.value)


def test_cli_sets_and_shows_the_order(world: World, tmp_path: Path) -> None:
    shown = run_cli(tmp_path, "case-rules", "show", "FINE", "--json", db=world.db.url, user="root")
    assert json.loads(shown.out)["allocation_order"] == list(DEFAULT)
    refused = run_cli(
        tmp_path, "case-rules", "set", "FINE", "--allocation-order", FINE_FIRST,
        db=world.db.url, user="boss",
    )  # fmt: skip
    assert refused.code != 0 and CAPABILITY_LABELS["rules.admin"] in refused.err
    bad = run_cli(
        tmp_path, "case-rules", "set", "FINE", "--allocation-order", "fine,fine",
        db=world.db.url, user="root",
    )  # fmt: skip
    assert bad.code != 0 and "allocation order: names fine more than once" in bad.one_error_line()
    done = run_cli(
        tmp_path, "case-rules", "set", "FINE", "--allocation-order", FINE_FIRST, "--json",
        db=world.db.url, user="root",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert json.loads(done.out)["allocation_order"] == FINE_FIRST.split(",")
    text = run_cli(tmp_path, "case-rules", "show", "FINE", db=world.db.url, user="root")
    assert (
        "payments allocated: fine > costs > compensation > victim_surcharge > court_charge"
        in text.out
    )
    neither = run_cli(tmp_path, "case-rules", "set", "FINE", db=world.db.url, user="root")
    assert neither.code != 0 and "--allocation-order" in neither.one_error_line()
