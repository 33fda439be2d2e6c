"""The contact log entry form: type and outcome on single keys, a natural date/time, notes and a
sensitive flag. What is typed is kept as a draft in the database within half a second (the
shared `DraftKeeper`), so a killed terminal loses nothing: opening the form for the same case
offers it back. While it is open, colleagues see "… is editing this case", and it shows theirs.
`ctrl+s` appends the entry (and drops the draft in the same transaction) and dismisses with the
new entry's id."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static, TextArea

from caseterm.core.errors import RestrictedError, ValidationError
from caseterm.core.rules.catalogue import CONTACT_TYPE_KEYS
from caseterm.core.services import cases, contacts
from caseterm.core.services.presence import Editor
from caseterm.tui.contact_entry.drafts import DRAFT_KIND, ContactForm, draft_summary
from caseterm.tui.contact_entry.keys import ContactOutcomeKeys, ContactTypeKeys
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.forms.editing import EditingPresence, editors_notice
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainTextArea, scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar
from caseterm.tui.widgets.when_input import WhenInput

# Service field names -> the form field whose error line shows the message.
FIELD_OF = {
    "contact_type": "type",
    "outcome": "outcome",
    "occurred_at": "when",
    "when": "when",
    "notes": "notes",
}


class ContactEntryScreen(Screen[int | None]):
    """New contact entry for one case; dismisses with the entry id, or None if left unsaved."""

    CSS_PATH = Path(__file__).with_name("contact_entry.tcss")
    HELP_TITLE = "Contact entry"
    IS_FORM = True  # the app's search/diary keys are off while it is open
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "save"),
        binding("escape", "back", "Back", "back"),
        binding("ctrl+t", "focus_field('ce-type')", "Type", "focus_type"),
        binding("ctrl+o", "focus_field('ce-outcome')", "Outcome", "focus_outcome"),
        binding("ctrl+n", "focus_field('ce-notes')", "Notes", "focus_notes"),
        binding("ctrl+r", "toggle_sensitive", "Sensitive", "toggle_sensitive"),
    ]

    def __init__(self, case_id: int, *, to_closed_case: bool = False) -> None:
        super().__init__()
        self.case_id = case_id
        self.to_closed_case = to_closed_case  # the user said yes to adding to a closed case
        self._sensitive = False
        self.keeper = DraftKeeper(
            self,
            kind=DRAFT_KIND,
            key=str(case_id),
            current=self._draft_data,
            restore=self._restore,
            describe=draft_summary,
            question="Unsaved contact entry found",
            note=self._draft_note,
            kept_words="not yet in the case",
        )
        self.editing = EditingPresence(
            self, entity="case", entity_id=case_id, show=self._show_editors
        )

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(f"New contact entry · case {self.case_id}")
        yield Static("", id="ce-editing", classes="-empty", markup=False)
        with Vertical(id="ce-form"):
            yield ContactTypeKeys(then_focus="#ce-outcome", id="ce-type")
            yield Static("", id="ce-type-error", classes="ce-error -empty", markup=False)
            yield ContactOutcomeKeys("", then_focus="#ce-notes", id="ce-outcome")
            yield Static("", id="ce-outcome-error", classes="ce-error -empty", markup=False)
            with Horizontal(classes="ce-row"):
                yield Label("When", classes="ce-label")
                yield WhenInput("now", field="occurred_at", id="ce-when")
            yield Static("", id="ce-when-error", classes="ce-error -empty", markup=False)
            yield PlainTextArea(
                "",
                id="ce-notes",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Notes (enter for a new line; ctrl+s saves)",
            )
            yield Static("", id="ce-notes-error", classes="ce-error -empty", markup=False)
            with Horizontal(id="ce-flags"):
                yield Static("", id="ce-sensitive", markup=False)
                yield Static("", id="ce-draft", markup=False)
        yield Static("", id="ce-status", markup=False)
        yield KeyBar()

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def on_mount(self) -> None:
        self.query_one("#ce-notes", TextArea).border_title = "Notes"
        self._set_sensitive(False)
        focus_now(self.query_one("#ce-type", ContactTypeKeys))
        if not self.ctx.actor.has("contact.log"):
            self._status(
                f"You may not log contacts (roles: {', '.join(sorted(self.ctx.actor.roles))})",
                error=True,
            )
        self._load_case()
        self.keeper.start()
        self.editing.start()

    def on_unmount(self) -> None:
        self.keeper.shut()
        self.editing.stop()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.editing.refresh()

    # -- reading the form ----------------------------------------------------------------------

    def _form(self) -> ContactForm:
        return ContactForm(
            contact_type=self.query_one("#ce-type", ContactTypeKeys).value,
            outcome=self.query_one("#ce-outcome", ContactOutcomeKeys).value or "",
            when=self.query_one("#ce-when", WhenInput).text,
            notes=self.query_one("#ce-notes", TextArea).text,
            sensitive=self._sensitive,
        )

    def _draft_data(self) -> dict[str, Any] | None:
        return self._form().as_draft(self.query_one("#ce-when", WhenInput).value)

    def _fill(self, form: ContactForm) -> None:
        self.query_one("#ce-type", ContactTypeKeys).value = form.contact_type
        self.query_one("#ce-outcome", ContactOutcomeKeys).value = form.outcome
        self.query_one("#ce-when", WhenInput).text = form.when
        self.query_one("#ce-notes", TextArea).load_text(form.notes)
        self._set_sensitive(form.sensitive)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#ce-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _field_error(self, field: str, text: str) -> None:
        label = self.query_one(f"#ce-{field}-error", Static)
        label.update(content(text))
        label.set_class(not text, "-empty")

    def _clear_errors(self) -> None:
        for field in ("type", "outcome", "when", "notes"):
            self._field_error(field, "")

    def _show_editors(self, editors: list[Editor]) -> None:
        line = self.query_one("#ce-editing", Static)
        line.update(content(editors_notice(editors)))
        line.set_class(not editors, "-empty")

    # -- loading: the case header; the draft is the keeper's --------------------------------------

    def _load_case(self) -> None:
        actor, case_id = self.ctx.actor, self.case_id
        run_db(
            self,
            # Views and refusals of restricted cases go to the access log; any other case is
            # read without waiting for a colleague's write.
            lambda s: cases.view_case(s, actor, reference_or_id=case_id, where="contact"),
            done=self._case_loaded,
            failed=self._case_refused,
            write="if_needed",
            what="opening the case",
            group="contact-load",
        )

    def _case_loaded(self, view: cases.CaseView) -> None:
        title = f"New contact entry · {view.case.reference} · {view.subject.full_name}"
        self.query_one(TopBar).set_title(title)

    def _case_refused(self, error: Exception) -> None:
        if not self.ctx.actor.has("contact.log"):
            return  # the status line already says why nothing can be saved here
        if isinstance(error, RestrictedError):
            self._status(f"{error}: you cannot log contacts on this case", error=True)
        else:
            self._status(describe_error(error), error=True)

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        self._fill(ContactForm.from_draft(data))
        self._status("Draft restored: ctrl+s saves it to the case")
        notes = self.query_one("#ce-notes", TextArea)
        notes.move_cursor(notes.document.end)
        notes.focus()

    # -- as you type ----------------------------------------------------------------------------

    @on(ContactTypeKeys.Picked, "#ce-type")
    def _type_picked(self) -> None:
        self._field_error("type", "")
        self.keeper.changed()

    @on(ContactOutcomeKeys.Picked, "#ce-outcome")
    def _outcome_picked(self) -> None:
        self._field_error("outcome", "")
        self.keeper.changed()

    @on(WhenInput.Changed, "#ce-when")
    def _when_changed(self) -> None:
        self._field_error("when", "")
        self.keeper.changed()

    @on(TextArea.Changed, "#ce-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        if not scrub_text_area(event.text_area):  # else its own Changed follows
            self.keeper.changed()

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#ce-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    # -- saving ------------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        self._clear_errors()
        form = self._form()
        problems = False
        if form.contact_type is None:
            keys = ", ".join(f"{k} {v.replace('_', ' ')}" for k, v in CONTACT_TYPE_KEYS.items())
            self._field_error("type", f"Pick a type with ctrl+t then its key ({keys})")
            problems = True
        try:
            occurred_at = self.query_one("#ce-when", WhenInput).parse()
        except ValidationError as exc:
            self._field_error("when", exc.reason)
            problems = True
        if problems:
            self._status("Not saved: see the messages above", error=True)
            return
        kind = form.contact_type
        assert kind is not None
        actor, case_id = self.ctx.actor, self.case_id

        def work(session: Session) -> int:
            entry = contacts.log_contact(
                session,
                actor,
                case_id=case_id,
                contact_type=kind,
                outcome=form.outcome,
                notes=form.notes,
                occurred_at=occurred_at,
                sensitive=form.sensitive,
                to_closed_case=self.to_closed_case,
            )
            return entry.id or 0

        self._status("Saving…")
        self.keeper.save(
            work, done=self._saved, failed=self._save_failed, what="saving the contact entry"
        )

    def _saved(self, entry_id: int) -> None:
        self.notify("Contact entry saved", timeout=3)
        self.dismiss(entry_id)

    def _save_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError) and error.field in FIELD_OF:
            self._field_error(FIELD_OF[error.field], error.reason)
            self._status("Not saved: see the message above (nothing you typed is lost)", error=True)
        else:
            self._status(f"Not saved: {describe_error(error)}", error=True)

    # -- other keys --------------------------------------------------------------------------------

    def action_focus_field(self, field_id: str) -> None:
        self.query_one(f"#{field_id}").focus()

    def action_toggle_sensitive(self) -> None:
        self._set_sensitive(not self._sensitive)
        self.keeper.changed()

    def _set_sensitive(self, sensitive: bool) -> None:
        self._sensitive = sensitive
        # Words and reverse video, not colour alone: readable in 16 colours and with NO_COLOR.
        shown = (
            Content.assemble(("Sensitive", "bold"), "  ", (" YES ", "bold reverse"))
            if sensitive
            else Content.assemble(("Sensitive", "bold"), "  no")
        )
        self.query_one("#ce-sensitive", Static).update(shown + " (ctrl+r)")

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this contact entry?",
            "It has not been saved to the case.",
            lambda: self.dismiss(None),
        )


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    ContactEntryScreen,
    ContactTypeKeys,
    ContactOutcomeKeys,
    RestoreDraftModal,
    LeaveFormModal,
)
