"""Reports (`p` on the board): pick a report on the left, `enter` runs it for the board's team or
office over the period shown (the last 12 weeks unless `f` says otherwise), and the figures fill
the table on the right. `x` saves it as a spreadsheet (a table and a chart), `c` as CSV. Reports
run in a worker: the screen stays usable, and the top bar says when it is waiting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.errors import CasetermError
from caseterm.core.rules.money import format_pence
from caseterm.core.rules.when import parse_day
from caseterm.core.services import board, data_span, reports
from caseterm.core.services.board import Scope
from caseterm.core.services.reports import ReportInfo, ReportTable
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

LIST_COLUMNS: list[Column[ReportInfo]] = [Column("Report", lambda r: r.title, grow=1)]


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "pence":
        return format_pence(value)
    if kind == "date" and isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if kind == "percent":
        return f"{value:.1f}%"
    return str(value)


def _column(i: int, col: reports.Column) -> Column[tuple[Any, ...]]:
    if col.kind == "text":
        return Column(col.label, lambda row: plain(row[i]), grow=2)
    width = max(len(col.label), 10 if col.kind in ("date", "pence") else 6)
    return Column(
        col.label, lambda row: cell_text(row[i], col.kind), width=min(width, 14), justify="right"
    )


def parse_period(text: str, today: date) -> tuple[date, date | None]:
    """`01/09/2026` or `01/09/2026 30/11/2026` (or `-12w`): the first day, and the last."""
    parts = text.split()
    start = parse_day(parts[0], today, prefer="past", field="from")
    end = parse_day(parts[1], today, prefer="past", field="to") if len(parts) > 1 else None
    return start, end


class ReportsScreen(Screen[None]):
    HELP_TITLE = "Reports"
    CSS_PATH = Path(__file__).with_name("board.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("enter", "run_report", "Run", "report_run"),
        binding("f", "period", "Period", "report_period"),
        binding("x", "save_xlsx", "Save XLSX", "report_save_xlsx"),
        binding("c", "save_csv", "Save CSV", "report_save_csv"),
    ]

    def __init__(self, scope: Scope | None) -> None:
        super().__init__()
        self.scope = scope
        self.start: date | None = None
        self.end: date | None = None
        self.shown: ReportTable | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Reports")
        yield Static("", id="reports-status", markup=False)
        with Horizontal(id="reports-body"):
            yield PagedTable(
                LIST_COLUMNS, row_key=lambda r: r.name, markable=False, id="reports-list"
            )
            yield PagedTable(
                [Column("", lambda row: "")],
                row_key=lambda row: row,
                markable=False,
                empty_text="enter runs the report chosen on the left.",
                id="reports-table",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        infos = reports.list_reports()
        table = self.query_one("#reports-list", PagedTable)
        table.show_rows(infos)
        focus_now(table)
        self._say(self._period_text() + " · enter runs · f period · x or c saves")

    def _period_text(self) -> str:
        whose = self.scope.title if self.scope else "your team"
        if self.start is None:
            return f"{whose} · the last 12 weeks"
        end = self.end or clock.today()
        return f"{whose} · {self.start:%d/%m/%Y} to {end:%d/%m/%Y}"

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#reports-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _chosen(self) -> ReportInfo | None:
        return cast(ReportInfo | None, self.query_one("#reports-list", PagedTable).current_row)

    # ---------------------------------------------------------------- running

    def _read(self, name: str) -> Any:
        actor = cast(HasContext, self.app).ctx.actor
        code, start, end = (self.scope.code if self.scope else None), self.start, self.end

        def read(session: Any) -> ReportTable:
            scope = board.resolve_scope(session, actor, code=code)
            return reports.run_report(session, actor, name=name, scope=scope, start=start, end=end)

        return read

    def action_run_report(self) -> None:
        info = self._chosen()
        if info is None:
            return
        self._say(f"Running {info.title}…")
        run_db(
            self,
            self._read(info.name),
            done=self._show,
            failed=self._failed,
            what=f"running {info.title}",
            group="report",
            exclusive=True,
        )

    @on(PagedTable.Selected, "#reports-list")
    def _selected(self) -> None:
        self.action_run_report()

    def _show(self, report: ReportTable) -> None:
        # A report's columns are its own: the table is replaced, once the old one is gone.
        self.run_worker(self._replace_table(report), group="report-table", exclusive=True)

    async def _replace_table(self, report: ReportTable) -> None:
        old = self.query_one("#reports-table", PagedTable)
        rows = list(report.rows)
        new: PagedTable[tuple[Any, ...]] = PagedTable(
            [_column(i, c) for i, c in enumerate(report.columns)],
            row_key=lambda row: row,
            markable=False,
            empty_text="Nothing in this period.",
            id="reports-table",
        )
        await old.remove()
        await self.query_one("#reports-body", Horizontal).mount(new)
        self.shown = report
        new.show_rows(rows)
        period = f"{report.period.start:%d/%m/%Y} to {report.period.end:%d/%m/%Y}"
        notes = " ".join(report.notes)
        self._say(f"{report.title}: {report.scope.title}, {period}. {notes}".strip())

    def _failed(self, error: Exception) -> None:
        self._say(describe_error(error), error=True)

    # ---------------------------------------------------------------- period and files

    def action_period(self) -> None:
        from caseterm.tui.screens.prompt import PromptScreen

        def chosen(text: str | None) -> None:
            if not text:
                return
            try:
                start, end = parse_period(text, clock.today())
                reports.period_of(start, end)
            except CasetermError as exc:
                self.start = self.end = None
                self._say(describe_error(exc), error=True)
                return
            actor = cast(HasContext, self.app).ctx.actor

            def check(session: Any) -> None:  # not before the first record, nor after today
                data_span.check_span(session, actor, start=start, end=end)

            def accepted(_: None) -> None:
                self.start, self.end = start, end
                self._say(self._period_text())
                if self.shown is not None:
                    self.action_run_report()

            def refused(error: Exception) -> None:
                self.start = self.end = None
                self._failed(error)

            run_db(self, check, done=accepted, failed=refused, what="checking the period")

        self.app.push_screen(
            PromptScreen("Which period?", "from [to], e.g. 01/09/2026 30/11/2026, or -26w"),
            chosen,
        )

    def _save(self, kind: str) -> None:
        info = self._chosen()
        if info is None:
            return
        from caseterm.tui.screens.prompt import PromptScreen

        default = Path.home() / f"{info.name}-{clock.today():%Y-%m-%d}.{kind}"

        def chosen(where: str | None) -> None:
            if where:
                self._write(info, Path(where).expanduser(), kind)

        self.app.push_screen(
            PromptScreen(f"Save {info.title} as {kind.upper()} to", str(default), str(default)),
            chosen,
        )

    def _write(self, info: ReportInfo, target: Path, kind: str) -> None:
        from caseterm.core import exports
        from caseterm.tui.screens.export_file import writing_progress

        read = self._read(info.name)
        shown = writing_progress(self)

        def work(session: Any) -> int:
            sheet = reports.report_sheet(read(session))
            total = len(sheet.rows) if isinstance(sheet.rows, list) else None
            progress = lambda n: shown(n, total)  # noqa: E731
            if kind == "csv":
                return exports.write_csv(target, sheet, option="file", progress=progress)
            return exports.write_xlsx(target, [sheet], option="file", progress=progress)

        self._say(f"Saving {info.title} to {target}…")
        run_db(
            self,
            work,
            done=lambda n: self._say(f"Saved {info.title} to {target} ({n} rows)."),
            failed=self._failed,
            what=f"saving {info.title}",
            group="report-file",
        )

    def action_save_xlsx(self) -> None:
        self._save("xlsx")

    def action_save_csv(self) -> None:
        self._save("csv")
