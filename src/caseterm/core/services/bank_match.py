"""Matching bank statement lines to fines accounts, in bulk: first by a case reference found in
the line's reference (FE/2026/000123, fe 2026 123, FE2026000123…), then by the payer's name and
the amount (the account's instalment or its balance; one account only, else it is not a match),
then by initials and family name ("J SMITH", rule as data: `rules/bank_names.toml`) and the amount.
Only cases the importer may see are matched, and by name only open ones. Every account involved
is read in a handful of queries: its balance as two sums when its ledger is plain (payments and
suspense transfers only, `ledger.plain_balance`), replayed from its rows otherwise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, exists, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core.models import CaseFile, CaseType, Imposition, Payment, PaymentTerms, PersonName
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules import ledger
from caseterm.core.rules.bank_csv import StatementLine
from caseterm.core.rules.bank_names import initials_fit, initials_form, words_of
from caseterm.core.rules.money import allocation_order
from caseterm.core.rules.phonetic import sound_key
from caseterm.core.services.access import visible_to
from caseterm.core.services.identity import Actor
from caseterm.core.text import fold

BY_REFERENCE, BY_NAME_AMOUNT, BY_INITIALS = "reference", "name_amount", "initials_amount"
MATCHED_BY = {
    BY_REFERENCE: "account reference",
    BY_NAME_AMOUNT: "name and amount",
    BY_INITIALS: "initials, family name and amount",
}
_REF = re.compile(r"(?<![A-Z])([A-Z]{1,6})[\s/\-]*((?:19|20)\d\d)[\s/\-]*(\d{1,6})(?!\d)")


@dataclass
class Account:
    """A fines account as the import sees it; `balance_pence` moves as lines are posted."""

    case_id: int
    reference: str
    subject_id: int
    owner_id: int | None
    team_id: int | None
    office_id: int | None
    closed: bool
    balance_pence: int
    written_off: bool
    instalment_pence: int

    @property
    def accepts_payments(self) -> bool:
        return not self.closed and not (self.balance_pence <= 0 and self.written_off)


@dataclass(frozen=True)
class Match:
    case_id: int | None
    how: str  # BY_REFERENCE | BY_NAME_AMOUNT | ""
    note: str  # why it did not match


def _references_in(text: str) -> list[str]:
    """Case references written in a bank reference, canonical (FE/2026/000123)."""
    return [f"{m[1]}/{m[2]}/{int(m[3]):06d}" for m in _REF.finditer(text.upper())]


def _name_keys(name: str) -> list[str]:
    """Folded forms of a payer's name to look up: as written and family name first."""
    words = words_of(name)
    if len(words) < 2:
        return []
    return list(dict.fromkeys((" ".join(words), " ".join(words[1:] + words[:1]))))


def _chunks(values: Sequence[object], size: int = 900) -> Iterable[list[object]]:
    for i in range(0, len(values), size):
        yield list(values[i : i + size])


_CASE_COLUMNS = (
    col(CaseFile.id),
    col(CaseFile.reference),
    col(CaseFile.subject_id),
    col(CaseFile.owner_id),
    col(CaseFile.team_id),
    col(CaseFile.office_id),
    col(CaseFile.status),
    col(CaseFile.case_type_id),
)


