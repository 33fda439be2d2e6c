"""Files for the office's own tools: CSV and XLSX for tables (reports, queues), iCalendar for a
diary. Every value is written as plain text or a typed number/date, never as a formula; control
characters are stripped; a text cell that a spreadsheet would read as a formula (`=`, `+`, `-`,
`@` first) is written with a leading apostrophe in CSV.

Files are private from the first byte (`core/private_files`: 0600, or 0640 in a setgid group
directory), written under a hidden temporary name beside the target and renamed into place; a
failure leaves nothing behind. XlsxWriter and icalendar are imported only when a file of theirs
is written.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from caseterm.core.errors import ValidationError
from caseterm.core.private_files import private_file, shared_mode
from caseterm.core.text import strip_controls

CellKind = Literal["text", "int", "percent", "pence", "date", "datetime", "number"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONSTANT_MEMORY_ROWS = 20_000  # beyond this, rows stream to disk (no Excel table object)
PROGRESS_EVERY = 5_000  # rows between calls of a writer's `progress` (and once at the end)


@dataclass(frozen=True)
class Sheet:
    """A table to write: typed columns, rows of plain values, an optional native chart."""

    title: str
    headers: Sequence[str]
    kinds: Sequence[CellKind]
    rows: Iterable[Sequence[Any]]
    subtitle: str = ""
    chart: SheetChart | None = None


@dataclass(frozen=True)
class SheetChart:
    kind: Literal["column", "line", "bar"]
    category: int  # column index
    series: Sequence[int]
    stacked: bool = False


def check_output_path(path: Path, *, option: str) -> Path:
    """Refuse, with one clear line, an output file caseterm cannot write."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValidationError(option, f"directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ValidationError(option, f"cannot write in {directory}: permission denied")
    if path.is_dir():
        raise ValidationError(option, f"{path} is a directory; give a file name")
    return path


@contextmanager
def private_output(path: Path, *, option: str = "output") -> Iterator[Path]:
    """Yield a private temporary path beside `path` to write (created with the final mode); on
    success it becomes `path` in one step, on any error it is removed (see core/private_files)."""
    path = check_output_path(path, option=option)
    try:
        with private_file(path, shared_mode(path), replace=True) as made:
            yield made.temp
    except OSError as exc:
        raise ValidationError(option, f"cannot write {path}: {exc.strerror or exc}") from exc


def _text(value: Any) -> str:
    return strip_controls("" if value is None else str(value))


