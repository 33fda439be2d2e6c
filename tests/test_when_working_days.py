"""The one reading of a day typed into a form (`when.read_day`): working days counted in the
calendar given (bank holidays and office closure days), calendar weeks left alone, a past or
impossible day a problem before saving, a non-working day a warning offering the next one."""

from __future__ import annotations

from datetime import date

from caseterm.core.rules.when import DayReading, check_day, parse_day, read_day
from caseterm.core.rules.workdays import WorkCalendar

MONDAY = date(2026, 11, 23)
AWAY_DAY = WorkCalendar(closures=frozenset({date(2026, 11, 27)}))


def test_working_days_skip_the_closure_day_and_weeks_stay_calendar() -> None:
    assert parse_day("+10wd", MONDAY) == date(2026, 12, 7)
    assert parse_day("+10wd", MONDAY, calendar=AWAY_DAY) == date(2026, 12, 8)
    assert parse_day("+3w", MONDAY, calendar=AWAY_DAY) == date(2026, 12, 14)
    assert read_day("+10wd", MONDAY, calendar=AWAY_DAY) == DayReading(date(2026, 12, 8))


def test_a_closure_day_is_warned_about_with_the_next_working_day() -> None:
    reading = read_day("27/11", MONDAY, calendar=AWAY_DAY)
    assert reading.day == date(2026, 11, 27)
    assert reading.offered == date(2026, 11, 30)
    assert reading.warning == (
        "Friday 27/11/2026 is an office closure day: next working day Monday 30/11/2026"
    )
    assert reading.preview.startswith("→ Friday 27 November 2026\n⚠ Friday 27/11/2026")
    # Without the office's calendar it is an ordinary Friday.
    assert read_day("27/11", MONDAY).offered is None


def test_christmas_and_a_weekend_offer_the_next_working_day() -> None:
    christmas = read_day("25/12/2026", MONDAY, calendar=AWAY_DAY)
    assert christmas.offered == date(2026, 12, 29)  # Boxing Day is observed on Monday 28th
    assert "Christmas Day (bank holiday)" in christmas.warning
    saturday = check_day(date(2026, 11, 28), MONDAY, calendar=AWAY_DAY)
    assert saturday.offered == date(2026, 11, 30)
    assert "at the weekend" in saturday.warning


def test_a_past_or_impossible_day_is_a_problem_not_a_day() -> None:
    past = read_day("01/01/2020", MONDAY)
    assert past == DayReading(None, problem="01/01/2020 is in the past")
    assert past.preview == "✗ 01/01/2020 is in the past"
    assert read_day("01/01/2020", MONDAY, allow_past=True).day == date(2020, 1, 1)
    impossible = read_day("31/02/2027", MONDAY)
    assert impossible.day is None and "not a real date" in impossible.problem
    assert read_day("  ", MONDAY) == DayReading(None)
