"""`caseterm search`: names with typos and aliases, references, dates
of birth, identifiers; restricted cases show only whom to ask, and the refusal is logged."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import AccessLog
from caseterm.core.services import cases
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("siobhan oneil-brady", "name"),
        ("Shiv Brady", "alias"),
        ("om/2026/000001", "reference"),
        ("12/04/1988", "date of birth"),
        ("x 123 456", "CRN X123456"),
    ],
)
def test_search_finds_the_case(world: World, tmp_path: Path, text: str, matched: str) -> None:
    result = run_cli(tmp_path, "search", text, "--json", db=world.db.url)
    assert result.code == 0, result.err
    (hit,) = result.json()
    assert hit["kind"] == "case" and hit["reference"] == world.case.reference
    assert hit["person_id"] == world.person.id and hit["name"] == "Siobhán O'Neill-Brady"
    assert hit["date_of_birth"] == "1988-04-12" and hit["case_type"] == "Offender management"
    assert hit["case_status"] == "open" and hit["restricted"] is False
    assert matched.lower() in hit["matched"].lower()


def test_search_text_output_and_nothing_found(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "search", "O'Neill", db=world.db.url)
    assert result.code == 0, result.err
    header, row = result.out.splitlines()
    assert header.split() == ["REFERENCE", "TYPE", "STATUS", "NAME", "BORN", "MATCHED"]
    assert row.startswith(world.case.reference) and "12/04/1988" in row
    nothing = run_cli(tmp_path, "search", "Zebedee Quux", db=world.db.url)
    assert nothing.code == 0 and nothing.out.strip() == "nothing found for 'Zebedee Quux'"
    empty = run_cli(tmp_path, "search", "Zebedee Quux", "--json", db=world.db.url)
    assert empty.json() == []


def test_search_restricted_case_shows_whom_to_ask_and_logs(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    result = run_cli(tmp_path, "search", "Siobhan", "--json", db=world.db.url, user="other")
    assert result.code == 0, result.err
    (hit,) = result.json()
    assert hit["restricted"] is True and hit["ask"] == "Wendy Worker"
    assert hit["reference"] == world.case.reference and hit["name"] == "Restricted"
    assert hit["person_id"] is None and hit["date_of_birth"] is None
    text = run_cli(tmp_path, "search", "Siobhan", db=world.db.url, user="other")
    assert "restricted — ask Wendy Worker" in text.out and "Siobh" not in text.out
    with world.db.read() as s:
        log = s.exec(select(AccessLog)).all()
    assert [(r.staff_id, r.action, r.where) for r in log] == [
        (world.other.id, "refused", "search"),
        (world.other.id, "refused", "search"),
    ]


def test_search_at_reception_shows_people_not_cases(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "search", "Siobhan", "--json", db=world.db.url, user="desk")
    assert result.code == 0, result.err
    (hit,) = result.json()
    assert hit["kind"] == "person" and hit["reference"] is None and hit["case_id"] is None
    assert hit["name"] == "Siobhán O'Neill-Brady"
