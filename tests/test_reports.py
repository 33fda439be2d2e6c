"""Management reports with exact numbers on a built world, and the files they are written to:
XLSX opened back (table, typed cells, a native chart), CSV with a byte-order mark and no live
formulas, iCalendar parsed back; every file private from the first byte."""

from __future__ import annotations

import stat
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from caseterm.core import clock, exports
from caseterm.core.errors import ValidationError
from caseterm.core.models import ContactEntry, Payment
from caseterm.core.services import board, reports, tasks
from caseterm.core.services.reports import Period
from tests.factories import World

MONDAY = date(2026, 11, 23)


def _scope(world: World) -> board.Scope:
    with world.db.read() as s:
        return board.resolve_scope(s, world.manager, team="PRE-OM")


def _run(world: World, name: str, start: date, end: date) -> reports.ReportTable:
    with world.db.read() as s:
        return reports.run_report(
            s, world.manager, name=name, scope=_scope(world), start=start, end=end
        )


@pytest.fixture
def worked(world: World) -> World:
    """Wendy completes two tasks and Owen one in the week of 16/11; contacts at 09:xx on Monday
    and Tuesday and one at 14:xx on Monday; two payments that week."""
    w = world
    for who, title, day in ((w.worker, "a", 16), (w.worker, "b", 17), (w.other, "c", 18)):
        clock.freeze(datetime(2026, 11, day, 9))
        with w.db.write() as s:
            task = tasks.create_task(
                s, w.clerk, kind="general", title=title, case_id=w.case.id, assignee_id=who.id
            )
            tasks.complete_task(s, who, task_id=task.id or 0)
    with w.db.write() as s:
        for when, kind in (
            (datetime(2026, 11, 16, 9, 5), "phone_in"),
            (datetime(2026, 11, 17, 9, 40), "phone_in"),
            (datetime(2026, 11, 16, 14, 0), "email"),
        ):
            s.add(
                ContactEntry(
                    case_id=w.case.id or 0,
                    occurred_at=when,
                    logged_at=when,
                    staff_id=w.worker.id,
                    contact_type=kind,
                )
            )
        s.add(Payment(case_id=w.case.id or 0, amount_pence=2_500, paid_on=date(2026, 11, 17)))
        s.add(Payment(case_id=w.case.id or 0, amount_pence=1_050, paid_on=date(2026, 11, 20)))
    clock.freeze(datetime.combine(MONDAY, time(12)))
    return w


def test_the_catalogue_names_every_report() -> None:
    names = [r.name for r in reports.list_reports()]
    assert names == list(reports.REPORTS)
    assert {"caseload", "ageing", "throughput", "interactions-hourly", "collection"} <= set(names)


def test_throughput_per_person_over_the_week(worked: World) -> None:
    table = _run(worked, "throughput", date(2026, 11, 16), date(2026, 11, 22))
    rows = {r["officer"]: r for r in table.as_dicts()}
    assert rows["Wendy Worker"]["completed"] == 2 and rows["Owen Other"]["completed"] == 1
    assert rows["Wendy Worker"]["per_day"] == 0.4  # 2 tasks over 5 working days
    assert rows["Wendy Worker"]["contacts"] == 3
    assert table.notes == ("5 working days in the period.",)


def test_interaction_peaks_by_hour_and_weekday(worked: World) -> None:
    table = _run(worked, "interactions-hourly", date(2026, 11, 16), date(2026, 11, 22))
    rows = {r["hour"]: r for r in table.as_dicts()}
    assert rows["09:00"]["mon"] == 1 and rows["09:00"]["tue"] == 1 and rows["09:00"]["total"] == 2
    assert rows["14:00"]["mon"] == 1 and rows["14:00"]["total"] == 1


def test_collection_and_caseload(worked: World) -> None:
    money = _run(worked, "collection", date(2026, 11, 16), date(2026, 11, 22))
    assert money.as_dicts() == [{"week": date(2026, 11, 16), "payments": 2, "amount": 3_550}]
    load = {r["officer"]: r for r in _run(worked, "caseload", MONDAY, MONDAY).as_dicts()}
    assert load["Wendy Worker"]["open_cases"] == 1  # she owns the world's case


