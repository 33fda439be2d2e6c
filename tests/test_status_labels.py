"""Statuses print as labels, not stored keys (issue 17: "Induction", not "induction")."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.rules.catalogue import status_label
from tests.cli import run_cli
from tests.factories import World, book


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def test_status_label_reads_as_words() -> None:
    assert status_label("transfer_pending") == "Transfer pending"
    assert status_label("failed_to_attend") == "Failed to attend"
    assert status_label("untriaged") == "Waiting for triage"


def test_case_show_and_diary_print_labels(world: World, tmp_path: Path) -> None:
    starts = clock.now().replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(days=1)
    book(world, starts)
    shown = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url).out
    assert "Open" in shown and "(Booked)" in shown
    day = f"{starts:%d/%m/%Y}"
    diary = run_cli(tmp_path, "diary", day, db=world.db.url).out
    assert "Booked" in diary and " booked " not in diary
