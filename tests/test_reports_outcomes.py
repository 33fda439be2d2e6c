"""The deadline compliance and letters reports with exact numbers on a built world (the same
clocks and letters as the board's outcome figures), and their XLSX with a native chart and CSV."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

from caseterm.core import clock, exports
from caseterm.core.models import CaseClock
from caseterm.core.services import board, reports
from tests.factories import World
from tests.test_board_outcomes import MONDAY, WEEK_AGO, _built


def _run(world: World, name: str, start: date, end: date) -> reports.ReportTable:
    with world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team="PRE-OM")
        return reports.run_report(s, world.manager, name=name, scope=scope, start=start, end=end)


def test_both_are_in_the_catalogue() -> None:
    names = [r.name for r in reports.list_reports()]
    assert {"deadlines", "letters"} <= set(names)


def test_deadline_compliance_by_week_and_clock(world: World) -> None:
    w = _built(world)
    with w.db.write() as s:  # a clock of another kind still running, its end passed on 18/11
        s.add(
            CaseClock(
                case_id=w.case.id or 0,
                clock="breach",
                label="Breach action",
                started_on=date(2026, 11, 9),
                due_date=date(2026, 11, 18),
                task_kind="general",
            )
        )
    clock.freeze(datetime.combine(MONDAY, time(12)))
    table = _run(w, "deadlines", WEEK_AGO, MONDAY)
    assert table.as_dicts() == [
        {"week": WEEK_AGO, "clock": "Breach action", "met": 0, "late": 0, "waived": 0,
         "running_overdue": 1, "on_time": 0.0},
        {"week": WEEK_AGO, "clock": "Pre-sentence report", "met": 1, "late": 0, "waived": 0,
         "running_overdue": 1, "on_time": 100.0},
        {"week": MONDAY, "clock": "Breach action", "met": 0, "late": 0, "waived": 0,
         "running_overdue": 0, "on_time": 0.0},
        {"week": MONDAY, "clock": "Pre-sentence report", "met": 2, "late": 1, "waived": 1,
         "running_overdue": 0, "on_time": 66.7},
    ]  # fmt: skip
    # The running pre-sentence clock ended on 20/11: overdue in that week, not in this one.


def test_letters_issued_and_checked_by_week_and_person(world: World, tmp_path: Path) -> None:
    w = _built(world)
    clock.freeze(datetime.combine(MONDAY, time(12)))
    table = _run(w, "letters", WEEK_AGO, MONDAY)
    rows = [(r["week"], r["person"], r["issued"], r["approved"], r["rejected"])
            for r in table.as_dicts()]  # fmt: skip
    # The manager checks; Wendy drafted. Sunday's approval is in the week of 16/11.
    assert rows == [
        (WEEK_AGO, w.manager.name, 0, 2, 0),
        (WEEK_AGO, w.worker.name, 1, 0, 0),
        (MONDAY, w.manager.name, 0, 1, 1),
        (MONDAY, w.worker.name, 1, 0, 0),
    ]
    target = tmp_path / "letters.xlsx"
    assert exports.write_xlsx(target, [reports.report_sheet(table)]) == 4
    with zipfile.ZipFile(target) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
    csv = tmp_path / "letters.csv"
    exports.write_csv(csv, reports.report_sheet(table))
    text = csv.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and b"Week of,Person,Issued,Approved,Rejected" in text
