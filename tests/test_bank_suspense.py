"""Money in suspense dealt with later, on a real database: a bank credit no account matched is
allocated to the account it was traced to (a bank-transfer payment on the statement's date,
its receipt, the line posted, its task done, all in one transaction); an account's overpayment
is applied or refunded from its task. Every refusal writes nothing. With the CLI (`money
suspense | allocate-suspense | settle-suspense`, `--json`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, BankLine, Payment, Task
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import bank_import, bank_suspense, ledger
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

FINE = 5_000


def _held_line(world: World, amount: str = "12.00") -> int:
    """The world's case with a £50 fine, and an unmatched £12 bank credit of 20/11 in suspense."""
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=FINE
        )
        content = f"Date,Amount,Reference,Name\n20/11/2026,{amount},NO IDEA,J Smith\n".encode()
        bank_import.import_statement(s, world.clerk, filename="s.csv", content=content)
        line = s.exec(select(BankLine)).one()
    assert line.status == "suspense" and line.task_id is not None
    return line.id or 0


def _payments(world: World) -> list[tuple[str, int, str, date, str]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(p.kind, p.amount_pence, p.method, p.paid_on, p.reference) for p in rows]


def test_a_suspense_line_is_allocated_to_an_account_and_its_task_done(world: World) -> None:
    line_id = _held_line(world)
    with world.db.read() as s:
        line = s.get(BankLine, line_id)
        assert line is not None and line.task_id is not None
        item = bank_suspense.suspense_item(s, world.clerk, task_id=line.task_id)
        listed = bank_suspense.suspense_lines(s, world.clerk)
    assert (item.kind, item.line_id, item.amount_pence, item.payer) == (
        "bank_line",
        line_id,
        1_200,
        "J Smith",
    )
    assert [x.line_id for x in listed] == [line_id]
    with world.db.write() as s:
        done = bank_suspense.allocate_line(
            s,
            world.clerk,
            line_id=line_id,
            case_reference=world.case.reference.lower(),
            amount_pence=1_200,
        )
    assert done.case_reference == world.case.reference
    assert (done.receipt.amount_pence, done.receipt.balance_after_pence) == (1_200, FINE - 1_200)
    assert _payments(world) == [("payment", 1_200, "bank_transfer", date(2026, 11, 20), "NO IDEA")]
    with world.db.read() as s:
        line = s.get(BankLine, line_id)
        task = s.get(Task, done.task_id)
        journal = s.exec(select(AuditEvent.action).where(AuditEvent.entity_id == line_id)).all()
        left = bank_suspense.suspense_lines(s, world.clerk)
    assert line is not None and task is not None
    assert (line.status, line.matched_by, line.case_id, line.payment_id) == (
        "posted",
        "by_hand",
        world.case.id,
        done.receipt.txn_id,
    )
    assert (task.status, task.outcome) == ("done", f"allocated to {world.case.reference}")
    assert "bank.allocate" in journal and left == []


def test_more_than_is_owed_goes_to_that_accounts_suspense(world: World) -> None:
    line_id = _held_line(world, "60.00")
    with world.db.write() as s:
        done = bank_suspense.allocate_line(
            s, world.clerk, line_id=line_id, case_reference=world.case.reference
        )
    assert (done.receipt.applied_pence, done.receipt.to_suspense_pence) == (FINE, 1_000)
    task_id = done.receipt.suspense_task_id
    assert task_id is not None
    with world.db.read() as s:
        item = bank_suspense.suspense_item(s, world.clerk, task_id=task_id)
    assert (item.kind, item.case_reference, item.amount_pence) == (
        "overpayment",
        world.case.reference,
        1_000,
    )
    refused = pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.correct"])
    with refused, world.db.write() as s:
        bank_suspense.settle_overpayment(s, world.clerk, task_id=task_id, refund=True)
    with world.db.write() as s:
        posted = bank_suspense.settle_overpayment(
            s, world.manager, task_id=task_id, refund=True, reason="by cheque"
        )
    assert (posted.kind, posted.amount_pence) == ("refund", -1_000)
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and task.status == "done"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount_pence": 1_100}, "amount: £11.00 does not agree with the bank line's £12.00"),
        ({"case_reference": "OM/2099/000999"}, "case: no case 'OM/2099/000999'"),
    ],
)
def test_a_bad_allocation_is_refused_and_nothing_is_written(
    world: World, kwargs: dict[str, object], message: str
) -> None:
    line_id = _held_line(world)
    args: dict[str, object] = {"case_reference": world.case.reference, **kwargs}
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        bank_suspense.allocate_line(s, world.clerk, line_id=line_id, **args)  # type: ignore[arg-type]
    refused = pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.bank"])
    with refused, world.db.write() as s:
        bank_suspense.allocate_line(
            s, world.worker, line_id=line_id, case_reference=world.case.reference
        )
    assert _payments(world) == []
    with world.db.read() as s:
        line = s.get(BankLine, line_id)
    assert line is not None and line.status == "suspense"


