"""A booking's agenda and minutes (`A` in the diary): the booking, who attends, the agenda and
the minutes as written (and the file imported with either). `a` writes the agenda, `m` the
minutes, `i` imports a file as either, `s` saves the files imported next to each other in a
folder you choose. Minutes written before the meeting has ended are saved with a warning."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar, cast

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core import letter_files
from caseterm.core.services import booking_documents
from caseterm.core.services.booking_documents import BookingPaper, BookingPapers
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain_lines
from caseterm.tui.screens.diary_changes import describe_row
from caseterm.tui.screens.diary_paper_forms import PaperImportForm, PaperTextForm
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.top_bar import TopBar

PAPERS_CSS = Path(__file__).with_name("diary_papers.tcss")


def paper_text(label: str, paper: BookingPaper | None, ends_at: datetime) -> str:
    """One paper as shown: a heading with who wrote it and when (minutes written before the
    meeting ended say so), its text, its file."""
    if paper is None:
        return f"{label}: none yet"
    head = f"{label} · written by {paper.written_by}, {paper.written_at:%d/%m/%Y %H:%M}"
    if paper.kind == "minutes" and paper.written_at < ends_at:
        head += " · before the meeting ended"
    parts = [head, paper.body or "(no text)"]
    if paper.has_file:
        parts.append(f"File: {paper.file_line}")
    return "\n".join(parts)


class BookingPapersScreen(Screen[None]):
    """The agenda and minutes of one booking (the diary row it was opened from)."""

    HELP_TITLE = "Agenda and minutes"
    CSS_PATH = PAPERS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("a", "write('agenda')", "Write agenda", "booking_write_agenda"),
        binding("m", "write('minutes')", "Write minutes", "booking_write_minutes"),
        binding("i", "import_file", "Import a file", "booking_import_file"),
        binding("s", "save_files", "Save the files", "booking_save_files"),
        binding("r", "refresh", "Refresh", "refresh", show=False),
        binding("escape", "back", "Back", "back"),
    ]

    def __init__(self, row: DiaryRow) -> None:
        super().__init__()
        self.row = row
        self.appointment_id = row.appointment.id
        self.papers: BookingPapers | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Agenda and minutes")
        with VerticalScroll(id="bp-body"):
            yield Static(content(describe_row(self.row)), id="bp-booking", markup=False)
            yield Static("", id="bp-attending", markup=False)
            yield Static("Reading…", id="bp-agenda", classes="bp-paper", markup=False)
            yield Static("", id="bp-minutes", classes="bp-paper", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#bp-body"))
        self._load()

    def _load(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor
        appointment_id = self.appointment_id
        run_db(
            self,
            lambda s: booking_documents.booking_papers(s, actor, appointment_id=appointment_id),
            done=self._show,
            what="reading the agenda and minutes",
            group="booking-papers",
        )

    def _show(self, papers: BookingPapers) -> None:
        self.papers = papers
        self.row = papers.booking
        self.query_one("#bp-booking", Static).update(content(describe_row(papers.booking)))
        attending = papers.booking.attendee_names or "nobody else"
        self.query_one("#bp-attending", Static).update(content(f"Attending: {attending}"))
        ends = papers.booking.appointment.ends_at
        self.query_one("#bp-agenda", Static).update(
            plain_lines(paper_text("Agenda", papers.agenda, ends))
        )
        self.query_one("#bp-minutes", Static).update(
            plain_lines(paper_text("Minutes", papers.minutes, ends))
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        self._load()

    def action_refresh(self) -> None:
        self._load()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_write(self, kind: str) -> None:
        if self.papers is None:
            return
        paper = self.papers.agenda if kind == "agenda" else self.papers.minutes
        self.app.push_screen(
            PaperTextForm(
                self.appointment_id,
                kind,
                describe_row(self.row),
                paper.body if paper else "",
                paper.version if paper else 0,
            ),
            self._saved,
        )

    def action_import_file(self) -> None:
        self.app.push_screen(
            PaperImportForm(self.appointment_id, describe_row(self.row)), self._saved
        )

    def _saved(self, message: str | None) -> None:
        if message is not None:
            self._load()

    def action_save_files(self) -> None:
        """Save the files imported with the agenda and the minutes into a folder."""
        papers = self.papers
        found = [p for p in (papers.agenda, papers.minutes) if p and p.has_file] if papers else []
        if not found:
            self.notify("No file was imported with this booking.", severity="warning")
            return
        self.app.push_screen(
            PromptScreen("Save the files to the folder", str(Path.home()), str(Path.home())),
            lambda folder: self._save_to(folder, [p.kind for p in found]),
        )

    def _save_to(self, folder: str | None, kinds: list[str]) -> None:
        if not folder:
            return
        actor = cast(HasContext, self.app).ctx.actor
        appointment_id, where = self.appointment_id, Path(folder).expanduser()

        def save(session: Session) -> list[str]:
            written = []
            for kind in kinds:
                got = booking_documents.paper_file(
                    session, actor, appointment_id=appointment_id, kind=kind
                )
                name = f"{appointment_id}-{kind}-{got.paper.filename}"
                written.append(str(letter_files.write_file(where / name, got.data)))
            return written

        run_db(
            self,
            save,
            done=lambda paths: self.notify(f"Saved {', '.join(paths)}.", markup=False),
            what="saving the files",
        )
