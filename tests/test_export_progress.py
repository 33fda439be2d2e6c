"""The file writers say how far they have got (the app's status line shows it): every
PROGRESS_EVERY rows and once at the end, so what is shown ends at the whole count."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseterm.core import exports


def _sheet(rows: int) -> exports.Sheet:
    return exports.Sheet(
        title="Queue",
        headers=("Task", "Title"),
        kinds=("int", "text"),
        rows=iter([n, f"Task {n}"] for n in range(rows)),  # streamed, as a queue is
    )


def test_each_writer_says_how_far_it_has_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl
    from icalendar import Calendar

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen: dict[str, list[int]] = {"xlsx": [], "csv": [], "ics": []}
    assert exports.write_xlsx(tmp_path / "q.xlsx", [_sheet(5)], progress=seen["xlsx"].append) == 5
    assert exports.write_csv(tmp_path / "q.csv", _sheet(4), progress=seen["csv"].append) == 4
    start = datetime(2026, 7, 1, 14, 0)  # British Summer Time
    events = [
        exports.CalendarEvent(f"e{n}@caseterm", start, start + timedelta(hours=1), f"Visit {n}")
        for n in range(3)
    ]
    assert exports.write_ics(tmp_path / "d.ics", events, name="d", progress=seen["ics"].append) == 3
    assert seen == {"xlsx": [2, 4, 5], "csv": [2, 4], "ics": [2, 3]}
    ws = openpyxl.load_workbook(tmp_path / "q.xlsx").active
    assert ws is not None and [ws.cell(row=r, column=2).value for r in (5, 9)] == [
        "Task 0",
        "Task 4",
    ]
    assert (tmp_path / "q.csv").read_text(encoding="utf-8-sig").splitlines()[-1] == "3,Task 3"
    (first, *_) = Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT")
    assert first.decoded("dtstart").utcoffset() == timedelta(hours=1)
