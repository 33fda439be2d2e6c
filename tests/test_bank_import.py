"""Importing a bank statement on a real database: matching by reference, then by name and
amount; posting once only; unmatched lines to suspense with a task in the Suspense queue; bad
files refused whole, naming the line and column; profiles saved and reused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from caseterm.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, BankLine, BankProfile, Payment, Task
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import bank_import, ledger, money_decisions, payment_terms, queues
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

FINE, COSTS = 30_000, 8_500


def _account(world: World, *, instalment: int = 2_500) -> str:
    case_id = world.case.id or 0
    with world.db.write() as s:
        for kind, pence in (("fine", FINE), ("costs", COSTS)):
            ledger.add_imposition(s, world.clerk, case_id=case_id, kind=kind, amount_pence=pence)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            first_due=date(2026, 12, 1),
            instalment_pence=instalment,
        )
    return world.case.reference


def _csv(*rows: str, header: str = "Date,Amount,Reference,Name") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _payments(world: World) -> list[tuple[int, str, str, date]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(p.amount_pence, p.method, p.reference, p.paid_on) for p in rows]


def _import(world: World, content: bytes, **kw: object) -> bank_import.Imported:
    with world.db.write() as s:
        return bank_import.import_statement(
            s,
            world.clerk,
            filename="statement.csv",
            content=content,
            **kw,  # type: ignore[arg-type]
        )


def test_lines_match_by_reference_then_name_and_amount_and_post_once(world: World) -> None:
    ref = _account(world)
    lower = ref.lower().replace("/000", " ")  # "om/2026 1": as a payer might type it
    content = _csv(
        f"20/11/2026,50.00,FINE {lower},J Bloggs",
        "21/11/2026,25.00,MONTHLY,Siobhan ONeill-Brady",
        "21/11/2026,-12.00,DIRECT DEBIT,Gas board",
        "22/11/2026,7.77,NO IDEA,Nobody Known",
    )
    with world.db.read() as s:
        review = bank_import.review_statement(s, world.clerk, content=content)
    assert [(x.outcome, x.case_reference, x.matched_by) for x in review.lines] == [
        ("match", ref, "account reference"),
        ("match", ref, "name and amount"),
        ("unmatched", "", ""),
    ]
    assert review.skipped == 1 and _payments(world) == []  # the review writes nothing

    result = _import(world, content)
    assert (result.posted, result.posted_pence, result.suspense, result.suspense_pence) == (
        2,
        7_500,
        1,
        777,
    )
    assert _payments(world) == [
        (5_000, "bank_transfer", f"FINE {lower}", date(2026, 11, 20)),
        (2_500, "bank_transfer", "MONTHLY", date(2026, 11, 21)),
    ]
    posted = result.lines[0]
    assert posted.receipt_no == f"R26-{posted.payment_id:07d}"
    with world.db.read() as s:
        [task] = s.exec(select(Task).where(Task.kind == "suspense")).all()
        assert "£7.77 from Nobody Known on 22/11/2026" in task.title
        assert task.case_id is None and task.team_id == world.team.id
        assert [r.task_id for r in queues.queue_page(s, world.clerk, key="suspense")] == [task.id]
        lines = s.exec(select(BankLine).order_by(col(BankLine.line_no))).all()
        assert [(x.status, x.matched_by) for x in lines] == [
            ("posted", "reference"),
            ("posted", "name_amount"),
            ("suspense", ""),
        ]
        actions = [e.action for e in s.exec(select(AuditEvent)).all()]
    assert actions.count("account.payment") == 2 and actions.count("bank.import") == 1

    again = _import(world, content)  # the same file again: nothing new
    assert (again.posted, again.suspense, again.already) == (0, 0, 3)
    assert len(_payments(world)) == 2


def test_two_identical_lines_are_two_payments_and_an_overpayment_goes_to_suspense(
    world: World,
) -> None:
    ref = _account(world)
    content = _csv(
        f"20/11/2026,300.00,{ref},",
        f"20/11/2026,300.00,{ref},",
    )
    result = _import(world, content)
    assert result.posted == 2
    with world.db.read() as s:
        [task] = s.exec(select(Task).where(Task.kind == "suspense")).all()
    # £600 against £385 owed: £215 held in the account's suspense.
    assert "Overpayment £215.00 in suspense" in task.title and task.case_id == world.case.id
    assert _import(world, content).already == 2


def test_lines_held_back_at_review_go_to_suspense(world: World) -> None:
    ref = _account(world)
    result = _import(world, _csv(f"20/11/2026,10.00,{ref},"), hold_back={2})
    assert (result.posted, result.suspense) == (0, 1)
    assert result.lines[0].note == "held back at review" and _payments(world) == []


def test_a_profile_is_saved_once_and_reused(world: World) -> None:
    ref = _account(world)
    header = "Posted,Paid in,Paid out,Their ref,Payer"
    content = _csv(f"2026-11-20,12.50,,{ref},X", header=header)
    mapping = "date=Posted,amount=Paid in,reference=Their ref,name=Payer"
    first = _import(world, content, profile="Lloyds", mapping=mapping)
    assert first.posted == 1
    with world.db.read() as s:
        assert bank_import.list_profiles(s, world.clerk) == [bank_import.Profile("Lloyds", mapping)]
    second = _import(world, _csv(f"2026-11-21,1.00,,{ref},X", header=header), profile="Lloyds")
    assert second.posted == 1
    with pytest.raises(NotFoundError), world.db.read() as s:
        bank_import.review_statement(s, world.clerk, content=content, profile="Barclays")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_csv("20/11/2026,12.345,X,Y"), "line 2, column 'Amount': '12.345' has more than two"),
        (_csv("20/11/2026,ten,X,Y"), "line 2, column 'Amount': 'ten' is not an amount"),
        (_csv("31/02/2026,1.00,X,Y"), "line 2, column 'Date': '31/02/2026' is not a real date"),
        (_csv("1.00,X", header="Amount,Ref"), "cannot tell which column holds the date"),
        (b"Date,Amount,Reference\n20/11/2026,1.00,Caf\x81\n", "line 2 has a byte (0x81)"),
        (b"PK\x03\x04\x00\x00", "is not a CSV text file"),
    ],
)
def test_a_bad_file_is_refused_whole(world: World, content: bytes, message: str) -> None:
    ref = _account(world)
    good = f"19/11/2026,5.00,{ref},A\n".encode()
    with pytest.raises(ValidationError) as e:
        _import(world, content + good if content.startswith(b"Date") else content)
    assert message in str(e.value)
    assert _payments(world) == []
    with world.db.read() as s:
        assert s.exec(select(BankLine)).all() == []


def test_wrong_columns_name_the_missing_ones(world: World) -> None:
    with pytest.raises(ValidationError) as e:
        _import(world, _csv("20/11/2026,1.00,X,Y"), mapping="date=Date,amount=Credit,reference=Ref")
    assert "no column 'Credit' (amount), 'Ref' (reference)" in str(e.value)
    with world.db.read() as s:
        assert s.exec(select(BankProfile)).all() == []


def test_windows_1252_and_a_byte_order_mark_are_read(world: World) -> None:
    ref = _account(world)
    cp1252 = f"Date,Amount,Reference,Name\n20/11/2026,£5.00,{ref},Zoë\n".encode("cp1252")
    bom = "\ufeff".encode() + _csv(f"20/11/2026,6.00,{ref},Zoë")
    with world.db.read() as s:
        assert bank_import.review_statement(s, world.clerk, content=cp1252).encoding == (
            "Windows-1252"
        )
    assert _import(world, cp1252).lines[0].name == "Zoë"
    assert _import(world, bom).posted == 1


def test_a_closed_or_unseen_account_is_not_matched(world: World) -> None:
    ref = _account(world)
    with world.db.write() as s:
        money_decisions.write_off(
            s, world.manager, case_id=world.case.id or 0, reason_code="deceased"
        )
    result = _import(world, _csv(f"20/11/2026,5.00,{ref},"))
    assert result.suspense == 1 and "closed or written off" in result.lines[0].note


def test_a_caseworker_may_not_import_a_statement(world: World) -> None:
    with pytest.raises(PermissionDeniedError) as e, world.db.write() as s:
        bank_import.import_statement(
            s, world.worker, filename="x.csv", content=_csv("20/11/2026,1.00,X,Y")
        )
    assert CAPABILITY_LABELS["money.bank"] in str(e.value)
