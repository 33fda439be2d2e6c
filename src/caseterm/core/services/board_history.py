"""The board's older days, remembered: the figures of the days before yesterday (the same
days last week, and the 12-week trends) are read at the first board of a scope and day and
kept for a few minutes, per database, so each refresh of the board (a key, or another
process's commit) reads only yesterday and today again.

Those days change only by late entries: a payment posted with an earlier date, an appointment
marked failed-to-attend days later, a case moved to another team, a task cancelled or given to
someone. Such an entry shows on the board within `MAX_AGE_SECONDS` (at the next refresh after
that), on the next day's board, or when the person moves to another day and back once it has
passed. Yesterday and today are always read afresh. Nothing is written: the memory is this
process's (see docs/architecture.md, "Management information").
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any
from weakref import WeakKeyDictionary

from sqlmodel import Session

MAX_AGE_SECONDS = 300.0  # how long the older days' figures are kept before being read again
_MAX_KEPT = 64  # scopes and days per database (a board of each team, and a few days back)

# database engine → (scope, day, …) → (when read, what was read); an engine that is gone (a
# test's database, a closed app) takes its memory with it.
_KEPT: WeakKeyDictionary[Any, dict[Hashable, tuple[float, Any]]] = WeakKeyDictionary()


def kept(session: Session, key: Hashable) -> Any:
    """What was kept for `key` on this session's database in the last `MAX_AGE_SECONDS`, else
    None (read it, and `keep` it)."""
    hit = _KEPT.get(session.get_bind(), {}).get(key)
    if hit is not None and time.monotonic() - hit[0] < MAX_AGE_SECONDS:
        return hit[1]
    return None


def keep(session: Session, key: Hashable, value: Any) -> None:
    """Keep `value` for `key` on this session's database, from now."""
    kept_here = _KEPT.setdefault(session.get_bind(), {})
    if len(kept_here) >= _MAX_KEPT:
        kept_here.clear()
    kept_here[key] = (time.monotonic(), value)
