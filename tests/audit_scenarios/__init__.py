"""What every public function in `caseterm.core.services.*` does to the database, for
`tests/test_audit_completeness.py`.

Each function is listed exactly once, in a module of this package (one per services module;
add a module beside `core.py` for yours), as one of:

- `audited(module, name, action)`: it changes data. The decorated scenario calls it; the test
  checks that an audit event with `action` is written in the same transaction (rolling the
  transaction back removes both), that it changed something besides the journal, and that it
  neither updates nor deletes audit rows. `changes_data=False` marks an audited read (a
  subject access export): it must write its event and nothing else but the journal.
- `ephemeral(module, name, tables, why)`: it writes only transient, per-person tables that are
  not the organisation's records (edit presence, drafts, notifications, the access log); the
  scenario proves it writes nothing else and no audit event.
- `reads(module, *names)`: it only reads. Checked by reading its source and its module's
  private helpers: no session.add/delete, no insert/update/delete statements, no audit.record,
  no call to an audited or `part` function (calling an ephemeral one is allowed).
- `part(module, name, why)`: a building block that changes data only inside an audited action
  (never called on its own by screens or commands).

A new public function that is not listed fails the test, naming itself.

Scenarios run with the clock frozen at `NOW` (a Monday morning), on a copy of a world built the
day before; `at_time` moves it for a setup step and puts it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from caseterm.core import clock
from tests.conftest import FROZEN
from tests.factories import World

NOW = FROZEN

Run = Callable[[Session, World, Any], object]
Setup = Callable[[World], Any]


@dataclass(frozen=True)
class Audited:
    action: str
    run: Run
    setup: Setup | None = None
    changes_data: bool = True


@dataclass(frozen=True)
class Ephemeral:
    tables: frozenset[str]
    why: str
    run: Run
    setup: Setup | None = None


READS: dict[str, str] = {}
PARTS: dict[str, str] = {}
SCENARIOS: dict[str, Audited | Ephemeral] = {}


def _add(name: str) -> None:
    if name in READS or name in PARTS or name in SCENARIOS:
        raise AssertionError(f"{name} is listed twice in tests/audit_scenarios")


def reads(module: str, *names: str) -> None:
    for name in names:
        _add(f"{module}.{name}")
        READS[f"{module}.{name}"] = module


def part(module: str, name: str, why: str) -> None:
    _add(f"{module}.{name}")
    PARTS[f"{module}.{name}"] = why


def audited(
    module: str, name: str, action: str, setup: Setup | None = None, *, changes_data: bool = True
) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        _add(f"{module}.{name}")
        SCENARIOS[f"{module}.{name}"] = Audited(action, run, setup, changes_data)
        return run

    return register


def ephemeral(
    module: str, name: str, tables: set[str], why: str, setup: Setup | None = None
) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        _add(f"{module}.{name}")
        SCENARIOS[f"{module}.{name}"] = Ephemeral(frozenset(tables), why, run, setup)
        return run

    return register


@contextmanager
def at_time(when: datetime) -> Iterator[None]:
    """The clock at `when` for the block, then back where it was."""
    before = clock.now()
    clock.freeze(when)
    try:
        yield
    finally:
        clock.freeze(before)


def load_all() -> None:
    """Import every module of this package (each registers its entries once)."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
