"""A case's fines account, read: its impositions with what each has had paid, the balance
(replayed from the ledger: `rules/ledger.py`), the active payment terms and where the account
stands against them (`rules/terms.py`), and the ledger itself. Posting to the ledger is in
`services/ledger.py`; setting terms in `services/payment_terms.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError
from caseterm.core.models import (
    CaseFile,
    CaseType,
    Imposition,
    Payment,
    PaymentTerms,
)
from caseterm.core.rules import ledger, terms
from caseterm.core.rules.money import (
    DEFAULT_CREDITORS,
    FREQUENCIES,
    PAYMENT_METHODS,
    TXN_KINDS,
    WRITE_OFF_REASONS,
    allocation_order,
    format_pence,
    kind_label,
)
from caseterm.core.rules.money_enforcement import account_kind, appeal_days_of, path_for
from caseterm.core.rules.money_enforcement import next_step as path_next_step
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.cases import find_case
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.enforcement_paths import paths_in_force
from caseterm.core.services.enforcement_state import (
    CONFIRMED,
    PROPOSED,
    StepState,
    hold_words,
    holds_in_force,
    step_states,
)
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class ImpositionLine:
    id: int
    kind: str
    label: str
    creditor: str
    imposed_on: date
    imposed_pence: int
    paid_pence: int
    written_off_pence: int
    adjusted_pence: int
    outstanding_pence: int


@dataclass(frozen=True)
class TxnRow:
    id: int
    kind: str
    label: str
    amount_pence: int
    on: date
    method: str
    reference: str
    receipt_no: str
    reason: str
    reverses_id: int | None
    reversed: bool
    to_suspense_pence: int
    by: str


@dataclass(frozen=True)
class TermsView:
    id: int
    kind: str
    instalment_pence: int
    frequency: str
    first_due: date
    pay_by: date | None
    lump_sum_pence: int
    reason: str
    version: int

    def describe(self) -> str:
        if self.kind == "by_date":
            return f"Pay in full by {(self.pay_by or self.first_due):%d/%m/%Y}"
        text = (
            f"{format_pence(self.instalment_pence)} {FREQUENCIES.get(self.frequency, '')} "
            f"from {self.first_due:%d/%m/%Y}"
        )
        if self.lump_sum_pence:
            text = f"{format_pence(self.lump_sum_pence)} lump sum, then {text}"
        return text


@dataclass(frozen=True)
class NextStep:
    """The next action on the account's enforcement path and the day it becomes due."""

    action: str  # key in rules/money_enforcement.ACTIONS
    label: str
    letter: str
    on: date

    def words(self) -> str:
        """ "attachment of earnings next on 26/11"."""
        return f"{self.label[:1].lower()}{self.label[1:]} next on {self.on:%d/%m}"


@dataclass(frozen=True)
class AccountView:
    case_id: int
    reference: str
    status: str  # live | paid | written_off | closed
    lines: tuple[ImpositionLine, ...]
    imposed_pence: int
    paid_pence: int
    written_off_pence: int
    balance_pence: int
    suspense_pence: int
    terms: TermsView | None
    arrears_pence: int
    missed: int
    next_due_on: date | None
    next_due_pence: int
    suggested_pence: int  # what to offer as the amount of a payment now
    stage: str  # where the account stands, in words, with the next step when there is one
    transactions: tuple[TxnRow, ...]
    next_step: NextStep | None = None  # the next action on the enforcement path, when due
    pending_step: StepState | None = None  # a step the money run proposed, awaiting the officer
    hold: str = ""  # "On hold until 12/01: appeal lodged" while enforcement is held

    @property
    def accepts_payments(self) -> bool:
        return self.status in ledger.TAKES_PAYMENTS

    def header_text(self) -> str:
        """A few words for the case header: "Owes £1,234.56 (arrears £50.00)"."""
        text = f"Owes {format_pence(self.balance_pence)}"
        if self.arrears_pence:
            text += f" (arrears {format_pence(self.arrears_pence)})"
        if self.status in ("written_off", "closed"):
            text = f"Account {STATUS_WORDS[self.status]}, owes {format_pence(self.balance_pence)}"
        if self.suspense_pence:
            text += f" · {format_pence(self.suspense_pence)} in suspense"
        if self.next_step is not None and self.status == "live":
            text += f" · {self.next_step.words()}"
        return text


STATUS_WORDS = {
    "live": "live",
    "paid": "paid in full",
    "written_off": "written off",
    "closed": "closed",
}


def _case(session: Session, actor: Actor, reference_or_id: str | int) -> CaseFile:
    actor.require("case.read")
    if isinstance(reference_or_id, int):
        return require_visible(session, actor, reference_or_id, "account")
    case = find_case(session, reference_or_id)
    ensure_can_see(session, actor, case, "account")
    return case


