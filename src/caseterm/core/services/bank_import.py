"""Importing a bank statement (CSV): read it with a saved column profile (or a mapping given
once and saved under a name), match each line to a fines account (`bank_match`), show the review,
then post: matched lines become bank-transfer payments on their accounts (allocated by priority
as any payment; more than is owed goes to the account's suspense with a task, as at the
counter); unmatched lines, and lines held back at review, are held in suspense with a task each
in the Suspense queue, to trace and allocate. A line is imported once (`bank_line.line_key` is
unique): importing the same file again posts nothing new. A bad file is refused whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import BankLine, BankProfile, BankStatement
from caseterm.core.rules import bank_csv
from caseterm.core.rules.bank_csv import ColumnMap, StatementLine
from caseterm.core.rules.money import format_pence
from caseterm.core.services import audit
from caseterm.core.services.bank_match import Account, Match, match_lines
from caseterm.core.services.bank_posting import LineView as LineView  # the views it returns
from caseterm.core.services.bank_posting import Posting
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class Profile:
    name: str
    mapping: str  # date=…,amount=…,reference=…,name=…


@dataclass(frozen=True)
class Review:
    """What importing the file would do (nothing is written)."""

    encoding: str
    mapping: str
    lines: tuple[LineView, ...]
    skipped: int  # money out or nil

    @property
    def matched(self) -> int:
        return sum(1 for x in self.lines if x.outcome == "match")

    @property
    def unmatched(self) -> int:
        return sum(1 for x in self.lines if x.outcome == "unmatched")

    @property
    def already(self) -> int:
        return sum(1 for x in self.lines if x.outcome == "already")


@dataclass(frozen=True)
class Imported:
    statement_id: int
    lines: tuple[LineView, ...]
    posted: int
    posted_pence: int
    suspense: int
    suspense_pence: int
    already: int
    skipped: int


IMPORT_CACHE_KIB = 65_536  # SQLite's page cache while a statement is imported

# ---------------------------------------------------------------- profiles


def list_profiles(session: Session, actor: Actor) -> list[Profile]:
    """The saved column profiles, by name."""
    actor.require("money.bank")
    rows = session.exec(select(BankProfile).order_by(col(BankProfile.name))).all()
    return [Profile(r.name, _mapping_of(r).describe()) for r in rows]


def _mapping_of(row: BankProfile) -> ColumnMap:
    return ColumnMap(row.date_column, row.amount_column, row.reference_column, row.name_column)


def save_profile(session: Session, actor: Actor, *, name: str, mapping: str) -> Profile:
    """Save (or replace) a named column profile: `date=COL,amount=COL,reference=COL,name=COL`."""
    actor.require("money.bank")
    name = clean_line("profile", name, limit=60)
    cols = bank_csv.parse_mapping(mapping)
    row = session.exec(select(BankProfile).where(BankProfile.name == name)).first()
    before = audit.snapshot(row) if row else None
    if row is None:
        row = BankProfile(name=name, date_column="", amount_column="", reference_column="")
    row.date_column, row.amount_column = cols.date[:80], cols.amount[:80]
    row.reference_column, row.name_column = cols.reference[:80], cols.name[:80]
    row.created_by_id = actor.id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "bank.profile",
        "bank_profile",
        row.id,
        summary=f"bank file profile {name}: {cols.describe()}",
        before=before,
        after=audit.snapshot(row),
    )
    return Profile(name, cols.describe())


def _columns(session: Session, profile: str | None, mapping: str | None) -> ColumnMap | None:
    if mapping:
        return bank_csv.parse_mapping(mapping)
    if profile:
        row = session.exec(select(BankProfile).where(BankProfile.name == profile.strip())).first()
        if row is None:
            raise NotFoundError("bank file profile", profile.strip())
        return _mapping_of(row)
    return None


# ---------------------------------------------------------------- reading and matching


def _read(
    session: Session, actor: Actor, content: bytes, profile: str | None, mapping: str | None
) -> tuple[bank_csv.Statement, ColumnMap, list[StatementLine], list[Match], dict[int, Account]]:
    actor.require("money.bank")
    statement, used = bank_csv.read_statement(content, _columns(session, profile, mapping))
    known = _known_keys(session, [line.key for line in statement.lines])
    fresh = [line for line in statement.lines if line.key not in known]
    matches, accounts = match_lines(session, actor, fresh)
    return statement, used, fresh, matches, accounts


def _known_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 900):
        found.update(
            session.exec(
                select(BankLine.line_key).where(col(BankLine.line_key).in_(keys[i : i + 900]))
            ).all()
        )
    return found


def review_statement(
    session: Session,
    actor: Actor,
    *,
    content: bytes,
    profile: str | None = None,
    mapping: str | None = None,
) -> Review:
    """What importing the file would post and hold in suspense, line by line (writes nothing)."""
    statement, used, fresh, matches, accounts = _read(session, actor, content, profile, mapping)
    by_no = {line.line_no: (line, m) for line, m in zip(fresh, matches, strict=True)}
    views = []
    for line in statement.lines:
        if line.line_no not in by_no:
            views.append(LineView.of(line, "already", None, None))
            continue
        _, m = by_no[line.line_no]
        account = accounts.get(m.case_id) if m.case_id is not None else None
        views.append(LineView.of(line, "match" if account else "unmatched", account, m))
    return Review(statement.encoding, used.describe(), tuple(views), statement.skipped)


# ---------------------------------------------------------------- posting


def import_statement(
    session: Session,
    actor: Actor,
    *,
    filename: str,
    content: bytes,
    profile: str | None = None,
    mapping: str | None = None,
    hold_back: Collection[int] = (),
) -> Imported:
    """Post the file's matched lines as payments and hold the rest in suspense with a task each
    (`hold_back`: line numbers the reviewer kept from posting, held in suspense too). With both
    `profile` and `mapping`, the mapping is saved under that name first. Written in bulk (a
    few statements for the whole file), so 10,000 lines take seconds."""
    if profile and mapping:
        save_profile(session, actor, name=profile, mapping=mapping)
        mapping = None
    with _roomy_cache(session):
        return _post(session, actor, filename, content, profile, mapping, hold_back)


@contextmanager
def _roomy_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache the size of an import's work (64 MB, not the default 2 MB) while
    it runs: the thousands of index pages it changes are not spilled to the write-ahead log and
    read back in the middle of the transaction. The connection's own size is restored after."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar_one()
    session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = {int(before)}"))


def _post(
    session: Session,
    actor: Actor,
    filename: str,
    content: bytes,
    profile: str | None,
    mapping: str | None,
    hold_back: Collection[int],
) -> Imported:
    statement, used, fresh, matches, accounts = _read(session, actor, content, profile, mapping)
    today = clock.today()
    stmt = BankStatement(
        filename=clean_line("file", filename, limit=255),
        profile=(profile or "").strip()[:60],
        lines=len(statement.lines),
        already=len(statement.lines) - len(fresh),
        imported_by_id=actor.id,
    )
    session.add(stmt)
    posting = Posting(session, actor, today, accounts)
    held = set(hold_back)
    for line, m in zip(fresh, matches, strict=True):
        account = accounts.get(m.case_id) if m.case_id is not None else None
        if account is None or line.line_no in held:
            posting.suspend(line, "held back at review" if account is not None else m.note)
        else:
            posting.pay(line, account, m)
    views = posting.write(stmt)
    ordered = tuple(
        views.get(line.line_no) or LineView.of(line, "already", None, None)
        for line in statement.lines
    )
    result = Imported(
        statement_id=stmt.id or 0,
        lines=ordered,
        posted=sum(1 for x in ordered if x.outcome == "posted"),
        posted_pence=sum(x.amount_pence for x in ordered if x.outcome == "posted"),
        suspense=sum(1 for x in ordered if x.outcome == "suspense"),
        suspense_pence=sum(x.amount_pence for x in ordered if x.outcome == "suspense"),
        already=stmt.already,
        skipped=statement.skipped,
    )
    stmt.posted, stmt.suspense = result.posted, result.suspense
    session.add(stmt)
    audit.record(
        session,
        actor,
        "bank.import",
        "bank_statement",
        stmt.id,
        summary=f"bank statement {stmt.filename} ({used.describe()}): {result.posted} posted "
        f"{format_pence(result.posted_pence)}, {result.suspense} to suspense "
        f"{format_pence(result.suspense_pence)}, {result.already} imported before",
        after=audit.snapshot(stmt),
    )
    return result


def check_file_size(size: int) -> None:
    """Refuse a file too large to be a statement before reading it (50 MB)."""
    if size > 50 * 1024 * 1024:
        raise ValidationError("file", f"is {size // (1024 * 1024)} MB; a bank statement is smaller")