def test_periods_are_checked(world: World) -> None:
    with pytest.raises(ValidationError, match="ends \\(01/01/2026\\) before it starts"):
        reports.period_of(date(2026, 2, 1), date(2026, 1, 1))
    assert reports.period_of(date(2015, 1, 1), date(2026, 1, 1)).start == date(2015, 1, 1)
    clock.freeze(datetime(2026, 11, 23, 10))
    with pytest.raises(ValidationError, match="01/01/2027 is after today"):
        reports.period_of(date(2027, 1, 1), None)
    default = reports.period_of(None, None)
    assert default == Period(MONDAY - timedelta(weeks=12) + timedelta(days=1), MONDAY)
    with world.db.read() as s, pytest.raises(ValidationError, match="no report 'nope'"):
        reports.run_report(s, world.manager, name="nope", scope=_scope(world))


def test_xlsx_has_typed_cells_a_table_and_a_chart(worked: World, tmp_path: Path) -> None:
    import openpyxl

    table = _run(worked, "collection", date(2026, 11, 9), date(2026, 11, 22))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "collection.xlsx"
    assert exports.write_xlsx(target, [reports.report_sheet(table)]) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in out.iterdir()] == ["collection.xlsx"]  # nothing left behind
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
    assert "xl/charts/chart1.xml" in names and "xl/tables/table1.xml" in names
    ws = openpyxl.load_workbook(target).active
    assert ws is not None
    assert ws["A1"].value == "Money collected"
    assert [c.value for c in ws[4]] == ["Week of", "Payments", "Amount"]
    assert ws["A6"].value == datetime(2026, 11, 16) and ws["C6"].value == 35.5
    assert ws["C6"].number_format == "£#,##0.00"


def test_csv_has_a_bom_and_no_formulas_or_control_characters(tmp_path: Path) -> None:
    sheet = exports.Sheet(
        title="t",
        headers=["Name", "Amount", "On"],
        kinds=["text", "pence", "date"],
        rows=[['=HYPERLINK("x")', 1999, date(2026, 1, 2)], ["Zoë\x1b[31m", None, None]],
    )
    target = tmp_path / "out.csv"
    assert exports.write_csv(target, sheet) == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines() == [
        "Name,Amount,On",
        '"\'=HYPERLINK(""x"")",19.99,2026-01-02',
        "Zoë[31m,,",
    ]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_output_file_that_cannot_be_written_is_one_clear_refusal(tmp_path: Path) -> None:
    sheet = exports.Sheet(title="t", headers=["a"], kinds=["int"], rows=[[1]])
    with pytest.raises(ValidationError, match=r"directory .*nowhere does not exist"):
        exports.write_csv(tmp_path / "nowhere" / "x.csv", sheet)
    with pytest.raises(ValidationError, match="is a directory"):
        exports.write_xlsx(tmp_path, [sheet])


def test_a_large_sheet_streams_in_constant_memory(tmp_path: Path) -> None:
    import openpyxl

    rows = ([i, f"row {i}"] for i in range(exports.XLSX_CONSTANT_MEMORY_ROWS + 5))
    sheet = exports.Sheet(title="Big", headers=["n", "text"], kinds=["int", "text"], rows=rows)
    seen: list[int] = []
    target = tmp_path / "big.xlsx"
    assert exports.write_xlsx(target, [sheet], progress=seen.append) == 20_005
    assert seen == [5_000, 10_000, 15_000, 20_000, 20_005]  # and once at the end
    ws = openpyxl.load_workbook(target, read_only=True).active
    assert ws is not None
    last = list(ws.iter_rows(min_row=20_009, max_row=20_009, values_only=True))
    assert last == [(20_004, "row 20004")]


def test_ics_events_in_london_time(tmp_path: Path) -> None:
    from icalendar import Calendar

    start = datetime(2026, 7, 1, 10, 0)  # British Summer Time: 09:00 UTC
    event = exports.CalendarEvent(
        uid="appt-1@caseterm",
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        summary="Supervision: OM/2026/000001",
        location="PRE · Interview 1",
    )
    target = tmp_path / "diary.ics"
    assert exports.write_ics(target, [event], name="Wendy's diary") == 1
    cal = Calendar.from_ical(target.read_bytes())
    (parsed,) = cal.walk("VEVENT")
    dtstart = parsed.decoded("dtstart")
    assert dtstart.utcoffset() == timedelta(hours=1) and dtstart.hour == 10
    assert str(parsed["summary"]) == "Supervision: OM/2026/000001"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
