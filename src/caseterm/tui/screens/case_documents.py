"""The case screen's documents: `l` writes a letter from a template (or the one a "Send letter"
task proposes), `i` attaches a received file (asking whether it closes a "papers to chase"
task and which event it evidences), `s` saves a copy of a received file
(case_document_files.py), and `enter` in the Documents section opens a letter or shows a
received file.

A base of CaseDetailScreen (case_detail.py), which owns the keys; this holds what they do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session
from textual import on
from textual.widgets import TabbedContent

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import RECEIVED_KINDS
from caseterm.core.services import received, received_evidence
from caseterm.tui.dbwork import run_db
from caseterm.tui.screens import case_sections as sections
from caseterm.tui.screens.case_document_files import Evidence, ask_evidence, save_copy
from caseterm.tui.screens.case_tasks import CaseWorkLog
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from caseterm.core.services.cases import CaseView
    from caseterm.tui.context import TuiContext


class CaseDocuments(CaseWorkLog):
    """Letters and received files on the case (the Documents section)."""

    view: CaseView | None

    @property
    def ctx(self) -> TuiContext:
        ctx: TuiContext = self.app.ctx  # type: ignore[attr-defined]
        return ctx

    def refresh_data(self, *, header: bool = True) -> None:
        """Read the case again: the header too unless `header` is false (CaseDetailScreen)."""
        raise NotImplementedError

    @on(PagedTable.Selected, "#documents-table")
    def _document_selected(self, event: PagedTable.Selected) -> None:
        if event.row.kind == "received":
            self._show_received(event.row.id)
            return
        self.app.open_letter(event.row.id, self._letter_closed)  # type: ignore[attr-defined]

    def action_new_letter(self) -> None:
        """A letter from a template (Documents section): pick, see it merged, edit, save; on a
        "Send letter" task in the Tasks section, the letter that task proposes."""
        if self.case_id is None or self.view is None:
            return
        case_id, reference = self.case_id, self.view.case.reference

        def plain() -> None:
            self.app.new_letter(case_id, reference, self._letter_saved)  # type: ignore[attr-defined]

        if not self.open_task_letter(self._letter_saved, plain):  # on a task: its letter, if any
            plain()

    def _show_received(self, document_id: int) -> None:
        actor = self.ctx.actor
        run_db(
            self,
            lambda s: received.get_received(s, actor, document_id=document_id).info,
            done=lambda info: self.app.push_screen(RecordScreen(*sections.received_record(info))),
            what="reading the document",
            write=True,
            group="document",
            exclusive=True,
        )

    def action_attach_document(self) -> None:
        """A received file (PDF, image, Word document, e-mail) attached to the case."""
        if self.case_id is None:
            return
        self.app.push_screen(
            PromptScreen("File to attach (a PDF, image, Word document or e-mail)", "path"),
            self._attach_path,
        )

    def _attach_path(self, path: str | None) -> None:
        if not path:
            return
        kinds = ", ".join(RECEIVED_KINDS)
        self.app.push_screen(
            PromptScreen(f"What is it? ({kinds})", "other", "other"),
            lambda kind: self._ask_papers(path, kind),
        )

    def _ask_papers(self, path: str, kind: str | None) -> None:
        """When the case has an open "papers to chase" task, ask whether these papers close it."""
        if not kind or self.case_id is None:
            return
        actor, case_id = self.ctx.actor, self.case_id

        def evidence(closes: str = "") -> None:
            ask_evidence(self, lambda ev: self._store_attachment(path, kind, closes, ev))

        def asked(chases: list[received_evidence.PapersTask]) -> None:
            if not chases:
                evidence()
                return
            listed = "; ".join(f"{t.id} {t.title[:24]}" for t in chases)
            self.app.push_screen(
                PromptScreen(
                    f"Close a papers-to-chase task (blank: none)? {listed}",
                    "task id",
                    str(chases[0].id),
                ),
                lambda answer: evidence((answer or "").strip()),
            )

        run_db(
            self,
            lambda s: received_evidence.papers_to_chase(s, actor, case_id=case_id),
            done=asked,
            what="reading the papers to chase",
            write=True,
        )

    def _store_attachment(
        self, path: str, kind: str | None, closes: str = "", evidence: Evidence | None = None
    ) -> None:
        if not kind or self.case_id is None:
            return
        ev = evidence or Evidence()
        if closes and not closes.isdigit():
            self.notify(f"Not stored: task id {closes!r} is not a number", severity="error")
            return
        closes_id = int(closes) if closes else None
        actor, case_id, file = self.ctx.actor, self.case_id, Path(path).expanduser()

        def work(s: Session) -> received_evidence.Evidenced:
            try:
                data = file.read_bytes()
            except OSError as err:
                raise ValidationError("file", f"cannot read {file}: {err.strerror}") from None
            return received_evidence.receive_document(
                s, actor, case_id=case_id, filename=file.name, data=data, kind=kind,
                closes_task_id=closes_id, event_id=ev.event_id, event_kind=ev.event_kind,
                event_date=ev.event_date,
            )  # fmt: skip

        run_db(
            self,
            work,
            write=True,
            done=self._attached,
            what="storing the document",
            group="attach",
        )

    def _attached(self, done: received_evidence.Evidenced) -> None:
        info = done.document
        self.notify(
            f"Stored {info.filename} ({info.size:,} bytes)"
            + (f", evidence of event #{done.event_id}" if done.event_id else ""),
            markup=False,
        )
        self.query_one(TabbedContent).active = "documents"
        self.refresh_data(header=False)

    def action_save_document(self) -> None:
        """A copy of the received document under the cursor, saved as a file (`s`)."""
        save_copy(self)

    def _letter_closed(self, _: None) -> None:
        self.refresh_data(header=False)

    def _letter_saved(self, document_id: int | None) -> None:
        if document_id is None:
            return
        self.query_one(TabbedContent).active = "documents"
        self.refresh_data(header=False)
