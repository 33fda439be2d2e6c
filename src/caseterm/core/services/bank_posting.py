"""Posting an imported bank statement (`bank_import`), in bulk: matched lines become bank-transfer
payments on their accounts (allocated by priority as any payment; more than is owed goes to the
account's suspense with one task per account), the rest are held in suspense with a task each.
Every row is gathered as a plain row and written in a few multi-row INSERTs (the payments' and
tasks' ids by RETURNING), the receipt numbers in one batched UPDATE by id, the audit events in
one INSERT: no ORM object per row, so 10,000 lines take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, func, insert
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import BankLine, BankStatement, Payment, Staff, Task
from caseterm.core.models.bank import BankLineStatus
from caseterm.core.models.money import TxnKind
from caseterm.core.models.vocab import TaskKind
from caseterm.core.rules import ledger
from caseterm.core.rules.bank_csv import StatementLine
from caseterm.core.rules.money import format_pence
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.bank_match import MATCHED_BY, Account, Match
from caseterm.core.services.identity import Actor
from caseterm.core.services.ledger import PAYMENT_FIELDS, SUSPENSE_DUE_DAYS, receipt_number
from caseterm.core.services.tasks import (
    TASK_FIELDS,
    new_task_row,
)
from caseterm.core.text import clean_line, clean_notes

METHOD = "bank_transfer"
TASK_TABLE: Table = Task.__table__  # type: ignore[attr-defined]
PAYMENT_TABLE: Table = Payment.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LineView:
    line_no: int
    paid_on: date
    amount_pence: int
    reference: str
    name: str
    outcome: str  # review: match | unmatched | already; import: posted | suspense | already
    case_id: int | None
    case_reference: str
    matched_by: str  # in words: "account reference", "name and amount", ""
    note: str
    payment_id: int | None = None
    receipt_no: str = ""
    task_id: int | None = None

    @classmethod
    def of(
        cls,
        line: StatementLine,
        outcome: str,
        account: Account | None,
        match: Match | None,
        **extra: Any,
    ) -> LineView:
        return cls(
            line_no=line.line_no,
            paid_on=line.paid_on,
            amount_pence=line.amount_pence,
            reference=line.reference,
            name=line.name,
            outcome=outcome,
            case_id=account.case_id if account else None,
            case_reference=account.reference if account else "",
            matched_by=MATCHED_BY.get(match.how, "") if match else "",
            note=match.note if match else "imported before",
            **extra,
        )


class Posting:
    """The rows an import writes, gathered as plain rows and then written in bulk: a few
    multi-row INSERTs (and one batched UPDATE of the receipt numbers) for the whole file, no
    ORM object per payment or task."""

    def __init__(
        self, session: Session, actor: Actor, today: date, accounts: dict[int, Account]
    ) -> None:
        self.session, self.actor, self.today = session, actor, today
        self.now = clock.now()
        self.due = add_working_days(today, SUSPENSE_DUE_DAYS)
        self.paid: list[tuple[StatementLine, Account, Match, dict[str, Any]]] = []
        self.held: list[tuple[StatementLine, str, dict[str, Any]]] = []
        self.extra: dict[int, int] = {}  # case → pence more than was owed, for one task each
        self.active = _active_staff(session, {a.owner_id for a in accounts.values()})

    def pay(self, line: StatementLine, account: Account, m: Match) -> None:
        applied, extra = ledger.split_payment(account.balance_pence, line.amount_pence)
        account.balance_pence -= applied
        if extra:
            self.extra[account.case_id] = self.extra.get(account.case_id, 0) + extra
        row: dict[str, Any] = {
            "case_id": account.case_id,
            "kind": TxnKind.PAYMENT,
            "amount_pence": line.amount_pence,
            "paid_on": line.paid_on,
            "method": METHOD,
            "reference": line.reference[:60],
            "receipt_no": None,
            "reverses_id": None,
            "imposition_id": None,
            "reason": "",
            "created_at": self.now,
            "created_by_id": self.actor.id,
        }
        self.paid.append((line, account, m, row))

    def suspend(self, line: StatementLine, why: str) -> None:
        who = f" from {line.name}" if line.name else ""
        task = self._task(
            title=f"Bank credit {format_pence(line.amount_pence)}{who} on "
            f"{line.paid_on:%d/%m/%Y} in suspense: trace and allocate",
            details=f"Reference: {line.reference or '(none)'}\nWhy: {why}",
            case_id=None,
            person_id=None,
            assignee_id=None,
            team_id=self.actor.team_id,
            office_id=self.actor.office_id,
            source=f"bank_line:{line.key[:16]}",
        )
        self.held.append((line, why, task))

    def _task(self, *, title: str, details: str = "", **fields: Any) -> dict[str, Any]:
        return new_task_row(
            self.actor,
            self.now,
            kind=TaskKind.SUSPENSE,
            title=clean_line("title", title),
            details=clean_notes("details", details, limit=5000),
            due_date=self.due,
            priority=2,
            **fields,
        )

    def _number(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """Give `rows` their ids before they are inserted (`_new_ids`)."""
        for row, new_id in zip(rows, _new_ids(self.session, table, len(rows)), strict=True):
            row["id"] = new_id

    def write(self, stmt: BankStatement) -> dict[int, LineView]:
        actor = self.actor
        accounts = {a.case_id: a for _, a, _, _ in self.paid}
        over = {
            case_id: self._task(
                title=f"Overpayment {format_pence(pence)} in suspense: refund or apply "
                f"({accounts[case_id].reference})",
                case_id=case_id,
                person_id=accounts[case_id].subject_id,
                assignee_id=self._owner(accounts[case_id]),
                team_id=accounts[case_id].team_id,
                office_id=accounts[case_id].office_id,
                source=f"bank_statement:{case_id}",
            )
            for case_id, pence in self.extra.items()
        }
        tasks = [t for _, _, t in self.held] + list(over.values())
        self.session.flush()  # the statement's row, for its id
        assert stmt.id is not None
        # Every row numbered first (the receipt number is the payment's id), then each table in
        # one executemany of its INSERT: not the ORM's (it splits the rows by their NULLs), no
        # RETURNING (no statement of thousands of parameters for the driver to parse).
        payments = [row for *_, row in self.paid]
        self._number(TASK_TABLE, tasks)
        self._number(PAYMENT_TABLE, payments)
        for row in payments:
            row["receipt_no"] = receipt_number(row["id"], self.today)
        for table, rows in ((TASK_TABLE, tasks), (PAYMENT_TABLE, payments)):
            if rows:
                self.session.execute(insert(table), rows)
        events = [
            audit.event_row(
                actor,
                "task.create",
                "task",
                task["id"],
                case_id=task["case_id"],
                person_id=task["person_id"],
                summary=f"task {task['id']} (Money in suspense): {task['title']}",
                after={f: task[f] for f in TASK_FIELDS},
            )
            for task in tasks
        ]  # written with the payments' events in one INSERT (`audit.record_many`)
        views: dict[int, LineView] = {}
        lines: list[dict[str, object]] = []  # bank_line rows, inserted in one statement
        for line, why, task in self.held:
            lines.append(
                self._line(
                    stmt.id, line, BankLineStatus.SUSPENSE, note=why[:200], task_id=task["id"]
                )
            )
            views[line.line_no] = LineView.of(
                line, "suspense", None, Match(None, "", why), task_id=task["id"]
            )
        for line, account, m, row in self.paid:
            task_id = over[account.case_id]["id"] if account.case_id in over else None
            lines.append(
                self._line(
                    stmt.id,
                    line,
                    BankLineStatus.POSTED,
                    matched_by=m.how,
                    case_id=account.case_id,
                    payment_id=row["id"],
                    task_id=task_id,
                )
            )
            events.append(
                audit.event_row(
                    actor,
                    "account.payment",
                    "payment",
                    row["id"],
                    case_id=account.case_id,
                    summary=f"{format_pence(line.amount_pence)} by Bank transfer (bank "
                    f"statement line {line.line_no}, matched by {MATCHED_BY[m.how]}), receipt "
                    f"{row['receipt_no']}",
                    after={f: row[f] for f in PAYMENT_FIELDS},
                )
            )
            views[line.line_no] = LineView.of(
                line,
                "posted",
                account,
                m,
                payment_id=row["id"],
                receipt_no=row["receipt_no"],
                task_id=task_id,
            )
        if lines:  # the table's INSERT, not the ORM's: it would split the rows by their NULLs
            self.session.execute(insert(BankLine.__table__), lines)  # type: ignore[attr-defined]
        audit.record_many(self.session, events)
        return views

    def _owner(self, account: Account) -> int | None:
        return account.owner_id if account.owner_id in self.active else None

    @staticmethod
    def _line(
        statement_id: int, line: StatementLine, status: str, **fields: object
    ) -> dict[str, object]:
        row: dict[str, object] = {
            "line_key": line.key,
            "statement_id": statement_id,
            "line_no": line.line_no,
            "paid_on": line.paid_on,
            "amount_pence": line.amount_pence,
            "reference": line.reference,
            "name": line.name,
            "status": str(status),
            "matched_by": "",
            "case_id": None,
            "payment_id": None,
            "task_id": None,
            "note": "",
        }
        row.update(fields)
        return row


def _new_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` ids for new rows of `table`, taken inside the writing transaction: on PostgreSQL
    from the id column's sequence (one statement); on SQLite those after the highest (writers
    take turns there: nothing else inserts until this transaction ends)."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return [
            int(i)
            for i in session.execute(
                select_columns(func.nextval(sequence)).select_from(func.generate_series(1, count))
            ).scalars()
        ]
    highest = session.execute(select_columns(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(int(highest) + 1, int(highest) + 1 + count))


def _active_staff(session: Session, ids: set[int | None]) -> set[int]:
    wanted = sorted(i for i in ids if i is not None)
    found: set[int] = set()
    for i in range(0, len(wanted), 900):
        rows = session.exec(
            select(Staff.id).where(col(Staff.id).in_(wanted[i : i + 900]), col(Staff.active))
        ).all()
        found.update(r for r in rows if r is not None)
    return found