def _load_accounts(session: Session, where: list[ColumnElement[bool]]) -> dict[int, Account]:
    """Fines accounts (cases with impositions) of cases meeting `where`. A plain ledger (only
    payments and suspense transfers, as nearly every one is) is read as two sums per account
    (`ledger.plain_balance`); any other is read row by row and replayed."""
    has_charges = exists().where(col(Imposition.case_id) == col(CaseFile.id))
    cases = session.execute(select_columns(*_CASE_COLUMNS).where(has_charges, *where)).all()
    imposed: dict[int, int] = {}
    paid: dict[int, int] = {}
    knotty: set[int] = set()  # ledgers that are not plain: replayed
    instalments: dict[int, int] = {}
    paying = col(Payment.kind).in_(ledger.PAYING_KINDS)
    plain = col(Payment.kind).in_(ledger.PLAIN_KINDS)
    for chunk in _chunks([c[0] for c in cases]):
        for case_id, total, smallest in session.execute(
            select_columns(
                col(Imposition.case_id),
                func.sum(col(Imposition.amount_pence)),
                func.min(col(Imposition.amount_pence)),
            )
            .where(col(Imposition.case_id).in_(chunk))
            .group_by(col(Imposition.case_id))
        ):
            imposed[case_id] = int(total)
            if smallest <= 0:
                knotty.add(case_id)
        for case_id, paid_pence, not_plain in session.execute(
            select_columns(
                col(Payment.case_id),
                func.sum(case((paying, col(Payment.amount_pence)), else_=0)),
                func.sum(case((plain, 0), else_=1)),
            )
            .where(col(Payment.case_id).in_(chunk))
            .group_by(col(Payment.case_id))
        ):
            paid[case_id] = int(paid_pence)
            if not_plain:
                knotty.add(case_id)
        for case_id, pence in session.execute(
            select_columns(col(PaymentTerms.case_id), col(PaymentTerms.instalment_pence)).where(
                col(PaymentTerms.case_id).in_(chunk), col(PaymentTerms.active)
            )
        ):
            instalments[case_id] = pence
    replayed = _replayed(session, [(c[0], c[7]) for c in cases if c[0] in knotty])
    out: dict[int, Account] = {}
    for case_id, reference, subject_id, owner_id, team_id, office_id, status, _ in cases:
        balance, written_off = replayed.get(case_id) or (
            ledger.plain_balance(imposed[case_id], paid.get(case_id, 0)),
            False,
        )
        out[case_id] = Account(
            case_id=case_id,
            reference=reference,
            subject_id=subject_id,
            owner_id=owner_id,
            team_id=team_id,
            office_id=office_id,
            closed=status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED),
            balance_pence=balance,
            written_off=written_off,
            instalment_pence=instalments.get(case_id, 0),
        )
    return out


def _replayed(session: Session, cases: Sequence[tuple[int, int]]) -> dict[int, tuple[int, bool]]:
    """(balance, anything written off) of each (case, case type) whose ledger is not plain,
    replayed from its impositions and transactions in its type's allocation order."""
    if not cases:
        return {}
    orders = {ct.id: allocation_order(ct.allocation_order) for ct in session.exec(select(CaseType))}
    charges: dict[int, list[ledger.Charge]] = defaultdict(list)
    txns: dict[int, list[ledger.Txn]] = defaultdict(list)
    for chunk in _chunks([case_id for case_id, _ in cases]):
        for case_id, iid, kind, amount in session.execute(
            select_columns(
                col(Imposition.case_id),
                col(Imposition.id),
                col(Imposition.kind),
                col(Imposition.amount_pence),
            ).where(col(Imposition.case_id).in_(chunk))
        ):
            charges[case_id].append(ledger.Charge(iid, kind, amount))
        for case_id, pid, kind, amount, reverses, imposition in session.execute(
            select_columns(
                col(Payment.case_id),
                col(Payment.id),
                col(Payment.kind),
                col(Payment.amount_pence),
                col(Payment.reverses_id),
                col(Payment.imposition_id),
            ).where(col(Payment.case_id).in_(chunk))
        ):
            txns[case_id].append(ledger.Txn(pid, kind, amount, reverses, imposition))
    out: dict[int, tuple[int, bool]] = {}
    for case_id, type_id in cases:
        position = ledger.replay(charges[case_id], txns[case_id], orders.get(type_id, ()))
        out[case_id] = (position.balance_pence, position.written_off_pence > 0)
    return out


