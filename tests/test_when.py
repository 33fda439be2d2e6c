"""Natural date and time input (core/rules/when.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseterm.core.errors import ValidationError
from caseterm.core.rules.when import parse_day, parse_uk_date, parse_when

NOW = datetime(2026, 11, 23, 10, 30, 17)  # a Monday
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("  NOW ", NOW),
        ("today 14:30", datetime(2026, 11, 23, 14, 30)),
        ("today", NOW),
        ("yesterday 9am", datetime(2026, 11, 22, 9, 0)),
        ("yesterday at 9 am", datetime(2026, 11, 22, 9, 0)),
        ("Yesterday, 9:45pm", datetime(2026, 11, 22, 21, 45)),
        ("yesterday", datetime(2026, 11, 22, 10, 30, 17)),
        ("tomorrow", datetime(2026, 11, 24, 10, 30, 17)),
        ("tomorrow 08:00", datetime(2026, 11, 24, 8, 0)),
        ("22/11/2026 10:15", datetime(2026, 11, 22, 10, 15)),
        ("10:15 22/11/2026", datetime(2026, 11, 22, 10, 15)),
        ("3/1/2026 10:15", datetime(2026, 1, 3, 10, 15)),  # day first
        ("22/11/26 10:15", datetime(2026, 11, 22, 10, 15)),
        ("22/11 10:15", datetime(2026, 11, 22, 10, 15)),
        ("2026-11-22 10:15", datetime(2026, 11, 22, 10, 15)),
        ("2026-11-22T10:15", datetime(2026, 11, 22, 10, 15)),
        ("2026-11-22 10:15:42", datetime(2026, 11, 22, 10, 15, 42)),
        ("22 nov 2026 10:15", datetime(2026, 11, 22, 10, 15)),
        ("22nd November 9.30am", datetime(2026, 11, 22, 9, 30)),
        ("-30m", datetime(2026, 11, 23, 10, 0, 17)),
        ("-2h", datetime(2026, 11, 23, 8, 30, 17)),
        ("- 90 mins", datetime(2026, 11, 23, 9, 0, 17)),
        ("+15m", datetime(2026, 11, 23, 10, 45, 17)),
        ("-1d", datetime(2026, 11, 22, 10, 30, 17)),
        ("2 hours ago", datetime(2026, 11, 23, 8, 30, 17)),
        ("10:15", datetime(2026, 11, 23, 10, 15)),
        ("9.05", datetime(2026, 11, 23, 9, 5)),
        ("9am", datetime(2026, 11, 23, 9, 0)),
        ("12am", datetime(2026, 11, 23, 0, 0)),
        ("12pm", datetime(2026, 11, 23, 12, 0)),
        ("noon", datetime(2026, 11, 23, 12, 0)),
        ("midnight", datetime(2026, 11, 23, 0, 0)),
        ("fri 14:00", datetime(2026, 11, 20, 14, 0)),  # last Friday: contacts happened
        ("mon 9am", datetime(2026, 11, 23, 9, 0)),  # today is Monday
        ("last mon 9am", datetime(2026, 11, 16, 9, 0)),
        ("next mon 9am", datetime(2026, 11, 30, 9, 0)),
    ],
)
def test_parse_when_accepts(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


def test_parse_when_weekday_can_prefer_the_future() -> None:
    assert parse_when("fri 14:00", NOW, prefer="future") == datetime(2026, 11, 27, 14, 0)


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        ("", "is required"),
        ("   ", "is required"),
        ("31/02/2026 10:00", "31/02/2026 is not a real date"),
        ("29/02/2026", "29/02/2026 is not a real date"),
        ("12/13/2026", "day/month/year"),
        ("25:00", "25:00 is not a time of day"),
        ("yesterday 10:75", "10:75 is not a time of day"),
        ("13pm", "1–12 with am/pm"),
        ("-30", "give a unit"),
        ("-3 fortnights", "unknown unit"),
        ("banana", "cannot read 'banana'"),
        ("14", "cannot read '14'"),
        ("tomorrow-ish", "cannot read"),
        ("22/11/1850 10:00", "between 1900 and 2100"),
        ("-9999w", "too far away"),
        ("yesterday tomorrow", "cannot read"),
    ],
)
def test_parse_when_refuses_with_reason(text: str, reason_part: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_when(text, NOW, field="occurred_at")
    assert err.value.field == "occurred_at"
    assert reason_part in err.value.reason


def test_refusal_offers_examples() -> None:
    with pytest.raises(ValidationError) as err:
        parse_when("soonish", NOW)
    assert "yesterday 9am" in err.value.reason and err.value.field == "when"


def test_leap_day_is_accepted_in_a_leap_year() -> None:
    assert parse_when("29/02/2028 09:00", NOW) == datetime(2028, 2, 29, 9, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("mon", TODAY),  # today is Monday: the diary for today
        ("tue", date(2026, 11, 24)),
        ("Friday", date(2026, 11, 27)),
        ("sun", date(2026, 11, 29)),
        ("next mon", date(2026, 11, 30)),
        ("last fri", date(2026, 11, 20)),
        ("22/11/2026", date(2026, 11, 22)),
        ("1/12", date(2026, 12, 1)),
        ("2026-11-22", date(2026, 11, 22)),
        ("22 nov", date(2026, 11, 22)),
        ("dec 3 2027", date(2027, 12, 3)),
        ("+3", date(2026, 11, 26)),
        ("-1", date(2026, 11, 22)),
        ("+2w", date(2026, 12, 7)),
        ("+10d", date(2026, 12, 3)),
    ],
)
def test_parse_day_accepts(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        ("", "is required"),
        ("31/04/2026", "31/04/2026 is not a real date"),
        ("funday", "cannot read 'funday' as a day"),
        ("10:15", "cannot read"),
        ("+999999", "cannot read"),
        ("+9999w", "too far away"),
        ("0/1/2026", "not a real date"),
    ],
)
def test_parse_day_refuses_with_reason(text: str, reason_part: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_day(text, TODAY)
    assert err.value.field == "date"
    assert reason_part in err.value.reason


def test_parse_uk_date_needs_the_full_year() -> None:
    assert parse_uk_date("12/04/1988") == date(1988, 4, 12)
    assert parse_uk_date("1988-04-12") == date(1988, 4, 12)
    for text, reason in (
        ("12/04/88", "DD/MM/YYYY"),
        ("12 april 1988", "DD/MM/YYYY"),
        ("31/09/1988", "not a real date"),
    ):
        with pytest.raises(ValidationError) as err:
            parse_uk_date(text, field="date_of_birth")
        assert err.value.field == "date_of_birth"
        assert reason in err.value.reason


# ---------------------------------------------------------------- working days (issue 13)


def test_working_day_offsets_and_calendar_weeks() -> None:
    from caseterm.core.rules.when import non_working_note

    monday = date(2026, 11, 23)
    assert parse_day("+10wd", monday) == date(2026, 12, 7)
    assert parse_day("+25 working days", monday) == date(2026, 12, 30)  # 25/12, 28/12 skipped
    assert parse_day("-1wd", monday) == date(2026, 11, 20)
    assert parse_day("+3w", monday) == date(2026, 12, 14)  # weeks stay calendar
    assert non_working_note(date(2026, 12, 25)) == (
        "Friday 25/12/2026 is Christmas Day (bank holiday): next working day Tuesday 29/12/2026"
    )
    assert non_working_note(date(2026, 11, 28)) == (
        "Saturday 28/11/2026 is at the weekend: next working day Monday 30/11/2026"
    )
    assert non_working_note(monday) == ""
