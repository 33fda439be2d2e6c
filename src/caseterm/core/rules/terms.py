"""Payment terms: the schedule they set, what is due to a date, arrears and missed instalments.

Pay in full by a date is one amount due on that date. Instalments (weekly, fortnightly or
monthly) start on the first due date, after an optional lump sum due on that date (then the
instalments start one period later); the n-th date is counted from the start, so monthly dates
keep their day and a short month clamps it (31 January, 28 February, 31 March: dateutil's
`relativedelta`). The last instalment is whatever is left. Pure functions over plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from caseterm.core.errors import ValidationError

# Terms that would take longer than this to pay off are refused (local policy; data).
MAX_TERM_YEARS = 10


@dataclass(frozen=True)
class Terms:
    kind: str  # by_date | instalments
    instalment_pence: int
    frequency: str
    first_due: date
    pay_by: date | None = None
    lump_sum_pence: int = 0


@dataclass(frozen=True)
class Due:
    on: date
    pence: int


@dataclass(frozen=True)
class Standing:
    """Where an account stands against its terms on a day."""

    due_to_date_pence: int
    paid_pence: int
    arrears_pence: int
    missed: int  # instalments due by the day and not covered by what was paid
    next_due: (
        Due | None
    )  # the next instalment after the day not yet covered, and what is left of it


def nth_date(start: date, frequency: str, n: int) -> date:
    """The n-th date after `start`: weeks by timedelta, months by relativedelta (which clamps
    the 31st to a shorter month's last day)."""
    if frequency == "weekly":
        return start + timedelta(weeks=n)
    if frequency == "fortnightly":
        return start + timedelta(weeks=2 * n)
    if frequency == "monthly":
        return _months_after(start, n)
    raise ValidationError("frequency", f"unknown {frequency!r}; use weekly, fortnightly or monthly")


@lru_cache(maxsize=65536)
def _months_after(start: date, n: int) -> date:
    """`start` plus n months, clamped (remembered: a report over every account of an office
    asks for the same few thousand dates over and over, at ~25 µs each from dateutil)."""
    from dateutil.relativedelta import relativedelta

    result: date = start + relativedelta(months=n)
    return result


def schedule(terms: Terms, total_pence: int, *, max_years: int = MAX_TERM_YEARS) -> list[Due]:
    """What falls due when, to pay `total_pence`. Refuses terms that never pay it off."""
    return list(iter_schedule(terms, total_pence, max_years=max_years))


def iter_schedule(
    terms: Terms, total_pence: int, *, max_years: int = MAX_TERM_YEARS
) -> Iterator[Due]:
    """`schedule`, one instalment at a time (checked before the first): a reader that stops at
    today's date never works out the years of instalments beyond it."""
    if total_pence <= 0:
        return iter(())
    if terms.kind == "by_date":
        return iter((Due(terms.pay_by or terms.first_due, total_pence),))
    if terms.kind != "instalments":
        raise ValidationError("kind", f"unknown {terms.kind!r}; use by_date or instalments")
    lump = min(max(terms.lump_sum_pence, 0), total_pence)
    rest = total_pence - lump
    if rest > 0 and terms.instalment_pence <= 0:
        raise ValidationError("instalment", "must be more than £0.00, or the terms never pay off")
    count = -(-rest // terms.instalment_pence) if rest > 0 else 0
    start = nth_date(terms.first_due, terms.frequency, 1) if lump else terms.first_due
    if count:
        last = nth_date(start, terms.frequency, count - 1)
        limit = nth_date(terms.first_due, "monthly", 12 * max_years)
        if last > limit:
            raise ValidationError(
                "instalment",
                f"too small: the terms would take until {last:%d/%m/%Y} to pay off, "
                f"more than {max_years} years",
            )
    return _instalments(terms, lump, rest, count, start)


def _instalments(terms: Terms, lump: int, rest: int, count: int, start: date) -> Iterator[Due]:
    if lump:
        yield Due(terms.first_due, lump)
    for n in range(count):
        pence = min(terms.instalment_pence, rest)
        yield Due(nth_date(start, terms.frequency, n), pence)
        rest -= pence


def standing(dues: Iterable[Due], paid_pence: int, today: date) -> Standing:
    """Arrears = due to date − paid (never below nothing); an instalment is missed when the
    money paid does not reach the total due up to and including it. Reads `dues` (in date
    order) only as far as the next instalment not yet covered after `today`."""
    due_to_date, missed, running = 0, 0, 0
    upcoming = None
    for d in dues:
        running += d.pence
        if d.on <= today:
            due_to_date += d.pence
            if running > paid_pence:
                missed += 1
        elif running > paid_pence:
            upcoming = Due(d.on, min(d.pence, running - paid_pence))
            break
    arrears = max(due_to_date - paid_pence, 0)
    return Standing(due_to_date, paid_pence, arrears, missed, upcoming)
