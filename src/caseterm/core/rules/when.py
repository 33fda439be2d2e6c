"""Natural date and time input, the way UK office staff type it.

`parse_when` reads a moment (`now`, `14:30`, `today 14:30`, `yesterday 9am`, `22/11/2026 10:15`,
`-30m`, `+2h`, `tomorrow`) and `parse_day` a day (`today`, `tomorrow`, `mon`, `22/11/2026`,
`2026-11-22`, `22 nov`, `+3`). Dates are day first (22/11/2026 is 22 November). Both raise
ValidationError naming the field, with a reason a person can act on.

Rules worth knowing:
- A day without a time keeps the time of day of `now` ("yesterday" = this time yesterday).
- A time without a day is today.
- A bare weekday is ambiguous: `parse_when` takes the latest one on or before today (a contact
  "on mon" happened last Monday), `parse_day` the first on or after today (the diary for "fri"
  is this coming Friday). `prefer=` overrides; `last mon` / `next mon` are always explicit.
- Two-digit years are 20yy; a missing year is the year of `now`/`today`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

from caseterm.core.errors import ValidationError

if TYPE_CHECKING:
    from caseterm.core.rules.workdays import WorkCalendar

Prefer = Literal["past", "future"]

WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    for _form in (_name, _name[:3], _name[:4]):
        WEEKDAYS.setdefault(_form, _i)
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

_UNITS: dict[str, timedelta] = {}
for _unit, _delta in (
    (("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    (("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    (("d", "day", "days"), timedelta(days=1)),
    (("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
):
    for _u in _unit:
        _UNITS[_u] = _delta

_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})\s*([a-z]+)")
_AGO = re.compile(r"(\d{1,4})\s*([a-z]+)\s+ago")
_WORKING_DAY_OFFSET = re.compile(r"([+-])\s*(\d{1,4})\s*(?:wd|working\s*days?)")
_DAY_OFFSET = re.compile(r"([+-])\s*(\d{1,4})\s*([dw]|days?|weeks?|wks?)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NAMED_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s*([a-z]+)(?:\s+(\d{4}|\d{2}))?")
_NAMED_DATE_US = re.compile(r"([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s+(\d{4}))?")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")

MIN_YEAR = 1900
MAX_YEAR = 2100

WHEN_EXAMPLES = "now, 14:30, today 14:30, yesterday 9am, 22/11/2026 10:15, -30m or -2h"
DAY_EXAMPLES = "today, tomorrow, mon, 22/11/2026, 2026-11-22, 22 nov, +3 or +10wd"


def _normalise(text: str) -> str:
    value = text.strip().lower().replace(",", " ")
    # ISO 8601 "2026-11-22T10:15" → "2026-11-22 10:15"
    value = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", value)
    value = re.sub(r"\bat\b", " ", value)
    return " ".join(value.split())


def _make_date(field: str, shown: str, year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(field, f"{shown}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
    if not 1 <= month <= 12:
        raise ValidationError(field, f"{shown} is not a real date (dates are day/month/year)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"{shown} is not a real date") from None


def _year(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _weekday(target: int, today: date, direction: Prefer, *, strict: bool) -> date:
    if direction == "future":
        ahead = (target - today.weekday()) % 7
        if strict and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    back = (today.weekday() - target) % 7
    if strict and back == 0:
        back = 7
    return today - timedelta(days=back)


def _day(text: str, today: date, prefer: Prefer, field: str) -> date | None:
    """A day in one of the accepted forms; None if `text` is not a day at all (so callers can try
    other readings); ValidationError if it is a day that does not exist."""
    if text == "today":
        return today
    if text in ("tomorrow", "tmrw", "tmw"):
        return today + timedelta(days=1)
    if text in ("yesterday", "yday"):
        return today - timedelta(days=1)
    if text in WEEKDAYS:
        return _weekday(WEEKDAYS[text], today, prefer, strict=False)
    words = text.split(" ")
    if len(words) == 2 and words[0] in ("next", "last", "this") and words[1] in WEEKDAYS:
        target = WEEKDAYS[words[1]]
        if words[0] == "this":
            return _weekday(target, today, "future", strict=False)
        direction: Prefer = "future" if words[0] == "next" else "past"
        return _weekday(target, today, direction, strict=True)
    if m := _ISO_DATE.fullmatch(text):
        return _make_date(field, text, int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_DATE.fullmatch(text):
        return _make_date(field, text, _year(m[3], today.year), int(m[2]), int(m[1]))
    if (m := _NAMED_DATE.fullmatch(text)) and m[2] in MONTHS:
        return _make_date(field, text, _year(m[3], today.year), MONTHS[m[2]], int(m[1]))
    if (m := _NAMED_DATE_US.fullmatch(text)) and m[1] in MONTHS:
        return _make_date(field, text, _year(m[3], today.year), MONTHS[m[1]], int(m[2]))
    return None


def _clock(text: str, field: str) -> time | None:
    """A time of day (24-hour `14:30`, `14.30`, or `9am`, `9:30 pm`, `noon`, `midnight`)."""
    if text in ("noon", "midday"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    m = _CLOCK.fullmatch(text)
    if m is None or (m[2] is None and m[4] is None):
        return None  # a bare number is not a time: "14" could be anything
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    meridiem = (m[4] or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValidationError(field, f"{text} is not a time of day (use 1–12 with am/pm)")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(field, f"{text} is not a time of day")
    return time(hour, minute, second)


def _relative(text: str, field: str) -> timedelta | None:
    if m := _RELATIVE.fullmatch(text):
        sign, amount, unit = m[1], int(m[2]), m[3]
    elif m := _AGO.fullmatch(text):
        sign, amount, unit = "-", int(m[1]), m[2]
    else:
        return None
    if unit not in _UNITS:
        raise ValidationError(field, f"{text}: unknown unit {unit!r}; use m, h, d or w")
    delta = _UNITS[unit] * amount
    return -delta if sign == "-" else delta


def parse_when(
    text: str, now: datetime, *, prefer: Prefer = "past", field: str = "when"
) -> datetime:
    """The moment `text` names, relative to `now` (naive local time). Seconds are kept only from
    `now` itself (`now`, `-30m`, a day without a time)."""
    value = _normalise(text)
    if not value:
        raise ValidationError(field, f"is required (e.g. {WHEN_EXAMPLES})")
    if value in ("now", "just now", "right now"):
        return now
    if re.fullmatch(r"[+-]\s*\d+", value):
        raise ValidationError(field, f"{text.strip()}: give a unit, e.g. -30m, -2h or -3d")
    delta = _relative(value, field)
    if delta is not None:
        return _checked(now + delta, text, field)
    today = now.date()
    whole_time = _clock(value, field)
    if whole_time is not None:
        return datetime.combine(today, whole_time)
    whole_day = _day(value, today, prefer, field)
    if whole_day is not None:
        return datetime.combine(whole_day, now.time())
    words = value.split(" ")
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        for day_text, time_text in ((left, right), (right, left)):
            at = _clock(time_text, field)
            if at is None:
                continue
            on = _day(day_text, today, prefer, field)
            if on is not None:
                return datetime.combine(on, at)
    raise ValidationError(field, f"cannot read {text.strip()!r}; try {WHEN_EXAMPLES}")


def _checked(at: datetime, text: str, field: str) -> datetime:
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise ValidationError(field, f"{text.strip()} is too far away")
    return at


def parse_day(
    text: str,
    today: date,
    *,
    prefer: Prefer = "future",
    field: str = "date",
    calendar: WorkCalendar | None = None,
) -> date:
    """The day `text` names, relative to `today`. `+3` / `-1` count days, `+2w` weeks (calendar),
    `+10wd` working days (weekends, bank holidays and, given `calendar` with them, the office
    closure days skipped)."""
    value = _normalise(text)
    if not value:
        raise ValidationError(field, f"is required (e.g. {DAY_EXAMPLES})")
    if m := _WORKING_DAY_OFFSET.fullmatch(value):
        from caseterm.core.rules.workdays import WorkCalendar

        n = int(m[2]) if m[1] == "+" else -int(m[2])
        if abs(n) > 2600:
            raise ValidationError(field, f"{text.strip()} is too far away")
        return (calendar or WorkCalendar()).add_working_days(today, n)
    if m := _DAY_OFFSET.fullmatch(value):
        days = int(m[2]) * (7 if (m[3] or "d").startswith("w") else 1)
        delta = timedelta(days=days if m[1] == "+" else -days)
        try:
            result = today + delta
        except OverflowError:
            raise ValidationError(field, f"{text.strip()} is too far away") from None
        if not MIN_YEAR <= result.year <= MAX_YEAR:
            raise ValidationError(field, f"{text.strip()} is too far away")
        return result
    found = _day(value, today, prefer, field)
    if found is None:
        raise ValidationError(field, f"cannot read {text.strip()!r} as a day; try {DAY_EXAMPLES}")
    return found


def parse_uk_date(text: str, *, field: str = "date") -> date:
    """A calendar date written in full, DD/MM/YYYY (or YYYY-MM-DD): for dates of birth and other
    dates where a guessed century or year would be wrong."""
    value = text.strip()
    if m := _ISO_DATE.fullmatch(value):
        return _make_date(field, value, int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC_DATE.fullmatch(value)
    if m is None or m[3] is None or len(m[3]) != 4:
        raise ValidationError(field, f"cannot read {value!r}; write it as DD/MM/YYYY")
    return _make_date(field, value, int(m[3]), int(m[2]), int(m[1]))


def non_working_note(day: date, calendar: WorkCalendar | None = None) -> str:
    """A warning for a day typed that is not a working day, offering the next one ("Friday
    25/12/2026 is Christmas Day (bank holiday): next working day Tuesday 29/12/2026"), or "".
    Office closure days count when `calendar` holds them (`clock_rules.work_calendar`)."""
    from caseterm.core.rules.workdays import WorkCalendar

    cal = calendar or WorkCalendar()
    why = cal.why_closed(day)
    if not why:
        return ""
    what = "at the weekend" if why == f"{day:%A}" else why
    nxt = cal.next_working_day(day)
    return f"{day:%A} {day:%d/%m/%Y} is {what}: next working day {nxt:%A} {nxt:%d/%m/%Y}"


@dataclass(frozen=True)
class DayReading:
    """What a day typed into a form means, for its preview: the day (None when it cannot be
    used, with `problem` saying why), and for a weekend, bank holiday or office closure day a
    `warning` with the next working day `offered` (the day stays allowed)."""

    day: date | None
    problem: str = ""
    warning: str = ""
    offered: date | None = None

    @property
    def preview(self) -> str:
        """One or two lines: `→ Friday 25 December 2026` and the warning, or `✗ why`."""
        if self.day is None:
            return f"✗ {self.problem}" if self.problem else ""
        shown = f"→ {self.day:%A %d %B %Y}"
        return f"{shown}\n⚠ {self.warning}" if self.warning else shown


def read_day(
    text: str,
    today: date,
    *,
    calendar: WorkCalendar | None = None,
    field: str = "date",
    prefer: Prefer = "future",
    allow_past: bool = False,
) -> DayReading:
    """Read a day typed into a form (due date, bring-forward, booking) the one way every form
    does: `+10wd` in working days, `+3w` in calendar weeks; a day that cannot be read, or is in
    the past where a past day will be refused, is a problem shown before saving; a non-working
    day is a warning offering the next working day."""
    if not text.strip():
        return DayReading(None)
    try:
        day = parse_day(text, today, prefer=prefer, field=field, calendar=calendar)
    except ValidationError as exc:
        return DayReading(None, problem=exc.reason)
    return check_day(day, today, calendar=calendar, allow_past=allow_past)


def check_day(
    day: date, today: date, *, calendar: WorkCalendar | None = None, allow_past: bool = False
) -> DayReading:
    """The preview of a day already read (a booking's start, read with its time of day)."""
    if day < today and not allow_past:
        return DayReading(None, problem=f"{day:%d/%m/%Y} is in the past")
    note = non_working_note(day, calendar)
    if not note:
        return DayReading(day)
    from caseterm.core.rules.workdays import WorkCalendar

    return DayReading(day, warning=note, offered=(calendar or WorkCalendar()).next_working_day(day))


def show_moment(at: datetime) -> str:
    """How a moment read is shown back: unambiguous, day first ("Mon 23 Nov 2026 10:30")."""
    return at.strftime("%a %d %b %Y %H:%M")


def refuse_past_moment(at: datetime, now: datetime, *, field: str) -> datetime:
    """A moment typed for something still to come (a booking's start, where it moves to): one
    before `now` is refused the way the booking form refuses it, before anything is written."""
    if at < now:
        raise ValidationError(field, f"{show_moment(at)} is in the past")
    return at


def refuse_past_day(day: date, today: date, *, field: str) -> date:
    """A day typed for something still to come (a task's due date, a bring-forward, a review):
    one before `today` is refused with the words the forms show ("01/01/2020 is in the past")."""
    problem = check_day(day, today).problem
    if problem:
        raise ValidationError(field, problem)
    return day
