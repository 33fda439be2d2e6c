"""Reading a bank statement exported as CSV: the text's encoding (UTF-8, with or without a byte
order mark, else Windows-1252, the two a UK bank's site offers), the column mapping (which
column holds the date, the amount, the reference and the payer's name), each line's date and
amount, and each line's key (the same line of the same file always has the same key, so it is
posted once however often the file is imported). Pure functions; a bad file is refused with one
message naming the line and the column, before anything is posted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money import drop_thousands_commas
from caseterm.core.text import fold

FIELDS = ("date", "amount", "reference", "name")
REQUIRED = ("date", "amount", "reference")
# Column headings tried when no mapping is given (case and spaces ignored), in order.
GUESSES: dict[str, tuple[str, ...]] = {
    "date": ("date", "transaction date", "posting date", "value date"),
    "amount": ("amount", "credit", "paid in", "credit amount", "money in"),
    "reference": ("reference", "ref", "description", "narrative", "details"),
    "name": ("name", "payer", "payer name", "remitter", "counterparty"),
}
HEADER_SEARCH_ROWS = 20  # a bank may put account details above the heading row
MAX_LINES = 100_000
_AMOUNT = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_D_MON_Y = re.compile(r"^(\d{1,2})[\s\-]([A-Za-z]{3})[A-Za-z]*[\s\-](\d{4}|\d{2})$")


@dataclass(frozen=True)
class ColumnMap:
    """Which heading holds each field (name may be empty: the file has no payer column)."""

    date: str
    amount: str
    reference: str
    name: str = ""

    def describe(self) -> str:
        return ",".join(f"{f}={getattr(self, f)}" for f in FIELDS if getattr(self, f))


@dataclass(frozen=True)
class StatementLine:
    line_no: int  # in the file, counting the heading row
    paid_on: date
    amount_pence: int
    reference: str
    name: str
    key: str


@dataclass(frozen=True)
class Statement:
    lines: tuple[StatementLine, ...]  # money in
    skipped: int  # money out or nil (debits, blank credits): not for us
    encoding: str


def parse_mapping(text: str) -> ColumnMap:
    """`date=Date,amount=Credit,reference=Reference,name=Payer` (as `--map` takes it)."""
    found: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, heading = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in FIELDS or not heading.strip():
            raise ValidationError(
                "map", f"{part.strip()!r} is not FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}"
            )
        found[key] = heading.strip()
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise ValidationError("map", f"says no column for {', '.join(missing)}")
    return ColumnMap(found["date"], found["amount"], found["reference"], found.get("name", ""))


def decode(content: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read as."""
    if b"\x00" in content[:4096]:
        raise ValidationError(
            "file", "is not a CSV text file (a spreadsheet?): save it from the bank as CSV"
        )
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as e:
        line = content[: e.start].count(b"\n") + 1
        raise ValidationError(
            "file",
            f"line {line} has a byte (0x{content[e.start]:02x}) that is neither UTF-8 nor "
            "Windows-1252 text: save the statement from the bank as CSV (UTF-8)",
        ) from None


def _norm(heading: str) -> str:
    return " ".join(heading.lower().split())


