"""End to end in a real terminal, on the demo database: the back office imports the morning's
bank statement (`M`, `o`, the file, the usual headings recognised), reviews it, posts it (`P`):
one line pays an account, the other goes to suspense with a task; then `b` for the banking,
`e` enters what was banked for the first method (the expected total, as offered). Every step
is asserted in the database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import Banking, BankLine, BankStatement, CaseFile, CaseType, Payment, Task
from caseterm.core.services import accounts, banking
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_import_a_bank_statement_and_enter_the_banking(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        fines = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "FINE", CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).all()
        views = [accounts.build_view(s, case) for case in fines]
        owing = next(v for v in views if v is not None and v.balance_pence > 1_000)
        actor = resolve_actor(s, LOGIN)
        first_method = (banking.reconciliation(s, actor, day=frozen_clock.date()).lines or [None])[
            0
        ]
    method = first_method.method if first_method else "cash"
    expected = first_method.expected_pence if first_method else 0
    statement = tmp_path / "statement.csv"
    statement.write_text(
        "Date,Description,Amount,Name\n"
        f"20/11/2026,FINE {owing.reference},10.00,A Payer\n"
        "20/11/2026,SOMETHING ELSE,4.56,Nobody Known\n",
        encoding="utf-8",
    )
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("M", literal=True)
        term.wait_for("Bank statement", "No statement read yet")
        term.keys("o", literal=True)
        term.wait_for("Bank statement file (CSV)")
        term.keys(str(statement), literal=True)
        term.keys("Enter")
        term.wait_for("Column profile")
        term.keys("Enter")  # blank: the usual headings
        term.wait_for("1 will post, 1 to suspense")
        term.keys("P", literal=True)
        term.wait_for("Posted 1 payments (£10.00)")
        term.keys("b", literal=True)
        term.wait_for("Banking for")
        term.keys("e", literal=True)
        term.wait_for("banked on 23/11/2026")
        term.keys("Enter")  # the expected total is offered
        term.wait_for("Saved.")
        term.keys("Escape")
        term.wait_for("Posted 1 payments")
        term.keys("Escape")
        term.wait_for("Suspense")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        lines = s.exec(  # this file's lines (the demo has a statement of its own)
            select(BankLine)
            .join(BankStatement, col(BankStatement.id) == col(BankLine.statement_id))
            .where(BankStatement.filename == "statement.csv")
            .order_by(col(BankLine.line_no))
        ).all()
        payment = s.get(Payment, lines[0].payment_id)
        task = s.get(Task, lines[1].task_id)
        banked = s.exec(select(Banking).where(Banking.method == method)).one()
    db.dispose()
    assert [x.status for x in lines] == ["posted", "suspense"]
    assert payment is not None and payment.case_id == owing.case_id
    assert (payment.amount_pence, payment.method) == (1_000, "bank_transfer")
    assert task is not None and task.kind == "suspense" and "£4.56" in task.title
    assert banked.banked_pence == expected and banked.day == frozen_clock.date()
