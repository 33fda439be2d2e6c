"""One clock for the whole program, so tests and snapshots can freeze time.

caseterm keeps wall-clock local time (naive datetimes) throughout: the diary, the contact log
and the audit journal are read by people in one organisation's time zone.
"""

from __future__ import annotations

import os
from datetime import date, datetime

_frozen: datetime | None = None


def freeze(at: datetime | None) -> None:
    """Freeze the clock at `at` (None to unfreeze)."""
    global _frozen
    _frozen = at


def _from_env() -> datetime | None:
    raw = os.environ.get("CASETERM_FROZEN_TIME")
    return datetime.fromisoformat(raw) if raw else None


def now() -> datetime:
    """The current local time, to the second."""
    at = _frozen or _from_env()
    if at is not None:
        return at
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()
