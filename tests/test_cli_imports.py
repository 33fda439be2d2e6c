"""What a command that reads the database loads: its own tables and services, never the
interface (Textual, Rich), the letter, report and export libraries or Alembic, and not the
tables it does not read (a table costs a few milliseconds to define; see core/models/__init__).

A guard on start-up cost, checked in a real process; how long a command takes is measured by
`make bench` (benchmarks/bench_cli.py), never by a timed test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import World

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys
from caseterm.cli import main
code = main.main(sys.argv[1:])
print("RESULT", code, " ".join(sorted(sys.modules)))
"""

# Libraries only some screens, letters, reports or exports use.
HEAVY = (
    "textual",
    "rich",
    "jinja2",
    "babel",
    "weasyprint",
    "xlsxwriter",
    "docxtpl",
    "docx",
    "icalendar",
    "alembic",
)


def _modules(*argv: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CASETERM_USER": "worker"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT")]
    assert lines, done.stderr
    _, code, *modules = lines[0].split()
    assert code == "0", done.stderr
    return set(modules)


def _heavy(modules: set[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def _tables(modules: set[str]) -> set[str]:
    prefix = "caseterm.core.models."
    return {m.removeprefix(prefix) for m in modules if m.startswith(prefix)} - {"base", "vocab"}


@pytest.mark.sqlite_only
def test_search_loads_people_and_cases_only(world: World) -> None:
    modules = _modules("--db", world.db.url, "search", world.person.family_name)
    assert _heavy(modules) == []
    assert _tables(modules) <= {"org", "people", "cases", "journal"}
    assert "caseterm.core.services.tasks" not in modules


@pytest.mark.sqlite_only
def test_case_show_loads_no_interface_no_letters_no_money(world: World) -> None:
    modules = _modules("--db", world.db.url, "case", "show", world.case.reference)
    assert _heavy(modules) == []
    # Its events list the documents that evidence them (the `documents` tables), but nothing of
    # money, checks or the lifecycle.
    assert not _tables(modules) & {"money", "checks", "case_lifecycle"}
    # The other `case` actions' services (close, transfer, edit…) wait until they run.
    assert "caseterm.core.services.case_closure" not in modules
    assert "caseterm.core.services.case_transfer" not in modules


@pytest.mark.sqlite_only
def test_queue_show_loads_no_interface(world: World) -> None:
    modules = _modules("--db", world.db.url, "queue", "show", "my_work")
    assert _heavy(modules) == []
    assert not _tables(modules) & {"money", "checks", "documents", "case_lifecycle", "clocks"}