def _csv_cell(value: Any, kind: CellKind) -> str:
    if value is None:
        return ""
    if kind == "pence":
        return f"{value / 100:.2f}"
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, int | float) and kind != "text":
        return str(value)
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    path: Path,
    sheet: Sheet,
    *,
    option: str = "--csv",
    progress: Callable[[int], None] | None = None,
) -> int:
    """UTF-8 with a byte-order mark (so Excel reads the accents), one header row. Returns the
    number of data rows written; `progress(rows so far)` every PROGRESS_EVERY rows and at the
    end."""
    count = 0
    with private_output(path, option=option) as temp, temp.open("w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([_text(h) for h in sheet.headers])
        for row in sheet.rows:
            writer.writerow([_csv_cell(v, k) for v, k in zip(row, sheet.kinds, strict=True)])
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
        if progress is not None and count % PROGRESS_EVERY:
            progress(count)
    return count


def write_xlsx(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    option: str = "--xlsx",
    progress: Callable[[int], None] | None = None,
) -> int:
    """One worksheet per sheet: a title, the column headers, typed cells (dates as dates, money
    in pounds with a currency format), an Excel table (or a filter, for very long sheets) and a
    native chart where the sheet has one. Returns the number of data rows written;
    `progress(rows so far in this sheet)` every PROGRESS_EVERY rows and at the sheet's end."""
    import xlsxwriter  # a tenth of a second; only when a spreadsheet is written

    rows_total = 0
    with private_output(path, option=option) as temp:
        lists = [(s, s.rows if isinstance(s.rows, list) else None) for s in sheets]
        big = any(r is None or len(r) > XLSX_CONSTANT_MEMORY_ROWS for _, r in lists)
        book = xlsxwriter.Workbook(
            str(temp),
            {"constant_memory": big, "tmpdir": str(temp.parent), "strings_to_formulas": False},
        )
        formats = _formats(book)
        for sheet, listed in lists:
            rows_total += _write_sheet(book, formats, sheet, listed, big, progress)
        book.close()
    return rows_total


def _formats(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "subtitle": book.add_format({"italic": True, "font_color": "#595959"}),
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "pence": book.add_format({"num_format": "£#,##0.00"}),
        "percent": book.add_format({"num_format": "0.0"}),
        "number": book.add_format({"num_format": "0.0"}),
        "int": book.add_format({"num_format": "0"}),
    }


def _write_sheet(
    book: Any,
    formats: dict[str, Any],
    sheet: Sheet,
    listed: list[Sequence[Any]] | None,
    streaming: bool,
    progress: Callable[[int], None] | None,
) -> int:
    ws = book.add_worksheet(_sheet_name(sheet.title, book))
    ws.write_string(0, 0, _text(sheet.title), formats["title"])
    if sheet.subtitle:
        ws.write_string(1, 0, _text(sheet.subtitle), formats["subtitle"])
    header_row = 3
    for c, header in enumerate(sheet.headers):
        ws.write_string(header_row, c, _text(header), formats["header"])
        ws.set_column(c, c, max(10, min(40, len(header) + 2)))
    r = header_row
    for r, row in enumerate(sheet.rows, start=header_row + 1):
        for c, (value, kind) in enumerate(zip(row, sheet.kinds, strict=True)):
            _write_cell(ws, r, c, value, kind, formats)
        if progress is not None and (r - header_row) % PROGRESS_EVERY == 0:
            progress(r - header_row)
    count = r - header_row
    if progress is not None and count % PROGRESS_EVERY:
        progress(count)  # the last rows, so that what is shown ends at the whole count
    last_col = len(sheet.headers) - 1
    if count and not streaming and listed is not None:
        columns = [{"header": _text(h)} for h in sheet.headers]
        ws.add_table(
            header_row,
            0,
            header_row + count,
            last_col,
            {"columns": columns, "style": "Table Style Light 9", "autofilter": True},
        )
    elif count:
        ws.autofilter(header_row, 0, header_row + count, last_col)
    ws.freeze_panes(header_row + 1, 1)
    if sheet.chart is not None and count:
        _add_chart(book, ws, sheet, header_row, count)
    return count


def _sheet_name(title: str, book: Any) -> str:
    base = "".join(ch for ch in _text(title) if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    taken = {ws.get_name() for ws in book.worksheets()}
    while name in taken:
        name, n = f"{base[:25]} {n}", n + 1
    return name


def _write_cell(ws: Any, r: int, c: int, value: Any, kind: CellKind, f: dict[str, Any]) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None)
    elif kind == "pence" and isinstance(value, int | float):
        ws.write_number(r, c, value / 100, f["pence"])
    elif kind == "datetime" and isinstance(value, datetime):
        ws.write_datetime(r, c, value, f["datetime"])
    elif kind == "date" and isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), f["date"])
    elif kind in ("int", "percent", "number") and isinstance(value, int | float):
        ws.write_number(r, c, value, f[kind])
    else:
        ws.write_string(r, c, _text(value))


def _add_chart(book: Any, ws: Any, sheet: Sheet, header_row: int, count: int) -> None:
    spec = sheet.chart
    assert spec is not None
    options: dict[str, Any] = {"type": spec.kind}
    if spec.stacked:
        options["subtype"] = "stacked"
    chart = book.add_chart(options)
    name = ws.get_name()
    first, last = header_row + 1, header_row + count
    for s in spec.series:
        chart.add_series(
            {
                "name": [name, header_row, s],
                "categories": [name, first, spec.category, last, spec.category],
                "values": [name, first, s, last, s],
            }
        )
    chart.set_title({"name": _text(sheet.title)})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(header_row, len(sheet.headers) + 1, chart, {"x_scale": 1.5, "y_scale": 1.3})


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False


def write_ics(
    path: Path,
    events: Iterable[CalendarEvent],
    *,
    name: str,
    option: str = "--ics",
    progress: Callable[[int], None] | None = None,
) -> int:
    """An iCalendar file of `events`, their local times in Europe/London (the organisation's
    time zone, in which caseterm keeps every time). Returns the number of events;
    `progress(events so far)` every PROGRESS_EVERY events and at the end."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    london = ZoneInfo("Europe/London")
    cal = Calendar()
    cal.add("prodid", "-//caseterm//diary//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _text(name))
    cal.add("x-wr-timezone", "Europe/London")
    count = 0
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstart", e.starts_at.replace(tzinfo=london))
        event.add("dtend", e.ends_at.replace(tzinfo=london))
        event.add("dtstamp", datetime.now(tz=london))
        event.add("summary", _text(e.summary))
        if e.location:
            event.add("location", _text(e.location))
        if e.description:
            event.add("description", strip_controls(e.description, multiline=True))
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        cal.add_component(event)
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None and count % PROGRESS_EVERY:
        progress(count)
    if hasattr(cal, "add_missing_timezones"):
        cal.add_missing_timezones()
    with private_output(path, option=option) as temp:
        temp.write_bytes(cal.to_ical())
    return count
