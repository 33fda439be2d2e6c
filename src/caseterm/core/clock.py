"""One clock for the whole program, so tests and snapshots can freeze time.

The program itself reads only the real time: no environment variable or setting moves it (the
audit journal's timestamps depend on it). Tests call `freeze`; a test that runs caseterm in another
process starts it through tests/launch.py, which freezes that process's clock.

caseterm keeps wall-clock local time (naive datetimes) throughout: the diary, the contact log
and the audit journal are read by people in one organisation's time zone.
"""

from __future__ import annotations

from datetime import date, datetime

_frozen: datetime | None = None


def freeze(at: datetime | None) -> None:
    """Freeze the clock at `at` (None to unfreeze)."""
    global _frozen
    _frozen = at


def frozen_at() -> datetime | None:
    """The moment the clock is frozen at, or None while it runs."""
    return _frozen


def now() -> datetime:
    """The current local time, to the second."""
    if _frozen is not None:
        return _frozen
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()
