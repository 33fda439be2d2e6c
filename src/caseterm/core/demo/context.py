"""What the demo builder keeps in memory while it writes: the size asked for, the organisation,
people and cases made so far, and the diary slots already taken."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from caseterm.core.demo.writer import BulkWriter

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items with weights, drawn with one call to `random()` (faster than `Random.choices`)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]


@dataclass(frozen=True)
class SizeSpec:
    name: str
    people: int
    cases: int
    staff_k: float  # caseworkers per unit of team weight
    rooms_per_office: int
    contacts_per_case: float
    appointments_per_case: float
    tasks_per_case: float
    incoming: int  # untriaged items waiting in the incoming queue
    demo_caseload: int
    batch: int


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec("small", 400, 480, 0.35, 4, 10.0, 3.5, 2.0, 40, 20, 2000),
    "large": SizeSpec("large", 100_000, 120_000, 4.3, 12, 8.1, 3.1, 1.4, 1500, 40, 5000),
    # Built on demand for the scaling table (benchmarks/run.py --size xl), never in CI: ten
    # times the large demo's people and cases, about 10M contact entries, ~9 GB on SQLite.
    # Staff and rooms grow with it, so caseloads and diaries stay as full as the large one's.
    "xl": SizeSpec("xl", 1_000_000, 1_200_000, 43.0, 120, 7.8, 3.1, 1.4, 1500, 40, 5000),
}

# Appointment slots: one an hour, lunch left free.
SLOT_HOURS = (9, 10, 11, 12, 14, 15, 16)


@dataclass
class OfficeInfo:
    id: int
    code: str
    name: str
    rooms: list[int]
    teams: dict[str, int]  # family code -> team id


@dataclass
class StaffInfo:
    id: int
    login: str
    name: str
    roles: tuple[str, ...]
    office: str  # office code
    team_id: int | None
    family: str | None  # team family code
    active: bool = True


@dataclass(slots=True)
class PersonInfo:
    id: int
    given: str
    family: str
    title: str
    gender: str
    dob: date
    language: str
    interpreter: bool
    office: str  # where they live: the office code of their area
    party_only: bool = False  # only ever another party on someone's case
    alias: tuple[str, str] | None = None
    types: list[str] = field(default_factory=list)  # case types they are the subject of
    first_seen: date | None = None
    died: date | None = None


@dataclass(slots=True)
class CaseInfo:
    id: int
    type_code: str
    reference: str
    subject: PersonInfo
    office: str
    team_id: int | None
    owner_id: int | None
    admin_owner_id: int | None
    status: str
    opened_on: date
    closed_on: date | None
    priority: int
    restricted: bool = False


@dataclass
class SlotBook:
    """Diary slots taken by staff, rooms and people, so the demo diary has no clashes."""

    taken: set[tuple[str, int, date, int]] = field(default_factory=set)

    def free(
        self, staff_id: int, room_id: int | None, person_id: int, day: date, slot: int
    ) -> bool:
        t = self.taken
        if ("s", staff_id, day, slot) in t or ("p", person_id, day, slot) in t:
            return False
        return room_id is None or ("r", room_id, day, slot) not in t

    def take(
        self, staff_id: int, room_id: int | None, person_id: int, day: date, slot: int
    ) -> None:
        self.taken.add(("s", staff_id, day, slot))
        self.taken.add(("p", person_id, day, slot))
        if room_id is not None:
            self.taken.add(("r", room_id, day, slot))


@dataclass
class Ctx:
    rng: random.Random
    w: BulkWriter
    size: SizeSpec
    now: datetime
    os_user: str
    offices: dict[str, OfficeInfo] = field(default_factory=dict)
    staff: list[StaffInfo] = field(default_factory=list)
    demo: StaffInfo | None = None
    case_types: dict[str, tuple[int, str]] = field(default_factory=dict)  # code -> (id, prefix)
    template_ids: dict[str, int] = field(default_factory=dict)
    people: list[PersonInfo] = field(default_factory=list)
    cases: list[CaseInfo] = field(default_factory=list)
    slots: SlotBook = field(default_factory=SlotBook)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)  # next reference numbers
    arrears: set[int] = field(default_factory=set)  # fines cases behind with payments
    suspense: set[int] = field(default_factory=set)  # fines cases with money held in suspense
    owed: dict[int, int] = field(default_factory=dict)  # live fines case -> pence still owed
    progress: Callable[[str, int, int], None] = lambda phase, done, total: None
    logins: dict[int, str] = field(default_factory=dict)  # staff id -> login, for the audit

    def __post_init__(self) -> None:
        self._random = self.rng.random

    # Drawing helpers: the demo makes millions of draws, and `Random.randint`/`choice` cost
    # several times more than one call to `random()`.
    def tick(self, phase: str, done: int, total: int) -> None:
        """Report progress every 2,000 items."""
        if done % 2000 == 0:
            self.progress(phase, done, total)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self._random() * len(seq))]

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self._random() * (high - low + 1))

    def draw(self, weighted: Weighted[T]) -> T:
        return weighted.items[bisect(weighted.cum, self._random() * weighted.total)]

    def chance(self, p: float) -> bool:
        return self._random() < p

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def me(self) -> StaffInfo:
        assert self.demo is not None
        return self.demo

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute))

    def working_day(self, start: date, end: date) -> date:
        """A random Monday-to-Friday date in [start, end] (or `start` if there is none)."""
        span = (end - start).days
        for _ in range(6):
            day = start + timedelta(days=self.between(0, max(span, 0)))
            if day.weekday() < 5:
                return day
        return start

    def audit(
        self,
        at: datetime,
        staff_id: int | None,
        action: str,
        entity: str,
        entity_id: int | None,
        summary: str,
        *,
        case_id: int | None = None,
        person_id: int | None = None,
        after: str = "",
    ) -> None:
        self.w.add(
            "audit_event",
            {
                "id": self.w.next_id("audit_event"),
                "at": min(at, self.now),  # nothing happens after the demo's clock
                "staff_id": staff_id,
                "os_user": self.logins.get(staff_id or 0, self.os_user),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "case_id": case_id,
                "person_id": person_id,
                "summary": summary[:500],
                "before": "",
                "after": after,
            },
        )
