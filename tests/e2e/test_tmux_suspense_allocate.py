"""End to end in a real terminal, on the demo database: a bank credit the morning's statement
could not match sits in the Suspense queue; the back office traces it to a fines account and
allocates it from its task (`]` to the Suspense queue, the task, `L`, the case reference, the
amount confirmed, `ctrl+s`). Asserted in the database: the payment on the statement's date, the
line posted, the task done."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import BankLine, CaseFile, CaseType, Payment, Task
from caseterm.core.services import accounts, bank_import, queues
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_a_bank_credit_in_suspense_is_allocated_to_an_account(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.write() as s:
        actor = resolve_actor(s, LOGIN)
        fines = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "FINE", CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).all()
        views = [accounts.build_view(s, case) for case in fines]
        owing = next(
            v for v in views if v is not None and v.accepts_payments and v.balance_pence > 5_000
        )
        content = b"Date,Description,Amount,Name\n19/11/2026,CASH DEPOSIT 4417,23.45,T Tracer\n"
        done = bank_import.import_statement(s, actor, filename="s.csv", content=content)
        task_id = done.lines[0].task_id
        line = s.exec(select(BankLine).where(BankLine.task_id == task_id)).one()
    with db.read() as s:
        shown = queues.list_queues(s, actor)
        names = [q.name for q in shown]
        steps = names[1 : [q.key for q in shown].index("suspense") + 1]
        rows = queues.queue_page(s, actor, key="suspense", limit=100)
        down = [r.task_id for r in rows].index(task_id or 0)
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=120, height=40)
    try:
        term.wait_for("My work", "Suspense")  # the queue list has loaded
        for name in steps:  # one queue at a time: each shows its title before the next `]`
            term.keys("]", literal=True)
            term.wait_for(f"{name} ·")
        term.wait_for("Suspense ·", "Bank credit £23.45")
        if down:
            term.keys(*["Down"] * down)
        term.keys("L", literal=True)
        term.wait_for("Allocate to account", "Bank credit £23.45 on 19/11/2026 from T Tracer")
        term.keys(owing.reference, literal=True)
        term.wait_for(owing.reference, "23.45")  # the amount as on the statement, to confirm
        term.keys("C-s")
        term.wait_for(f"Allocated £23.45 to {owing.reference}")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        posted = s.get(BankLine, line.id)
        task = s.get(Task, task_id)
        payment = s.get(Payment, posted.payment_id) if posted and posted.payment_id else None
    db.dispose()
    assert posted is not None and (posted.status, posted.case_id) == ("posted", owing.case_id)
    assert payment is not None
    assert (payment.amount_pence, payment.method, payment.paid_on) == (
        2_345,
        "bank_transfer",
        date(2026, 11, 19),
    )
    assert task is not None and task.status == "done"