def _txn(p: Payment) -> ledger.Txn:
    return ledger.Txn(p.id or 0, p.kind, p.amount_pence, p.reverses_id, p.imposition_id)


def position_of(
    session: Session, case: CaseFile, *, upto: int | None = None
) -> tuple[list[Imposition], list[Payment], ledger.Position]:
    """The account's impositions, ledger rows and replayed position (no access check); with
    `upto`, the ledger as it stood after that row."""
    charges = list(
        session.exec(
            select(Imposition).where(Imposition.case_id == case.id).order_by(col(Imposition.id))
        ).all()
    )
    rows = list(
        session.exec(
            select(Payment).where(Payment.case_id == case.id).order_by(col(Payment.id))
        ).all()
    )
    if upto is not None:
        rows = [p for p in rows if (p.id or 0) <= upto]
    ct = get(session, CaseType, case.case_type_id, "case type")
    position = ledger.replay(
        [ledger.Charge(c.id or 0, c.kind, c.amount_pence) for c in charges],
        [_txn(p) for p in rows],
        allocation_order(ct.allocation_order),
    )
    return charges, rows, position


def active_terms(session: Session, case_id: int) -> PaymentTerms | None:
    return session.exec(
        select(PaymentTerms).where(PaymentTerms.case_id == case_id, col(PaymentTerms.active))
    ).first()


def terms_of(row: PaymentTerms) -> terms.Terms:
    return terms.Terms(
        kind=row.kind,
        instalment_pence=row.instalment_pence,
        frequency=row.frequency,
        first_due=row.first_due,
        pay_by=row.pay_by,
        lump_sum_pence=row.lump_sum_pence,
    )


def _paid_under(rows: Sequence[Payment], position: ledger.Position, since: date | None) -> int:
    """Money applied to the account on or after `since` (all of it when None), net of
    reversals: what counts against the terms' schedule."""
    kinds = {p.id: p for p in rows}
    total = 0
    for p in rows:
        effect = position.effects.get(p.id or 0)
        if effect is None:
            continue
        source = kinds.get(p.reverses_id) if p.kind == "reversal" else p
        if source is None or source.kind not in ("payment", "from_suspense"):
            continue
        if since is not None and source.created_at.date() < since:
            continue
        total += sum(pence for _, bucket, pence in effect.allocations if bucket == ledger.PAID)
    return total


def build_view(
    session: Session, case: CaseFile, *, today: date | None = None
) -> AccountView | None:
    """The account of a case already allowed (None when the case has no impositions)."""
    today = today or clock.today()
    charges, rows, position = position_of(session, case)
    if not charges:
        return None
    term_row = active_terms(session, case.id or 0)
    standing: terms.Standing | None = None
    if term_row is not None and position.balance_pence > 0:
        since = term_row.created_at.date() if term_row.created_at else None
        paid_under = _paid_under(rows, position, since)
        total = position.balance_pence + paid_under
        try:
            dues: Iterable[terms.Due] = terms.iter_schedule(terms_of(term_row), total)
        except Exception:  # terms stored before the rules refused them: show no schedule
            dues = ()
        standing = terms.standing(dues, paid_under, today)
    status = _status(case, position)
    arrears = min(standing.arrears_pence, position.balance_pence) if standing else 0
    next_due = standing.next_due if standing else None
    if arrears:
        suggested = arrears
    elif next_due is not None:
        suggested = min(next_due.pence, position.balance_pence)
    else:
        suggested = position.balance_pence
    by_id = {c.id: c for c in charges}
    names = {p.created_by_id: "" for p in rows}
    for staff_id in names:
        names[staff_id] = staff_name(session, staff_id) if staff_id else ""
    steps = step_states(session, [case.id or 0]).get(case.id or 0, [])
    held = holds_in_force(session, [case.id or 0], today=today).get(case.id or 0)
    hold = hold_words(*held) if held is not None and status == "live" else ""
    coming = (
        _next_step(session, case, term_row, standing, steps, today)
        if status == "live" and standing is not None and not hold
        else None
    )
    pending = steps[-1] if steps and steps[-1].status == PROPOSED else None
    return AccountView(
        case_id=case.id or 0,
        reference=case.reference,
        status=status,
        lines=tuple(
            ImpositionLine(
                id=line.charge.id,
                kind=line.charge.kind,
                label=kind_label(line.charge.kind),
                creditor=by_id[line.charge.id].creditor
                or DEFAULT_CREDITORS.get(line.charge.kind, ""),
                imposed_on=by_id[line.charge.id].imposed_on,
                imposed_pence=line.charge.amount_pence,
                paid_pence=line.paid_pence,
                written_off_pence=line.written_off_pence,
                adjusted_pence=line.adjusted_pence,
                outstanding_pence=line.outstanding_pence,
            )
            for line in position.lines
        ),
        imposed_pence=position.imposed_pence,
        paid_pence=position.paid_pence,
        written_off_pence=position.written_off_pence,
        balance_pence=position.balance_pence,
        suspense_pence=position.suspense_pence,
        terms=terms_view(term_row),
        arrears_pence=arrears,
        missed=standing.missed if standing else 0,
        next_due_on=next_due.on if next_due else None,
        next_due_pence=next_due.pence if next_due else 0,
        suggested_pence=suggested,
        stage=_stage(status, standing, arrears, steps, coming, hold),
        transactions=tuple(
            _row(p, position, names.get(p.created_by_id, "")) for p in reversed(rows)
        ),
        next_step=coming,
        pending_step=pending if status == "live" else None,
        hold=hold,
    )


