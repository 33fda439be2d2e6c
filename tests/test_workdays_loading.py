"""The bank holidays are England's from the `holidays` package, loaded without the package's
other 250 countries (a start-up cost of 0.1-0.2 s of CPU)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import holidays

from caseterm.core.rules.workdays import bank_holiday_name, is_bank_holiday, working_days_between


def test_bank_holidays_are_the_packages_for_england() -> None:
    for year in (2020, 2026, 2027):
        expected = holidays.country_holidays("GB", subdiv="ENG", years=year)
        found = {
            d
            for d in (date(year, 1, 1).fromordinal(date(year, 1, 1).toordinal() + n)
                      for n in range(366))
            if d.year == year and is_bank_holiday(d)
        }  # fmt: skip
        assert found == set(expected)
    assert bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert bank_holiday_name(date(2026, 12, 29)) == ""
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1


def test_working_days_load_one_country_only() -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from caseterm.core.rules.workdays import working_days_between\n"
        "assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['holidays.countries.united_kingdom']"
