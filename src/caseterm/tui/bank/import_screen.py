"""Import a bank statement: `o` asks for the CSV file and its column profile (or a column map,
which may be saved as a profile), then lists every line with the account it matches (by
reference, or by name and amount) or why it matches none. `space` holds a matched line back
(it goes to suspense instead), `P` posts: matched lines become payments, the rest go to
suspense with a task each in the Suspense queue. A line is posted once however often its file
is imported. `b` opens the banking against the cash-up."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.errors import CasetermError
from caseterm.core.rules.money import format_pence
from caseterm.core.services import bank_import
from caseterm.core.services.bank_import import Imported, LineView, Review
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain, uk_date
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

OUTCOMES = {
    "match": "will post",
    "unmatched": "to suspense",
    "already": "imported before",
    "posted": "posted",
    "suspense": "in suspense",
    "allocated": "allocated",  # from suspense, with L (tui/suspense/forms.py)
}

COLUMNS: list[Column[LineView]] = [
    Column("Line", lambda r: plain(str(r.line_no)), width=5),
    Column("Date", lambda r: plain(uk_date(r.paid_on)), width=10),
    Column("Amount", lambda r: plain(format_pence(r.amount_pence)), width=11),
    Column("Reference", lambda r: plain(r.reference), grow=2),
    Column("Name", lambda r: plain(r.name), grow=1, hide_below=100),
    Column("Outcome", lambda r: plain(OUTCOMES.get(r.outcome, r.outcome)), width=15),
    Column("Account", lambda r: plain(r.case_reference), width=15),
    Column("How / why", lambda r: plain(r.matched_by or r.note), grow=2, hide_below=90),
]
HELP = (
    "o opens a statement (CSV) · space holds a matched line back · P posts · L allocates a line "
    "in suspense · b banking"
)


class BankImportScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("bank.tcss")
    HELP_TITLE = "Bank statement"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("o", "open_statement", "Open statement", "bank_open"),
        binding("P", "post_statement", "Post", "bank_post"),
        binding("b", "banking", "Banking", "bank_banking"),
        binding("L", "allocate_line", "Allocate", "bank_allocate"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._file: Path | None = None
        self._content = b""
        self._profile: str | None = None
        self._mapping: str | None = None
        self._review: Review | None = None
        self._lines: list[LineView] = []

    def compose(self) -> ComposeResult:
        yield TopBar("Bank statement")
        yield Static(content(HELP), id="bank-note", markup=False)
        yield PagedTable(
            COLUMNS,
            row_key=lambda r: r.line_no,
            empty_text="No statement read yet: o opens one.",
            id="bank-table",
        )
        yield Static("", id="bank-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#bank-table", PagedTable))

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#bank-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    # ---------------------------------------------------------------- reading

    def action_open_statement(self) -> None:
        self.app.push_screen(
            PromptScreen("Bank statement file (CSV)", "path to the file", str(self._file or "")),
            self._file_chosen,
        )

    def _file_chosen(self, answer: str | None) -> None:
        if not answer:
            return
        path = Path(answer).expanduser()
        try:
            if not path.is_file():
                raise CasetermError(f"{answer} is not a file")
            bank_import.check_file_size(path.stat().st_size)
            self._content = path.read_bytes()
        except (OSError, CasetermError) as e:
            self._status(f"Cannot read the statement: {e}", error=True)
            return
        self._file = path
        actor = cast(HasContext, self.app).ctx.actor
        run_db(
            self,
            lambda s: bank_import.list_profiles(s, actor),
            done=self._ask_columns,
            what="reading the column profiles",
        )

    def _ask_columns(self, profiles: list[bank_import.Profile]) -> None:
        names = ", ".join(p.name for p in profiles) or "none saved yet"
        self.app.push_screen(
            PromptScreen(
                f"Column profile ({names}), or a map date=COL,amount=COL,reference=COL,name=COL "
                "(blank: recognise the usual headings)",
                "profile or column map",
                self._profile or (profiles[0].name if len(profiles) == 1 else ""),
            ),
            self._columns_chosen,
        )

    def _columns_chosen(self, answer: str | None) -> None:
        # Blank (the prompt gives None for it): recognise the usual headings. Reading writes
        # nothing, so there is nothing to cancel.
        answer = (answer or "").strip()
        if "=" in answer:
            self._mapping, self._profile = answer, None
            self.app.push_screen(
                PromptScreen("Save these columns as a profile named (blank: do not save)", "name"),
                self._save_as,
            )
            return
        self._mapping, self._profile = None, answer or None
        self._read()

    def _save_as(self, name: str | None) -> None:
        self._profile = (name or "").strip() or None
        self._read()

    def _read(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor
        data, profile, mapping = self._content, self._profile, self._mapping
        saved = profile if mapping else None
        self._status("Reading the statement…")
        run_db(
            self,
            lambda s: bank_import.review_statement(
                s, actor, content=data, profile=None if saved else profile, mapping=mapping
            ),
            done=self._show_review,
            failed=self._failed,
            what="reading the statement",
            group="bank-read",
            exclusive=True,
        )

    def _failed(self, error: Exception) -> None:
        self._status(f"Not read: {error}", error=True)

    def _show_review(self, review: Review) -> None:
        self._review = review
        self._show(review.lines)
        name = self._file.name if self._file else ""
        self._status(
            f"{name} ({review.encoding}): {review.matched} will post, {review.unmatched} to "
            f"suspense, {review.already} imported before, {review.skipped} money out (left "
            "alone). space holds a line back; P posts."
        )

    def _show(self, lines: tuple[LineView, ...]) -> None:
        self._lines = rows = list(lines)
        self.query_one("#bank-table", PagedTable).set_source(
            lambda offset, limit: rows[offset : offset + limit], lambda: len(rows)
        )

    # ---------------------------------------------------------------- posting

    def action_post_statement(self) -> None:
        if self._review is None or self._file is None:
            self._status("Open a statement first (o)", error=True)
            return
        table = self.query_one("#bank-table", PagedTable)
        held = {cast(LineView, r).line_no for r in table.marked_rows}
        actor = cast(HasContext, self.app).ctx.actor
        data, name = self._content, self._file.name
        profile, mapping = self._profile, self._mapping
        self._review = None  # posted once from this screen: reading again shows "imported"
        run_db(
            self,
            lambda s: bank_import.import_statement(
                s,
                actor,
                filename=name,
                content=data,
                profile=profile,
                mapping=mapping,
                hold_back=held,
            ),
            write=True,
            done=self._posted,
            failed=self._failed,
            what="posting the statement",
            group="bank-post",
            exclusive=True,
        )

    def _posted(self, result: Imported) -> None:
        self._show(result.lines)
        self._status(
            f"Posted {result.posted} payments ({format_pence(result.posted_pence)}); "
            f"{result.suspense} to suspense ({format_pence(result.suspense_pence)}, tasks in "
            f"the Suspense queue); {result.already} imported before."
        )

    def action_allocate_line(self) -> None:
        """The posted line under the cursor, held in suspense: allocate it to an account."""
        from dataclasses import replace

        from caseterm.tui.suspense.forms import deal_with_suspense

        row = cast("LineView | None", self.query_one("#bank-table", PagedTable).current_row)
        if row is None or row.outcome != "suspense" or row.task_id is None:
            self._status("Post the statement, then L allocates a line held in suspense.")
            return
        line_no = row.line_no

        def allocated() -> None:
            self._show(
                tuple(
                    replace(x, outcome="allocated") if x.line_no == line_no else x
                    for x in self._lines
                )
            )

        deal_with_suspense(self, row.task_id, allocated)

    def action_banking(self) -> None:
        from caseterm.tui.bank.banking_screen import BankingScreen

        self.app.push_screen(BankingScreen())
