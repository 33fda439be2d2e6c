"""Working days: Monday to Friday, bank holidays excluded (from the `holidays` package,
including substitute days such as Boxing Day observed on a Monday). England & Wales by default;
Scotland or Northern Ireland by configuration (`bank_holidays = "SCT"` in the config file, see
`core.config`). Office closure days an administrator adds are not working days either: the
services pass them in a `WorkCalendar` (`services.closures.work_calendar`).

Statutory deadlines are counted the usual way: the starting day is day 0, and the deadline is the
n-th working day after it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

# The `holidays` package's subdivisions of GB, with what they are called.
REGIONS: dict[str, str] = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}
DEFAULT_REGION = "ENG"
_region: list[str] = []  # the configured region, read once from the config file


def region() -> str:
    """The bank-holiday region: the config file's `bank_holidays`, else England & Wales."""
    if not _region:
        from caseterm.core.config import load_settings

        _region.append(load_settings().bank_holidays or DEFAULT_REGION)
    return _region[0]


def set_region(code: str | None) -> None:
    """Use `code`'s bank holidays from now on in this process (None: read the config again)."""
    _region.clear()
    if code is not None:
        if code not in REGIONS:
            raise ValueError(f"unknown bank-holiday region {code!r}; use {', '.join(REGIONS)}")
        _region.append(code)


# The `holidays` package's bank holidays for every region and the years most work falls in, as a
# table shipped with caseterm: loading the package and computing a year costs ~0.15 s of CPU in
# every new process (the board, a deadline, the diary), reading the table ~2 ms. Years outside it
# are asked of the package. tests/test_bank_holiday_table.py fails when the installed package
# says otherwise (after an upgrade): `python -m caseterm.core.rules.workdays` writes it afresh.
TABLE_FILE = Path(__file__).with_name("bank_holidays.tsv")
TABLE_YEARS = range(2000, 2041)


def _from_package(subdiv: str, year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("GB", subdiv=subdiv, years=year))


@lru_cache(maxsize=8)
def _table(subdiv: str) -> dict[int, dict[date, str]]:
    """The shipped table's bank holidays of `subdiv`, by year."""
    years: dict[int, dict[date, str]] = {year: {} for year in TABLE_YEARS}
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith(subdiv + "\t"):
            _, day, name = line.split("\t")
            d = date.fromisoformat(day)
            years[d.year][d] = name
    return years


def table_text() -> str:
    """The shipped table as the installed `holidays` package computes it (tab-separated:
    region, date, name)."""
    lines = ["# Bank holidays by region, from the `holidays` package: see rules/workdays.py"]
    for subdiv in REGIONS:
        for year in TABLE_YEARS:
            for d, name in sorted(_from_package(subdiv, year).items()):
                lines.append(f"{subdiv}\t{d.isoformat()}\t{name}")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=256)
def _calendar(subdiv: str, year: int) -> dict[date, str]:
    if year in TABLE_YEARS:
        return dict(_table(subdiv)[year])
    return _from_package(subdiv, year)


def _bank_holidays(year: int, subdiv: str | None = None) -> dict[date, str]:
    return _calendar(subdiv or region(), year)


def is_bank_holiday(d: date) -> bool:
    return d in _bank_holidays(d.year)


def bank_holiday_name(d: date) -> str:
    """The bank holiday's name ("Good Friday"), or "" on an ordinary day."""
    return str(_bank_holidays(d.year).get(d, ""))


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and not is_bank_holiday(d)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days in a region with the office's closure days: what the clocks count in."""

    subdiv: str = ""  # "" = the configured region
    closures: frozenset[date] = frozenset()

    def why_closed(self, d: date) -> str:
        """Why `d` is not a working day ("Saturday", "Christmas Day", "office closed"), or ""."""
        if d.weekday() >= 5:
            return f"{d:%A}"
        name = _bank_holidays(d.year, self.subdiv or None).get(d)
        if name:
            return f"{name} (bank holiday)"
        if d in self.closures:
            return "an office closure day"
        return ""

    def is_working_day(self, d: date) -> bool:
        return not self.why_closed(d)

    def next_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        step = timedelta(days=1 if n >= 0 else -1)
        d = start
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a
        while d < b:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return count


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


if __name__ == "__main__":  # write the shipped bank-holiday table afresh
    TABLE_FILE.write_text(table_text(), encoding="utf-8")
