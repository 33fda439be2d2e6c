"""One letter: its state, who drafted and checked it, its hash and its text (plain), and what
may be done next. The maker `s` submits it for checking and `e` edits a draft's or a rejected
letter's wording; a checker `a` approves it (the text they are reading, by its hash) or `x`
rejects it with a reason; once approved, `i` issues it and records how it went (its PDF made
before the issue's transaction, so the write lock is never held while a PDF is made). `p` and
`w` save it as a PDF or Word file with the letterhead; `o` opens the case. Every refusal (the maker
approving, a changed letter, an unapproved one) is shown here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.rules.catalogue import DISPATCH_VIA, DOCUMENT_STATUSES
from caseterm.core.services import letter_approval, letter_issue, letter_views, letters
from caseterm.core.services.letter_records import LetterInfo
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.letters.pdf_warm import warm_pdf
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain_lines, template, uk_date, uk_datetime
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from caseterm.core.letter_files import LetterPage, RenderedLetter

# action -> the states it applies to
WHEN: dict[str, tuple[str, ...]] = {
    "submit": (DocumentStatus.DRAFT, DocumentStatus.REJECTED),
    "edit": (DocumentStatus.DRAFT, DocumentStatus.REJECTED),
    "approve": (DocumentStatus.SUBMITTED,),
    "reject": (DocumentStatus.SUBMITTED,),
    "issue": (DocumentStatus.CHECKED,),
}


def letter_fields(x: LetterInfo) -> list[tuple[str, str]]:
    fields = [
        ("Status", DOCUMENT_STATUSES.get(x.status, x.status)),
        ("Template", f"{x.template_code or '—'} version {x.template_version or '—'}"),
        ("To", x.recipient.replace("\n", ", ") or "as addressed in the letter"),
        ("Drafted by", x.created_by or "—"),
    ]
    if x.submitted_at:
        fields.append(("Submitted", uk_datetime(x.submitted_at)))
    if x.checked_by:
        fields.append(("Checked by", f"{x.checked_by} at {uk_datetime(x.checked_at)}"))
    if x.reject_reason:
        fields.append(("Rejected", x.reject_reason))
    if x.issued_at:
        fields.append(
            ("Issued", f"{uk_datetime(x.issued_at)}, {x.via} on {uk_date(x.dispatched_on)}")
        )
    fields.append(("SHA-256", x.sha256))
    return fields


class LetterScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("letters.tcss")
    HELP_TITLE = "Letter"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("s", "submit", "Submit for checking", "letter_submit"),
        binding("e", "edit", "Edit wording", "letter_edit"),
        binding("a", "approve", "Approve", "letter_approve"),
        binding("x", "reject", "Reject", "letter_reject"),
        binding("i", "issue", "Issue", "letter_issue"),
        binding("p", "save_file('pdf')", "Save as PDF", "letter_save_pdf"),
        binding("w", "save_file('docx')", "Save as Word", "letter_save_docx"),
        binding("o", "open_case", "Open case", "letter_open_case"),
        binding("escape,q", "close", "Close", "letter_close"),
    ]

    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id
        self.letter: LetterInfo | None = None

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        yield TopBar(f"Letter #{self.document_id}")
        yield Vertical(id="lv-fields")
        with VerticalScroll(id="lv-body"):
            yield Static("Reading…", id="lv-text", markup=False)
        yield Static("", id="lv-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        warm_pdf(self)
        self._load()

    def on_data_changed(self, _message: DataChanged) -> None:
        self._load()

    def _load(self) -> None:
        actor, document_id = self.ctx.actor, self.document_id
        run_db(
            self,
            lambda s: letters.show_letter(s, actor, document_id=document_id),
            done=self._show,
            what="reading the letter",
            write=True,
            group="letter",
            exclusive=True,
        )

    def _show(self, letter: LetterInfo) -> None:
        self.letter = letter
        fields = letter_fields(letter)
        width = max(len(name) for name, _ in fields)
        box = self.query_one("#lv-fields", Vertical)
        box.remove_children()
        box.mount(
            Static(template("[b]$title[/b] · $ref", title=letter.title, ref=letter.reference))
        )
        for name, value in fields:
            box.mount(Static(template("[dim]$n[/dim] $v", n=f"{name:<{width}}", v=value)))
        self.query_one("#lv-text", Static).update(plain_lines(letter.body))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        states = WHEN.get(action)
        if states is None:
            return True
        if self.letter is None or self.letter.status not in states:
            return False
        if action in ("approve", "reject"):
            return self.ctx.actor.has("document.check") and (
                self.letter.created_by_id != self.ctx.actor.id
            )
        return True

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#lv-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _act(
        self,
        what: str,
        work: object,
        done_text: str,
        then: Callable[[LetterInfo], object] | None = None,
    ) -> None:
        def done(letter: LetterInfo) -> None:
            self._show(letter)
            self._status(done_text)
            self.notify(done_text, timeout=3, markup=False)
            if then is not None:
                then(letter)

        run_db(
            self,
            work,  # type: ignore[arg-type]
            done=done,
            failed=lambda error: self._status(f"Not done: {describe_error(error)}", error=True),
            write=True,
            what=what,
            group="letter-act",
            exclusive=True,
        )

    def _version(self) -> int | None:
        return self.letter.version if self.letter else None

    def action_submit(self) -> None:
        actor, doc, version = self.ctx.actor, self.document_id, self._version()
        self._act(
            "submitting the letter",
            lambda s: letters.submit_letter(s, actor, document_id=doc, expected_version=version),
            "Submitted for checking",
        )

    def action_approve(self) -> None:
        if self.letter is None:
            return
        actor, doc, seen = self.ctx.actor, self.document_id, self.letter.sha256
        version = self._version()
        self._act(
            "approving the letter",
            lambda s: letter_approval.approve_letter(
                s, actor, document_id=doc, seen_hash=seen, expected_version=version
            ),
            "Approved: its text is frozen",
        )

    def action_reject(self) -> None:
        self.app.push_screen(
            PromptScreen("Why is it rejected? (the maker sees this)", "reason (required)"),
            self._rejected,
        )

    def _rejected(self, reason: str | None) -> None:
        if not reason:
            self._status("Not rejected: a reason is required", error=True)
            return
        actor, doc, version = self.ctx.actor, self.document_id, self._version()
        self._act(
            "rejecting the letter",
            lambda s: letter_approval.reject_letter(
                s, actor, document_id=doc, reason=reason, expected_version=version
            ),
            "Rejected: back to its maker",
        )

    def action_issue(self) -> None:
        self.app.push_screen(
            PromptScreen(f"How does it go? ({', '.join(DISPATCH_VIA)})", "post", "post"),
            self._issue_via,
        )

    def _issue_via(self, via: str | None) -> None:
        """Issuing goes in three steps so the write lock is held only for the writes: the
        letter's page is read, its PDF made in a thread (waiting, if it must, for the engine's
        warm-up), then the issue's transaction stores it. A page that cannot be read goes
        straight to the issue, which refuses it with the reason."""
        if not via:
            return
        actor, doc = self.ctx.actor, self.document_id
        self._status("Making the letter's PDF…")
        run_db(
            self,
            lambda s: letter_views.letter_pages(s, actor, document_ids=[doc]),
            done=lambda pages: self._render_then_issue(via, pages[0]),
            failed=lambda _error: self._issue_rendered(via, None),
            what="reading the letter to issue",
            group="letter-act",
            exclusive=True,
        )

    def _render_then_issue(self, via: str, page: LetterPage) -> None:
        from caseterm.core.letter_files import render_letter

        def render() -> None:
            try:
                rendered: RenderedLetter | None = render_letter(page)
            except Exception:  # made again, and any error reported, inside the issue
                rendered = None
            self.app.call_from_thread(self._issue_rendered, via, rendered)

        self.run_worker(render, thread=True, group="letter-render", exclusive=True)

    def _issue_rendered(self, via: str, rendered: RenderedLetter | None) -> None:
        actor, doc, version = self.ctx.actor, self.document_id, self._version()
        self._act(
            "issuing the letter",
            lambda s: letter_issue.issue_letter(
                s, actor, document_id=doc, via=via, expected_version=version, rendered=rendered
            ),
            f"Issued ({via}); logged as a letter out",
            then=lambda _letter: self._save_issued(doc),
        )

    def _save_issued(self, doc: int) -> None:
        """Once the issue is committed, a copy of its PDF goes into the letters folder, when the
        config file names one."""
        from caseterm.core.storage.letter_store import save_issued

        actor = self.ctx.actor

        def saved(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Saved {path}", timeout=4, markup=False)

        run_db(
            self,
            lambda s: save_issued(s, actor, document_id=doc),
            done=saved,
            failed=lambda error: self._status(
                f"Issued, but not saved to the letters folder: {describe_error(error)}", error=True
            ),
            what="saving the letter's PDF",
            group="letter-save",
        )

    def action_edit(self) -> None:
        if self.letter is None:
            return
        from caseterm.tui.letters.draft_screen import LetterDraftScreen

        self.app.push_screen(
            LetterDraftScreen(self.letter.case_id, self.letter.reference, self.document_id),
            lambda _saved: self._load(),
        )

    def action_save_file(self, kind: str) -> None:
        """The letter as a PDF or Word file with the letterhead (private, never overwriting)."""
        if self.letter is None:
            return
        from caseterm.tui.screens.export_file import ask_and_write

        actor, doc = self.ctx.actor, self.document_id

        def write(session: Session, path: Path) -> int:
            from caseterm.core import letter_files

            pages = letter_views.letter_pages(session, actor, document_ids=[doc])
            data = (
                letter_files.pdf_bytes(pages) if kind == "pdf" else letter_files.docx_bytes(pages)
            )
            letter_files.write_file(path, data)
            return len(pages)

        from caseterm.core.letter_files import letters_folder

        ref = self.letter.reference.replace("/", "-")
        ask_and_write(
            self,
            what=f"letter #{doc}",
            default_name=f"{ref}-letter-{doc}.{kind}",
            folder=letters_folder(),
            write=write,
            counted="letter",
        )

    def action_open_case(self) -> None:
        if self.letter is not None:
            cast(HasContext, self.app).open_case(self.letter.case_id)

    def action_close(self) -> None:
        self.dismiss(None)
