"""The team board end to end in a real terminal (tmux) on the demo database, at 80×24 and
120×40: `B` from the queues, the figures, a figure's tasks as a queue (a task taken from the
Overdue queue, asserted in the database), the reports, a spreadsheet saved and opened back."""

from __future__ import annotations

import re
import stat
from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core.models import Staff, Task
from caseterm.core.storage.opening import open_database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def _holder(path: Path, task_id: int) -> str:
    """Who holds a task now, read from the database file the program writes."""
    db = open_database(str(path)).db
    try:
        with db.read() as s:
            task = s.get(Task, task_id)
            assert task is not None and task.assignee_id is not None
            holder = s.get(Staff, task.assignee_id)
            assert holder is not None
            return holder.login
    finally:
        db.dispose()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_board_figures_list_and_a_report_saved(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime, size: tuple[int, int]
) -> None:
    import openpyxl

    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    db.dispose()
    width, height = size
    env = {**caseterm_env(LOGIN, frozen_clock, tmp_path), "HOME": str(tmp_path)}
    term = Terminal(["--db", str(path)], env, width=width, height=height)
    target = tmp_path / "caseload-2026-11-23.xlsx"  # offered in the home directory
    try:
        term.wait_for("My work ·")
        term.keys("B")
        screen = term.wait_for("Team board", "Work received", "Received a week", "Mon 23/11/2026")
        for label in ("Completed", "In progress", "Overdue", "Failed to attend", "Money taken"):
            assert label in screen
        assert "(range " in screen
        term.keys("Enter")  # what "Work received" counts, as a queue
        term.wait_for("Work received · PRE-OM", "tasks. enter opens the case.", "t Take")
        term.keys("Escape")
        term.wait_for("Open work")
        term.keys("Down", "Down", "Down", "Down", "Enter")  # "Overdue"
        term.wait_for("Overdue · PRE-OM · 23/11/2026", "tasks. enter opens the case.")
        term.keys("t")  # the longest overdue is nobody's: Wendy takes it
        taken = re.search(r"Took task (\d+)", term.wait_for("Took task"))
        assert taken is not None, term.screen()
        assert _holder(path, int(taken.group(1))) == LOGIN
        term.keys("Escape")
        term.wait_for("Open work")
        term.keys("p")
        term.wait_for("Caseload per officer")
        term.keys("Enter")
        term.wait_for("Caseload per officer: team")
        term.keys("x")
        term.wait_for("Save Caseload per officer as XLSX", target.name)
        term.keys("Enter")  # the file offered
        term.wait_for("Saved Caseload per officer")
        term.keys("f")  # a period before anything was recorded: refused, naming the first day
        term.wait_for("Which period?")
        term.keys("01/01/2000", "Enter")
        term.wait_for("before the first record")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    ws = openpyxl.load_workbook(target).active
    assert ws is not None and ws["A1"].value == "Caseload per officer"
    assert [c.value for c in ws[4]][:2] == ["Officer", "Open cases"]
