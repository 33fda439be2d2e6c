"""The money run (nightly, or `caseterm money run` from cron): every live fines account whose
missed instalments reach the enforcement path of its case type and account kind
(`services/enforcement_paths.py`: the shipped paths with an administrator's own) is moved to its
next step, as a task in the Enforcement queue for the officer to confirm or reject
(`services/enforcement_steps.py`; completing the task also confirms it). An account whose
enforcement is on hold (`services/enforcement_hold.py`) is skipped.

Idempotent: a step is proposed once per account (the `enforcement_step` table is unique per case
and step number, and the next step waits for the last to be confirmed and its days to pass), so
running it twice, or in two processes at once, proposes nothing more. Every account is read in a
handful of queries and replayed in memory, so the run over the large demo takes seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import (
    CaseFile,
    CaseType,
    EnforcementStep,
    Imposition,
    Payment,
    PaymentTerms,
    Staff,
)
from caseterm.core.models.vocab import CaseStatus, TaskKind
from caseterm.core.rules import ledger, terms
from caseterm.core.rules import money_enforcement as paths
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.money import allocation_order, format_pence
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.accounts import terms_of
from caseterm.core.services.enforcement_paths import paths_in_force
from caseterm.core.services.enforcement_state import CONFIRMED, holds_in_force, step_states
from caseterm.core.services.identity import Actor
from caseterm.core.services.tasks import TASK_FIELDS, insert_task_rows, new_task_row
from caseterm.core.text import clean_line, clean_notes

ENFORCEMENT_DUE_WORKING_DAYS = 5  # for the officer to confirm a proposed step


@dataclass(frozen=True)
class Proposal:
    case_id: int
    reference: str
    number: int
    action: str
    label: str
    letter: str
    missed: int
    arrears_pence: int
    task_id: int | None  # None on a dry run


@dataclass(frozen=True)
class RunResult:
    considered: int  # live accounts with a path
    proposed: tuple[Proposal, ...]
    dry_run: bool
    held: int = 0  # accounts in default skipped because their enforcement is on hold


@dataclass(frozen=True)
class _Account:
    case_id: int
    reference: str
    case_type: str
    order: tuple[str, ...]


def run_enforcement(
    session: Session, actor: Actor, *, dry_run: bool = False, today: date | None = None
) -> RunResult:
    """Propose the next enforcement step of every defaulted account (see the module doc)."""
    actor.require("money.correct")
    today = today or clock.today()
    in_force = paths_in_force(session)
    live = _live_accounts(session, {code for code, _ in in_force})
    ids = list(live)
    charges: dict[int, list[ledger.Charge]] = defaultdict(list)
    txns: dict[int, list[ledger.Txn]] = defaultdict(list)
    paid_at: dict[int, list[tuple[int, date]]] = defaultdict(list)
    term_rows: dict[int, PaymentTerms] = {}
    for chunk in _chunks(ids):
        # Plain columns, not records: the run reads every account's ledger.
        for case_id, iid, kind, amount in session.execute(
            select_columns(
                col(Imposition.case_id),
                col(Imposition.id),
                col(Imposition.kind),
                col(Imposition.amount_pence),
            ).where(col(Imposition.case_id).in_(chunk))
        ):
            charges[case_id].append(ledger.Charge(iid, kind, amount))
        for case_id, pid, kind, amount, reverses, imposition, created in session.execute(
            select_columns(
                col(Payment.case_id),
                col(Payment.id),
                col(Payment.kind),
                col(Payment.amount_pence),
                col(Payment.reverses_id),
                col(Payment.imposition_id),
                col(Payment.created_at),
            ).where(col(Payment.case_id).in_(chunk))
        ):
            txns[case_id].append(ledger.Txn(pid, kind, amount, reverses, imposition))
            paid_at[case_id].append((pid, created.date()))
        for t in session.exec(
            select(PaymentTerms).where(
                col(PaymentTerms.case_id).in_(chunk), col(PaymentTerms.active)
            )
        ):
            term_rows[t.case_id] = t
    steps = step_states(session, ids)
    held = holds_in_force(session, ids, today=today)
    skipped = 0
    proposed: list[Proposal] = []
    next_steps: dict[int, paths.Due] = {}
    for case_id, account in live.items():
        term_row = term_rows.get(case_id)
        if term_row is None or not charges.get(case_id):
            continue
        path = paths.path_for(in_force, account.case_type, paths.account_kind(term_row.kind))
        if path is None:
            continue
        position = ledger.replay(charges[case_id], txns.get(case_id, []), account.order)
        if position.balance_pence <= 0:
            continue
        since = term_row.created_at.date() if term_row.created_at else None
        paid_under = _paid_since(position, txns.get(case_id, []), paid_at[case_id], since)
        try:
            dues = terms.iter_schedule(terms_of(term_row), position.balance_pence + paid_under)
        except Exception:  # terms the rules would now refuse: nothing to enforce against
            continue
        standing = terms.standing(dues, paid_under, today)
        done = steps.get(case_id, [])
        due = paths.next_step(
            path,
            missed=standing.missed,
            taken=len(done),
            last_confirmed=done[-1].decided_on if done else None,
            today=today,
            appeal_working_days=paths.appeal_days_of(done[-1].action, done[-1].status == CONFIRMED)
            if done
            else 0,
        )
        if due is None or due.on > today:
            continue
        if case_id in held:
            skipped += 1
            continue
        arrears = min(standing.arrears_pence, position.balance_pence)
        proposed.append(
            Proposal(
                case_id=case_id,
                reference=account.reference,
                number=due.number,
                action=due.action.key,
                label=due.action.label,
                letter=due.action.letter,
                missed=standing.missed,
                arrears_pence=arrears,
                task_id=None,
            )
        )
        next_steps[case_id] = due
    if not dry_run and proposed:
        task_ids = _propose_all(session, actor, proposed, next_steps, today)
        proposed = [replace(p, task_id=task_ids[p.case_id]) for p in proposed]
        audit.record(
            session,
            actor,
            "money.run",
            "database",
            None,
            summary=f"money run: {len(proposed)} enforcement steps proposed "
            f"over {len(live)} accounts" + (f" ({skipped} on hold skipped)" if skipped else ""),
        )
    return RunResult(len(live), tuple(proposed), dry_run, skipped)


def _live_accounts(session: Session, with_paths: set[str]) -> dict[int, _Account]:
    types = {
        ct.id: ct
        for ct in session.exec(select(CaseType))
        if ct.code in with_paths and ct.id is not None
    }
    if not types:
        return {}
    with_money = select(Imposition.case_id).distinct()
    rows = session.execute(
        select_columns(col(CaseFile.id), col(CaseFile.reference), col(CaseFile.case_type_id)).where(
            col(CaseFile.case_type_id).in_(list(types)),
            col(CaseFile.status).in_((CaseStatus.OPEN, CaseStatus.REFERRAL)),
            col(CaseFile.id).in_(with_money),
        )
    ).all()
    return {
        case_id: _Account(
            case_id,
            reference,
            types[type_id].code,
            allocation_order(types[type_id].allocation_order),
        )
        for case_id, reference, type_id in rows
    }


def _paid_since(
    position: ledger.Position,
    txns: list[ledger.Txn],
    created: list[tuple[int, date]],
    since: date | None,
) -> int:
    when = dict(created)
    kinds = {t.id: t for t in txns}
    total = 0
    for t in txns:
        source = kinds.get(t.reverses_id or 0) if t.kind == "reversal" else t
        if source is None or source.kind not in ("payment", "from_suspense"):
            continue
        if since is not None and when.get(source.id, since) < since:
            continue
        effect = position.effects.get(t.id)
        if effect is not None:
            total += sum(p for _, bucket, p in effect.allocations if bucket == ledger.PAID)
    return total


def _propose_all(
    session: Session,
    actor: Actor,
    proposed: list[Proposal],
    dues: dict[int, paths.Due],
    today: date,
) -> dict[int, int]:
    """Write every proposed step: its task in the Enforcement queue (given to the case owner, or
    the team's pile if they are gone, as `tasks.insert_task` would), the step, and each task's
    audit event; a few statements for the whole run, not eight a step. Each new task's id by
    case."""
    case_ids = [p.case_id for p in proposed]
    cases: dict[int, CaseFile] = {}
    for chunk in _chunks(case_ids):
        cases.update(
            (c.id or 0, c)
            for c in session.exec(select(CaseFile).where(col(CaseFile.id).in_(chunk)))
        )
    owner_ids = sorted({c.owner_id for c in cases.values() if c.owner_id is not None})
    owners: dict[int, Staff] = {}
    for chunk in _chunks(owner_ids):
        owners.update(
            (o.id or 0, o)
            for o in session.exec(select(Staff).where(col(Staff.id).in_(chunk), col(Staff.active)))
        )
    now = clock.now()
    due_date = add_working_days(today, ENFORCEMENT_DUE_WORKING_DAYS)
    rows: list[dict[str, Any]] = []
    for p in proposed:
        case, due = cases[p.case_id], dues[p.case_id]
        owner = owners.get(case.owner_id) if case.owner_id is not None else None
        rows.append(
            new_task_row(
                actor,
                now,
                kind=TaskKind.ENFORCEMENT,
                title=clean_line("title", f"{due.action.label} due ({case.reference})"),
                details=clean_notes(
                    "details", _details(due, p.missed, p.arrears_pence), limit=5000
                ),
                case_id=case.id,
                person_id=case.subject_id,
                office_id=case.office_id
                if case.office_id is not None
                else owner.office_id
                if owner is not None
                else actor.office_id,
                team_id=case.team_id
                if case.team_id is not None
                else owner.team_id
                if owner is not None
                else actor.team_id,
                assignee_id=owner.id if owner is not None else None,
                due_date=due_date,
                priority=2,
                source=f"money:{case.id}:{due.number}",
            )
        )
    ids = insert_task_rows(session, rows)
    task_ids = {p.case_id: ids[row["source"]] for p, row in zip(proposed, rows, strict=True)}
    for start in range(0, len(proposed), 500):
        session.execute(
            insert(EnforcementStep),
            [
                {
                    "case_id": p.case_id,
                    "number": dues[p.case_id].number,
                    "action": dues[p.case_id].action.key,
                    "task_id": task_ids[p.case_id],
                    "proposed_on": today,
                    "created_at": now,
                }
                for p in proposed[start : start + 500]
            ],
        )
    kind_label = TASK_KINDS.get(TaskKind.ENFORCEMENT, TaskKind.ENFORCEMENT)
    audit.record_many(
        session,
        [
            audit.event_row(
                actor,
                "task.create",
                "task",
                task_ids[p.case_id],
                case_id=p.case_id,
                person_id=row["person_id"],
                summary=f"task {task_ids[p.case_id]} ({kind_label}): {row['title']}",
                after={f: row[f] for f in TASK_FIELDS},
            )
            for p, row in zip(proposed, rows, strict=True)
        ],
    )
    return task_ids


def _details(due: paths.Due, missed: int, arrears: int) -> str:
    action = due.action
    lines = [
        f"{missed} instalments missed; {format_pence(arrears)} in arrears.",
        f"Letter: {action.letter}." if action.letter else "",
        f"Appeal window: {action.appeal_working_days} working days from the letter."
        if action.appeal_working_days
        else "",
        "Applies to the fine only." if action.fine_only else "",
        "Confirm the step on the case's Account section (8, then c: the letter is drafted for "
        "checking) or reject it with a reason (v); completing this task also confirms it.",
    ]
    return "\n".join(line for line in lines if line)


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
