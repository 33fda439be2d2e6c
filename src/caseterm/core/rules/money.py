"""Money: amounts are whole pence in the database and `Decimal` in arithmetic; people read them
as £1,234.56 (Babel's en_GB currency format, loaded on first use). The catalogues of a fines
account (imposition kinds, payment methods, write-off reasons, transaction kinds) are data here,
with their labels."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from caseterm.core.errors import ValidationError

IMPOSITION_KINDS: dict[str, str] = {
    "compensation": "Compensation",
    "victim_surcharge": "Victim surcharge",
    "costs": "Costs",
    "court_charge": "Criminal courts charge",
    "fine": "Fine",
}
# Who is paid when the creditor is not recorded on the imposition.
DEFAULT_CREDITORS: dict[str, str] = {
    "compensation": "the victim",
    "victim_surcharge": "Victim surcharge fund",
    "costs": "Crown Prosecution Service",
    "court_charge": "HM Courts & Tribunals Service",
    "fine": "HM Courts & Tribunals Service",
}
DEFAULT_ALLOCATION_ORDER = ("compensation", "victim_surcharge", "costs", "fine")

PAYMENT_METHODS: dict[str, str] = {
    "cash": "Cash",
    "card": "Card",
    "cheque": "Cheque",
    "bank_transfer": "Bank transfer",
    "attachment_of_earnings": "Attachment of earnings",
    "benefit_deduction": "Benefit deduction",
}
WRITE_OFF_REASONS: dict[str, str] = {
    "deceased": "Deceased",
    "under_10": "Sum under £10",
    "remitted": "Remitted by the court",
    "untraceable": "Untraceable",
    "bankrupt": "Bankruptcy",
}
# A reason whose label states a condition on the sum: the code and the amount (pence) it must
# stay under ("Sum under £10": £10.00 or more is refused).
WRITE_OFF_UNDER: dict[str, int] = {"under_10": 1_000}
TXN_KINDS: dict[str, str] = {
    "payment": "Payment",
    "reversal": "Reversal",
    "write_off": "Write-off",
    "adjustment": "Adjustment",
    "to_suspense": "To suspense",
    "from_suspense": "From suspense",
    "refund": "Refund",
}
FREQUENCIES: dict[str, str] = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "monthly": "monthly",
}
# The largest single amount accepted (a typo guard): £10,000,000.00.
MAX_AMOUNT_PENCE = 1_000_000_000


@lru_cache(maxsize=1)
def _formatter() -> Any:
    from babel.numbers import format_currency

    return format_currency


def format_pence(pence: int | float) -> str:
    """£1,234.56 for 123456; -£5.00 for -500."""
    return _format_whole_pence(int(pence))


@lru_cache(maxsize=16_384)
def _format_whole_pence(pence: int) -> str:
    """Babel's GBP in en_GB, remembered: a screen, a receipt run or a bank statement names the
    same few amounts (instalments, balances) over and over, and Babel takes ~0.1 ms a call."""
    return str(_formatter()(Decimal(pence) / 100, "GBP", locale="en_GB"))


_AMOUNT = re.compile(r"^\d+(\.\d*)?$|^\.\d+$")
# Commas only between thousands: 1,234.56 or 12,345 (never a decimal comma such as 12,50).
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
COMMA_RULE = "the decimal point is a full stop; commas go only between thousands (1,234.56)"


def drop_thousands_commas(value: str, field: str, shown: str) -> str:
    """`value` (sign and £ already removed) without its thousands commas; refuses a comma
    anywhere else ("12,50", "1,2", "1,23,4") with one message naming the rule."""
    if "," not in value:
        return value
    if not _THOUSANDS.match(value):
        raise ValidationError(field, f"{shown!r} is not an amount: {COMMA_RULE}")
    return value.replace(",", "")


def parse_amount(text: str, field: str = "amount") -> int:
    """Pence from what a person types: "12", "12.5", "£1,234.56". Refuses (one message naming
    the field) anything that is not a positive amount of pounds and pence."""
    cleaned = text.strip().removeprefix("£").strip()
    if cleaned.startswith("-"):
        raise ValidationError(field, f"must be more than £0.00, not {text.strip()!r}")
    cleaned = drop_thousands_commas(cleaned, field, text.strip())
    if not _AMOUNT.match(cleaned):
        raise ValidationError(field, f"must be an amount of money like 12.50, not {text!r}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValidationError(
            field, f"must be an amount of money like 12.50, not {text!r}"
        ) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(field, f"has more than two decimal places ({text.strip()})")
    return check_pence(int(value * 100), field)


def parse_signed_amount(text: str, field: str = "amount") -> int:
    """Pence either way (a manual adjustment): "25" or "+25" is 2500, "-25" is -2500."""
    raw = text.strip()
    if raw[:1] in ("-", "+"):
        pence = parse_amount(raw[1:], field)
        return -pence if raw[0] == "-" else pence
    return parse_amount(raw, field)


def check_pence(pence: int, field: str = "amount") -> int:
    if pence <= 0:
        raise ValidationError(field, "must be more than £0.00")
    if pence > MAX_AMOUNT_PENCE:
        raise ValidationError(field, f"must be at most {format_pence(MAX_AMOUNT_PENCE)}")
    return pence


def allocation_order(text: str) -> tuple[str, ...]:
    """A case type's allocation order as stored ("compensation,victim_surcharge,…")."""
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    return kinds or DEFAULT_ALLOCATION_ORDER


def check_allocation_order(text: str) -> tuple[str, ...]:
    """An allocation order typed by an administrator ("compensation,victim_surcharge,costs,fine"):
    imposition kinds, each at most once; a kind not named is allocated after those named."""
    kinds = tuple(k.strip().lower().replace("-", "_") for k in text.split(",") if k.strip())
    if not kinds:
        raise ValidationError(
            "allocation order", f"name the imposition kinds in order: {', '.join(IMPOSITION_KINDS)}"
        )
    for kind in kinds:
        if kind not in IMPOSITION_KINDS:
            raise ValidationError(
                "allocation order",
                f"unknown kind {kind!r}; use the kinds {', '.join(IMPOSITION_KINDS)}",
            )
    twice = sorted({k for k in kinds if kinds.count(k) > 1})
    if twice:
        raise ValidationError("allocation order", f"names {', '.join(twice)} more than once")
    return kinds


def full_allocation_order(order: tuple[str, ...]) -> tuple[str, ...]:
    """The order every kind is allocated in: those named, then the others (ledger.ordered)."""
    return order + tuple(k for k in IMPOSITION_KINDS if k not in order)


def kind_label(kind: str) -> str:
    return IMPOSITION_KINDS.get(kind, kind.replace("_", " ").capitalize())


def check_write_off_reason(code: str, amount_pence: int) -> None:
    """Refuses a reason that does not fit the sum written off ("Sum under £10" for £413.50)."""
    under = WRITE_OFF_UNDER.get(code)
    if under is not None and amount_pence >= under:
        raise ValidationError(
            "reason",
            f"{WRITE_OFF_REASONS[code]!r} is only for a sum under {format_pence(under)}, "
            f"not {format_pence(amount_pence)}",
        )


def check_choice(value: str, choices: dict[str, str], field: str) -> str:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in choices:
        raise ValidationError(field, f"unknown {value!r}; use one of {', '.join(choices)}")
    return key
