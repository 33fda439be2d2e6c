"""The bank holidays caseterm ships as a table (rules/bank_holidays.tsv, read instead of loading
the `holidays` package in every process) are the package's, for every region and year."""

from __future__ import annotations

from datetime import date

from caseterm.core.rules import workdays


def test_the_shipped_table_is_what_the_installed_holidays_package_computes() -> None:
    shipped = workdays.TABLE_FILE.read_text(encoding="utf-8")
    assert shipped == workdays.table_text(), (
        "the holidays package disagrees with rules/bank_holidays.tsv: "
        "run `python -m caseterm.core.rules.workdays` to write it afresh"
    )


def test_a_year_in_the_table_and_one_outside_it_read_the_same_holidays() -> None:
    assert workdays.bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert workdays._calendar("SCT", 2026)[date(2026, 11, 30)] == "Saint Andrew's Day"
    # 2060 is past the table: asked of the package, with the same rules.
    assert workdays._calendar("ENG", 2060) == workdays._from_package("ENG", 2060)
    assert workdays._calendar("ENG", 2060)[date(2060, 12, 25)] == "Christmas Day"
    assert not workdays.is_working_day(date(2060, 12, 25))
    assert workdays.is_working_day(date(2060, 12, 29))
