"""Money in suspense dealt with from its task: a bank credit allocated to an account, an
account's overpayment applied or refunded."""

from __future__ import annotations

from sqlmodel import Session, select

from caseterm.core.models import BankLine, Task
from caseterm.core.services import bank_import, bank_suspense, ledger
from tests.audit_scenarios import audited, reads
from tests.factories import World

reads("bank_suspense", "suspense_item", "suspense_lines")


def _line(w: World) -> int:
    """A fines account and an unmatched bank credit held in suspense (committed)."""
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=5_000)
        content = b"Date,Amount,Reference\n20/11/2026,12.00,NO IDEA\n"
        bank_import.import_statement(s, w.clerk, filename="s.csv", content=content)
        line = s.exec(select(BankLine)).one()
    return line.id or 0


def _overpaid(w: World) -> int:
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=5_000)
        receipt = ledger.take_payment(
            s, w.clerk, case_id=w.case.id or 0, amount_pence=6_000, method="cash"
        )
        task = s.get(Task, receipt.suspense_task_id)
    assert task is not None
    return task.id or 0


@audited("bank_suspense", "allocate_line", "bank.allocate", _line)
def _allocate(s: Session, w: World, line_id: int) -> None:
    bank_suspense.allocate_line(s, w.clerk, line_id=line_id, case_reference=w.case.reference)


@audited("bank_suspense", "settle_overpayment", "account.suspense", _overpaid)
def _settle(s: Session, w: World, task_id: int) -> None:
    bank_suspense.settle_overpayment(s, w.manager, task_id=task_id, refund=True, reason="cheque")
