"""Sampled cross-checking rules: the kinds of work that can be sampled with their checklists of
error categories (data: check_categories.toml), and the reproducible daily sample."""

from __future__ import annotations

import math
import random
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

CATEGORIES_FILE = Path(__file__).with_name("check_categories.toml")


@dataclass(frozen=True)
class WorkKind:
    code: str
    label: str
    categories: tuple[tuple[str, str], ...]  # (code, label), in checklist order


def load_work_kinds(text: str) -> dict[str, WorkKind]:
    data = tomllib.loads(text)
    return {
        code: WorkKind(
            code,
            str(entry["label"]),
            tuple((str(c["code"]), str(c["label"])) for c in entry["categories"]),
        )
        for code, entry in data.items()
    }


@cache
def work_kinds() -> dict[str, WorkKind]:
    """The shipped kinds of work and their checklists."""
    return load_work_kinds(CATEGORIES_FILE.read_text(encoding="utf-8"))


def sample_size(population: int, percent: int) -> int:
    """How many of `population` items a rate of `percent` draws: rounded up, so any rate above
    nought checks at least one item of a day's work, and 100 checks every item."""
    return min(population, math.ceil(population * percent / 100))


def sample_seed(day: date, team_id: int, work_kind: str, staff_id: int | None) -> str:
    """The seed of one day's draw: the same date, team, kind (and officer, for an officer's own
    rate) always draw the same items, so a sample can be re-drawn for audit."""
    return f"{day.isoformat()}|team:{team_id}|{work_kind}|staff:{staff_id or '-'}"


def draw_sample(item_ids: list[int], percent: int, seed: str) -> list[int]:
    """The items drawn from `item_ids` (in any order) at `percent`, in id order; reproducible
    for a seed (a string seed is hashed with SHA-512 by `random`, whatever PYTHONHASHSEED is)."""
    population = sorted(item_ids)
    k = sample_size(len(population), percent)
    return sorted(random.Random(seed).sample(population, k))


def pick_checker(candidates: list[int], officer_id: int, seed: str) -> int | None:
    """A checker for an officer's item from the team's checkers, never the officer; None (any
    checker of the team) when there is nobody else."""
    others = sorted(c for c in candidates if c != officer_id)
    return random.Random(seed).choice(others) if others else None