def match_lines(
    session: Session, actor: Actor, lines: Sequence[StatementLine]
) -> tuple[list[Match], dict[int, Account]]:
    """Each line's match (in order), and the accounts matched (to post against)."""
    refs = {line.line_no: _references_in(line.reference) for line in lines}
    wanted = sorted({r for found in refs.values() for r in found})
    accounts: dict[int, Account] = {}
    by_ref: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found = _load_accounts(session, [col(CaseFile.reference).in_(chunk), visible_to(actor)])
        accounts.update(found)
        by_ref.update({a.reference: a.case_id for a in found.values()})
    matches: dict[int, Match] = {}
    for line in lines:
        for ref in refs[line.line_no]:
            if ref in by_ref:
                account = accounts[by_ref[ref]]
                matches[line.line_no] = (
                    Match(account.case_id, BY_REFERENCE, "")
                    if account.accepts_payments
                    else Match(None, "", f"{ref}: account closed or written off")
                )
                break
    rest = [line for line in lines if line.line_no not in matches]
    _match_by_name(session, actor, rest, matches, accounts)
    out = [
        matches.get(line.line_no)
        or Match(
            None,
            "",
            "no account with that reference"
            if refs[line.line_no]
            else "no account reference; name and amount match no single account",
        )
        for line in lines
    ]
    return out, accounts


def _match_by_name(
    session: Session,
    actor: Actor,
    lines: Sequence[StatementLine],
    matches: dict[int, Match],
    accounts: dict[int, Account],
) -> None:
    keys = {line.line_no: _name_keys(line.name) for line in lines}
    wanted = sorted({k for found in keys.values() for k in found})
    people: dict[str, set[int]] = defaultdict(set)
    for chunk in _chunks(wanted):
        for folded, person_id in session.execute(
            select_columns(col(PersonName.folded), col(PersonName.person_id)).where(
                col(PersonName.folded).in_(chunk)
            )
        ):
            people[folded].add(person_id)
    by_initials = _people_by_initials(session, lines)
    person_ids = sorted(
        {p for ids in people.values() for p in ids}
        | {p for ids in by_initials.values() for p in ids}
    )
    by_person: dict[int, list[Account]] = defaultdict(list)
    for chunk in _chunks(person_ids):
        found = _load_accounts(
            session,
            [
                col(CaseFile.subject_id).in_(chunk),
                col(CaseFile.status).not_in(ledger.CLOSED_CASE_STATUSES),  # no closed account fits
                visible_to(actor),
            ],
        )
        for account in found.values():
            accounts.setdefault(account.case_id, account)
            by_person[account.subject_id].append(accounts[account.case_id])
    for line in lines:
        persons = {p for k in keys[line.line_no] for p in people.get(k, ())}
        how, fits = BY_NAME_AMOUNT, _fits(line, persons, by_person)
        if not fits and line.line_no in by_initials:  # a full name that fits comes first
            how, fits = BY_INITIALS, _fits(line, by_initials[line.line_no], by_person)
        if len(fits) == 1:
            matches[line.line_no] = Match(fits[0].case_id, how, "")
        elif len(fits) > 1:
            matches[line.line_no] = Match(
                None, "", f"{MATCHED_BY[how]} fit {len(fits)} accounts: choose one"
            )


def _fits(
    line: StatementLine, persons: set[int], by_person: dict[int, list[Account]]
) -> list[Account]:
    """The accounts of `persons` that take the line: open, owing, and the amount their
    instalment or their whole balance."""
    return [
        a
        for p in persons
        for a in by_person.get(p, ())
        if a.accepts_payments
        and line.amount_pence in (a.instalment_pence, a.balance_pence)
        and a.balance_pence > 0
    ]


def _people_by_initials(session: Session, lines: Sequence[StatementLine]) -> dict[int, set[int]]:
    """line number → the people whose family name is the line's and whose given names begin
    with its initials ("J SMITH"), for lines whose payer is written that way (the rule:
    `rules/bank_names`). Looked up by the family name's sound key (indexed), then compared."""
    forms = {line.line_no: f for line in lines if (f := initials_form(line.name)) is not None}
    sounds = sorted({sound_key(family) for family, _ in forms.values()} - {""})
    named: dict[str, list[tuple[str, int]]] = defaultdict(list)  # family → (given, person)
    for chunk in _chunks(sounds):
        for given, family, person_id in session.execute(
            select_columns(
                col(PersonName.given_name), col(PersonName.family_name), col(PersonName.person_id)
            ).where(col(PersonName.sound).in_(chunk))
        ):
            named[fold(family)].append((fold(given), person_id))
    out: dict[int, set[int]] = {}
    for line_no, (family, initials) in forms.items():
        found = {p for given, p in named.get(family, ()) if initials_fit(initials, given)}
        if found:
            out[line_no] = found
    return out
