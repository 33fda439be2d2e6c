"""The breach rule: when a case's unacceptable absences (failed to attend, unacceptable absence)
within the case type's window (12 months by default) reach its limit (2 by default; 0 turns the
rule off), enforcement action is due. Each breach is raised once: absences already counted
towards an earlier breach do not count again.

Pure functions over plain values; the services read the contact log and raise the task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from caseterm.core.rules.catalogue import UNACCEPTABLE_OUTCOMES
from caseterm.core.rules.workdays import add_months

# Working days the case owner has to act on a breach, and to follow up a failure to attend.
ENFORCEMENT_DUE_WORKING_DAYS = 5
FTA_FOLLOW_UP_WORKING_DAYS = 2


@dataclass(frozen=True)
class Absence:
    entry_id: int
    occurred_at: datetime


@dataclass(frozen=True)
class Breach:
    absences: tuple[Absence, ...]  # the ones that made the breach, oldest first
    limit: int
    window_months: int

    @property
    def last_entry_id(self) -> int:
        """Absences with an id up to this one are spent: they never count towards another."""
        return max(a.entry_id for a in self.absences)


def counts(outcome: str) -> bool:
    return outcome in UNACCEPTABLE_OUTCOMES


def window_start(end: datetime, months: int) -> datetime:
    """The start of the window of `months` ending at `end` (exclusive: an absence exactly
    `months` before `end` is outside it)."""
    return datetime.combine(add_months(end.date(), -months), end.time())


def find_breach(
    absences: Sequence[Absence], *, limit: int, window_months: int, after_entry_id: int = 0
) -> Breach | None:
    """The earliest run of `limit` absences (logged after `after_entry_id`) that fall within
    one window of `window_months`, or None. Backdated entries are handled: the window slides
    over the absences in the order they happened."""
    if limit <= 0:
        return None
    fresh = sorted(
        (a for a in absences if a.entry_id > after_entry_id),
        key=lambda a: (a.occurred_at, a.entry_id),
    )
    for end in range(limit - 1, len(fresh)):
        first = fresh[end - limit + 1]
        if first.occurred_at > window_start(fresh[end].occurred_at, window_months):
            return Breach(tuple(fresh[end - limit + 1 : end + 1]), limit, window_months)
    return None