def _next_step(
    session: Session,
    case: CaseFile,
    term_row: PaymentTerms | None,
    standing: terms.Standing,
    steps: list[StepState],
    today: date,
) -> NextStep | None:
    """The next action of the enforcement path for the case type and account kind
    (`enforcement_paths.paths_in_force`) and its date, as the money run will propose it: None
    when the account is not in default, a step awaits the officer, or the path is at its end."""
    ct = get(session, CaseType, case.case_type_id, "case type")
    kind = account_kind(term_row.kind if term_row is not None else None)
    path = path_for(paths_in_force(session), ct.code, kind)
    if path is None:
        return None
    due = path_next_step(
        path,
        missed=standing.missed,
        taken=len(steps),
        last_confirmed=steps[-1].decided_on if steps else None,
        today=today,
        appeal_working_days=appeal_days_of(steps[-1].action, steps[-1].status == CONFIRMED)
        if steps
        else 0,
    )
    if due is None:
        return None
    return NextStep(due.action.key, due.action.label, due.action.letter, due.on)


def terms_view(row: PaymentTerms | None) -> TermsView | None:
    if row is None:
        return None
    return TermsView(
        id=row.id or 0,
        kind=row.kind,
        instalment_pence=row.instalment_pence,
        frequency=row.frequency,
        first_due=row.first_due,
        pay_by=row.pay_by,
        lump_sum_pence=row.lump_sum_pence,
        reason=row.reason,
        version=row.version,
    )


def _status(case: CaseFile, position: ledger.Position) -> str:
    return ledger.account_status(case.status, position)


def _stage(
    status: str,
    standing: terms.Standing | None,
    arrears: int,
    steps: list[StepState] | None = None,
    coming: NextStep | None = None,
    hold: str = "",
) -> str:
    if status != "live":
        return STATUS_WORDS[status].capitalize()
    if hold:
        return hold + (f" ({steps[-1].words()})" if steps else "")
    then = f"; {coming.words()}" if coming is not None else ""
    if steps:
        last = steps[-1]
        return last.words() + ("" if last.status == PROPOSED else then)
    if standing is None:
        return "No payment terms set"
    if arrears:
        missed = standing.missed
        return (
            f"In arrears: {missed} instalment{'s' if missed != 1 else ''} missed, "
            f"{format_pence(arrears)} behind{then}"
        )
    if standing.next_due is not None:
        return f"Paying to terms; next {format_pence(standing.next_due.pence)} due " + (
            f"{standing.next_due.on:%d/%m/%Y}"
        )
    return "Paying to terms"


def _row(p: Payment, position: ledger.Position, by: str) -> TxnRow:
    effect = position.effects.get(p.id or 0, ledger.Effect())
    reason = p.reason
    if p.kind == "write_off":
        reason = WRITE_OFF_REASONS.get(p.reason, p.reason)
    return TxnRow(
        id=p.id or 0,
        kind=p.kind,
        label=TXN_KINDS.get(p.kind, p.kind),
        amount_pence=p.amount_pence,
        on=p.paid_on,
        method=PAYMENT_METHODS.get(p.method, p.method),
        reference=p.reference,
        receipt_no=p.receipt_no or "",
        reason=reason,
        reverses_id=p.reverses_id,
        reversed=(p.id or 0) in position.reversed_ids,
        to_suspense_pence=effect.suspense_pence if p.kind == "payment" else 0,
        by=by,
    )


def show_account(session: Session, actor: Actor, *, reference_or_id: str | int) -> AccountView:
    """The account of a case, for the Account section, `account show` and the desk."""
    case = _case(session, actor, reference_or_id)
    view = build_view(session, case)
    if view is None:
        raise NotFoundError("account of case", case.reference)
    return view


def account_if_any(session: Session, actor: Actor, *, case_id: int) -> AccountView | None:
    """The account of a case, or None when it has no impositions (the case header asks)."""
    case = require_visible(session, actor, case_id, "account")
    return build_view(session, case)