def test_a_line_is_allocated_once(world: World) -> None:
    line_id = _held_line(world)
    with world.db.write() as s:
        bank_suspense.allocate_line(
            s, world.clerk, line_id=line_id, case_reference=world.case.reference
        )
    with pytest.raises(ValidationError, match="is not in suspense"), world.db.write() as s:
        bank_suspense.allocate_line(
            s, world.clerk, line_id=line_id, case_reference=world.case.reference
        )
    assert len(_payments(world)) == 1


@pytest.mark.sqlite_only
def test_the_cli_lists_allocates_and_refuses_in_one_line(
    world: World, tmp_path: Path, frozen_clock: datetime
) -> None:
    line_id = _held_line(world)
    listed = run_cli(tmp_path, "money", "suspense", "--json", db=world.db.url, user="clerk")
    assert listed.code == 0, listed.err
    assert [x["line_id"] for x in listed.json()] == [line_id]
    wrong = run_cli(
        tmp_path,
        "money",
        "allocate-suspense",
        str(line_id),
        world.case.reference,
        "--amount",
        "11",
        db=world.db.url,
        user="clerk",
    )
    assert wrong.code != 0
    assert wrong.err.strip().splitlines() == [
        "caseterm: amount: £11.00 does not agree with the bank line's £12.00"
    ]
    run = run_cli(
        tmp_path,
        "money",
        "allocate-suspense",
        str(line_id),
        world.case.reference,
        "--amount",
        "12",
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert run.code == 0, run.err
    got = run.json()
    assert (got["line_id"], got["case_reference"]) == (line_id, world.case.reference)
    assert got["receipt"]["amount_pence"] == 1_200
    assert _payments(world) == [("payment", 1_200, "bank_transfer", date(2026, 11, 20), "NO IDEA")]


@pytest.mark.sqlite_only
def test_the_cli_settles_an_overpayment_from_its_task(
    world: World, tmp_path: Path, frozen_clock: datetime
) -> None:
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=FINE
        )
        receipt = ledger.take_payment(
            s, world.clerk, case_id=world.case.id or 0, amount_pence=FINE + 250, method="cash"
        )
    task = str(receipt.suspense_task_id)
    both = run_cli(tmp_path, "money", "settle-suspense", task, db=world.db.url, user="boss")
    assert both.code != 0  # --apply or --refund is required
    run = run_cli(
        tmp_path,
        "money",
        "settle-suspense",
        task,
        "--refund",
        "--reason",
        "by cheque",
        "--json",
        db=world.db.url,
        user="boss",
    )
    assert run.code == 0, run.err
    assert (run.json()["kind"], run.json()["amount_pence"]) == ("refund", -250)
    again = run_cli(
        tmp_path, "money", "settle-suspense", task, "--refund", db=world.db.url, user="boss"
    )
    assert again.code != 0 and "holds nothing in suspense" in again.err
    with world.db.read() as s:
        done = s.get(Task, receipt.suspense_task_id)
    assert done is not None and done.status == "done"
