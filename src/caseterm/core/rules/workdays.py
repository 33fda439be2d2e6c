"""Working days in England and Wales: Monday to Friday, bank holidays excluded (from the
`holidays` package, including substitute days such as Boxing Day observed on a Monday).

Statutory deadlines are counted the usual way: the starting day is day 0, and the deadline is the
n-th working day after it.
"""

from __future__ import annotations

import calendar
import importlib.util
import sys
import threading
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

_UK_MODULE = "holidays.countries.united_kingdom"
_LOADING = threading.Lock()  # workers may ask for working days at once


def _load_uk_calendar() -> None:
    """Load the United Kingdom's calendar module on its own. `holidays.country_holidays("GB")`
    imports the `holidays.countries` package, whose `__init__` imports every country the
    package knows (about 250 modules, 0.1-0.2 s of CPU) to use one. Once the module is in
    `sys.modules` under its own name, `country_holidays` finds it there and imports nothing
    else. Should the package's layout change, nothing is loaded here and `country_holidays`
    does the usual thing."""
    with _LOADING:
        if _UK_MODULE in sys.modules:
            return
        path = Path(holidays.__file__).parent / "countries" / "united_kingdom.py"
        spec = importlib.util.spec_from_file_location(_UK_MODULE, path)
        if spec is None or spec.loader is None or not path.is_file():
            return
        module = importlib.util.module_from_spec(spec)
        sys.modules[_UK_MODULE] = module
        try:
            spec.loader.exec_module(module)
        except Exception:
            del sys.modules[_UK_MODULE]


@lru_cache(maxsize=64)
def _calendar(year: int) -> Any:
    _load_uk_calendar()
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(_calendar(year))


def is_bank_holiday(d: date) -> bool:
    return d in _bank_holidays(d.year)


def bank_holiday_name(d: date) -> str:
    """The bank holiday's name ("Good Friday"), or "" on an ordinary day."""
    if not is_bank_holiday(d):
        return ""
    return str(_calendar(d.year).get(d, ""))


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and not is_bank_holiday(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it when n is negative); `start` itself when
    n is 0, whether or not it is a working day."""
    step = timedelta(days=1 if n >= 0 else -1)
    d = start
    for _ in range(abs(n)):
        d += step
        while not is_working_day(d):
            d += step
    return d


def next_working_day(d: date) -> date:
    """`d` if it is a working day, otherwise the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`), so that
    `working_days_between(a, add_working_days(a, n)) == n`."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    d = a
    while d < b:
        d += timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month:
    31 January + 1 month is 28 (or 29) February."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))