def _find_header(rows: list[list[str]], mapping: ColumnMap | None) -> tuple[int, ColumnMap]:
    """The heading row's index and the mapping to use (guessed when none was given)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {_norm(h) for h in row}
        if mapping is not None:
            wanted = [getattr(mapping, f) for f in FIELDS if getattr(mapping, f)]
            if all(_norm(w) in names for w in wanted):
                return i, mapping
            continue
        guessed = {f: next((g for g in GUESSES[f] if g in names), "") for f in FIELDS}
        if all(guessed[f] for f in REQUIRED):
            real = {_norm(h): h for h in row}
            return i, ColumnMap(*(real.get(guessed[f], "") for f in FIELDS))
    first = rows[0] if rows else []
    columns = ", ".join(repr(h) for h in first) or "none"
    if mapping is None:
        raise ValidationError(
            "columns",
            f"cannot tell which column holds the date, amount and reference (the first row's "
            f"columns are {columns}): give --map date=COL,amount=COL,reference=COL,name=COL",
        )
    names = {_norm(h) for h in first}
    absent = [
        f"{getattr(mapping, f)!r} ({f})"
        for f in FIELDS
        if getattr(mapping, f) and _norm(getattr(mapping, f)) not in names
    ]
    raise ValidationError(
        "columns", f"the file has no column {', '.join(absent)}; its columns are {columns}"
    )


def parse_date(text: str, where: str) -> date:
    value = text.strip()
    try:
        if m := _DMY.match(value):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1]))
        if m := _ISO.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _D_MON_Y.match(value)) and m[2].lower() in _MONTHS:
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        raise ValidationError(where, f"{value!r} is not a real date") from None
    raise ValidationError(where, f"{value!r} is not a date like 23/11/2026")


def parse_amount(text: str, where: str) -> int | None:
    """Pence of money in; None for money out or a blank (a debit, or a credit column left
    empty on a debit line)."""
    value = text.strip().replace("£", "").replace(" ", "")
    if not value:
        return None
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    value = value.strip("()").lstrip("-+")
    if value.upper().endswith(("CR", "DR")):
        negative = negative or value.upper().endswith("DR")
        value = value[:-2]
    value = drop_thousands_commas(value, where, text.strip())
    if not _AMOUNT.match(value):
        raise ValidationError(where, f"{text.strip()!r} is not an amount of money like 12.50")
    amount = Decimal(value)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(where, f"{text.strip()!r} has more than two decimal places")
    pence = int(amount * 100)
    if negative or pence == 0:
        return None
    return pence


def line_key(paid_on: date, pence: int, reference: str, name: str, nth: int) -> str:
    """The same line (and the nth identical line) of a statement always has the same key."""
    raw = f"{paid_on.isoformat()}|{pence}|{fold(reference)}|{fold(name)}|{nth}"
    return hashlib.sha256(raw.encode()).hexdigest()


def read_statement(content: bytes, mapping: ColumnMap | None) -> tuple[Statement, ColumnMap]:
    """Every money-in line of the file, or one ValidationError for the first thing wrong."""
    text, encoding = decode(content)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise ValidationError("file", f"is not readable as CSV: {e}") from None
    if len(rows) > MAX_LINES:
        raise ValidationError("file", f"has {len(rows)} lines; at most {MAX_LINES} at once")
    header_at, used = _find_header(rows, mapping)
    index = {_norm(h): i for i, h in enumerate(rows[header_at])}
    cols = {f: index[_norm(getattr(used, f))] for f in FIELDS if getattr(used, f)}
    seen: dict[tuple[date, int, str, str], int] = {}
    lines: list[StatementLine] = []
    skipped = 0
    for n, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(field: str, row: list[str] = row) -> str:
            i = cols.get(field)
            return row[i] if i is not None and i < len(row) else ""

        def where(field: str, n: int = n) -> str:
            return f"line {n}, column {getattr(used, field)!r}"

        pence = parse_amount(cell("amount"), where("amount"))
        if pence is None:
            skipped += 1
            continue
        paid_on = parse_date(cell("date"), where("date"))
        reference, name = cell("reference").strip()[:140], cell("name").strip()[:140]
        ident = (paid_on, pence, fold(reference), fold(name))
        nth = seen.get(ident, 0)
        seen[ident] = nth + 1
        key = line_key(paid_on, pence, reference, name, nth)
        lines.append(StatementLine(n, paid_on, pence, reference, name, key))
    return Statement(tuple(lines), skipped, encoding), used


def mapping_from(values: Mapping[str, str]) -> ColumnMap:
    return ColumnMap(values["date"], values["amount"], values["reference"], values.get("name", ""))
