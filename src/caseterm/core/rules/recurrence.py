"""When the occurrences of a recurring booking fall: daily, weekly, fortnightly or monthly,
ending on a date or after a count (dateutil's rrule). A series with no end is refused: it must
say until when or how many times."""

from __future__ import annotations

from datetime import date, datetime, time

from caseterm.core.errors import ValidationError

# How often a series repeats: the rrule frequency and interval of each.
RECURRENCES: dict[str, tuple[str, int]] = {
    "": ("", 0),
    "daily": ("DAILY", 1),
    "weekly": ("WEEKLY", 1),
    "fortnightly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
}
MAX_OCCURRENCES = 52


def occurrence_starts(
    start: datetime, recurrence: str, *, occurrences: int = 1, until: date | None = None
) -> list[datetime]:
    """When each occurrence starts: `occurrences` of them, or as many as fall on or before
    `until`. Monthly on the 29th-31st falls on the month's last day when it is shorter.
    Refuses an unknown recurrence, a repeat with no end, both ends at once, an end before the
    start and more than MAX_OCCURRENCES."""
    from dateutil import rrule

    if recurrence not in RECURRENCES:
        raise ValidationError(
            "recurrence", "use daily, weekly, fortnightly, monthly or leave it empty"
        )
    if not recurrence:
        if occurrences > 1 or until is not None:
            raise ValidationError("recurrence", "say how often the appointments repeat")
        return [start]
    if until is not None and occurrences > 1:
        raise ValidationError("until", "give an end date or a number of times, not both")
    if until is None and occurrences <= 1:
        raise ValidationError(
            "recurrence", "a repeating booking needs an end: an until date or a number of times"
        )
    if until is not None and until < start.date():
        raise ValidationError("until", f"is before the first appointment ({start:%d/%m/%Y})")
    if occurrences > MAX_OCCURRENCES:
        raise ValidationError("occurrences", f"must be between 1 and {MAX_OCCURRENCES}")
    freq, interval = RECURRENCES[recurrence]
    extra: dict[str, object] = {}
    if freq == "MONTHLY" and start.day > 28:
        # The last of 28..day in each month: 31 January, 28 February, 31 March…
        extra = {"bymonthday": tuple(range(28, start.day + 1)), "bysetpos": -1}
    rule = rrule.rrule(
        getattr(rrule, freq),
        dtstart=start,
        interval=interval,
        count=None if until is not None else occurrences,
        until=datetime.combine(until, time.max) if until is not None else None,
        **extra,
    )
    starts: list[datetime] = []
    for when in rule:
        starts.append(when)
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(
                "until", f"makes more than {MAX_OCCURRENCES} appointments; choose an earlier end"
            )
    return starts
