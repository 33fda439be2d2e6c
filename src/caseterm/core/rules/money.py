"""Money: amounts are whole pence in the database and `Decimal` in arithmetic; people read them
as £1,234.56 (Babel's en_GB currency format, loaded on first use)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _formatter() -> Any:
    from babel.numbers import format_currency

    return format_currency


def format_pence(pence: int | float) -> str:
    """£1,234.56 for 123456; -£5.00 for -500."""
    amount = Decimal(int(pence)) / 100
    return str(_formatter()(amount, "GBP", locale="en_GB"))
