"""One case: the header (reference, subject, status, owner, warnings) always on screen, and its
sections: contact log (newest first, filtered by type and outcome), diary and reviews, tasks,
parties, documents and history. `n` logs a contact; `enter` shows a row in full; `e` corrects a
contact entry; the Tasks section acts as a queue does and `A` adds a task (case_tasks.py).
The sections' tabs and tables are laid out in case_layout.py; letters and received files
(`l`, `i`, the Documents section) are case_documents.py; the lifecycle dialogs tui/case_edit.

Opening the case goes through `cases.view_case`, which refuses a restricted case the user may
not see (saying whom to ask) and writes the access log; no section is read before it agrees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Select, TabbedContent

from caseterm.core.errors import StaleEditError
from caseterm.core.services import (
    accounts,
    cases,
    diary_views,
    documents,
    history,
    presence,
    reviews,
    task_lists,
    verification,
)
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.cases import CaseView
from caseterm.core.services.contacts import ContactFilter
from caseterm.core.services.presence import Editor
from caseterm.tui.account.actions import reverse_selected, take_payment
from caseterm.tui.account.section import AccountPane
from caseterm.tui.case_edit import actions as lifecycle
from caseterm.tui.case_edit.state import show_state as show_lifecycle_state
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.screens import case_reviews, case_timeline
from caseterm.tui.screens import case_sections as sections
from caseterm.tui.screens.case_documents import CaseDocuments
from caseterm.tui.screens.case_layout import compose_sections
from caseterm.tui.screens.case_opening import OpenedCase
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.case_header import CaseHeader
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.widgets.top_bar import TopBar

# The case lifecycle (issue 12): each key's dialog lives in tui/case_edit/actions.py.
LIFECYCLE_ACTIONS: dict[str, Callable[[Any], None]] = {
    "edit_case": lifecycle.edit_case,
    "close_case": lifecycle.close_case,
    "transfer": lifecycle.transfer,
    "reopen_case": lifecycle.reopen_case,
    "add_party": lifecycle.add_party,
    "link_case": lifecycle.link_case,
    "file_location_form": lifecycle.file_location_form,
}
LIFECYCLE_BINDINGS = [
    binding("U", "lifecycle('edit_case')", "Edit case", "edit_case", show=False),
    binding("C", "lifecycle('close_case')", "Close case", "close_case", show=False),
    binding("X", "lifecycle('transfer')", "Transfer", "transfer_case", show=False),
    binding("O", "lifecycle('reopen_case')", "Reopen case", "reopen_case", show=False),
    binding("W", "lifecycle('add_party')", "Add party", "add_party", show=False),
    binding("L", "lifecycle('link_case')", "Link case", "link_case", show=False),
    binding("D", "remove_party", "Remove party or link", "remove_party", show=False),
    binding("F", "lifecycle('file_location_form')", "Paper file", "file_location", show=False),
]


class CaseDetailScreen(CaseDocuments):
    HELP_TITLE = "Case"
    # Eight section tabs need 89 columns with Textual's padding; narrower, they close up to one
    # space apart (80 columns) so none is cut off.
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (90, "-wide"),
    ]
    AUTO_FOCUS = "#contacts-table"  # focused before the first frame (not repainted after it)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("n", "new_contact", "New contact", "new_contact"),
        binding("l", "new_letter", "Letter", "new_letter"),
        binding("i", "attach_document", "Attach received file", "attach_document", show=False),
        binding("s", "save_document", "Save a copy…", "save_document", show=False),
        binding("f", "filter", "Filter", "filter_contacts", show=False),
        binding("r", "refresh", "Refresh", "refresh", show=False),
        binding("p", "open_person", "Person", "case_open_person"),
        binding("1", "section('contacts')", "Contact log", "section_contacts", show=False),
        binding("2", "section('diary')", "Diary section", "section_diary", show=False),
        binding("3", "section('tasks')", "Tasks section", "section_tasks", show=False),
        binding("4", "section('parties')", "Parties section", "section_parties", show=False),
        binding("5", "section('documents')", "Documents section", "section_documents", show=False),
        binding("6", "section('history')", "History section", "section_history", show=False),
        binding("7", "section('timeline')", "Timeline section", "section_timeline", show=False),
        binding("E", "record_event", "Record event", "record_event"),
        binding("8", "section('account')", "Account section", "section_account", show=False),
        binding("dollar_sign", "take_payment", "Take payment", "take_payment", show=False),
        *LIFECYCLE_BINDINGS,
        binding(
            "x", "reverse_transaction", "Reverse transaction", "reverse_transaction", show=False
        ),
        binding("V", "add_review", "Add review", "add_review", show=False),
        binding("Z", "cancel_review", "Cancel review", "cancel_review", show=False),
    ]

    def __init__(
        self, case: int | str, *, opened: OpenedCase | None = None, section: str | None = None
    ) -> None:
        super().__init__()
        self._first_section = section  # the section shown first (an Enforcement task: account)
        self._opened = opened  # read before the screen was pushed (screens/case_opening.py)
        self.case_ref = case  # an id, or a reference typed by the user
        self.case_id: int | None = case if isinstance(case, int) else None
        self.view: CaseView | None = None
        self.contact_filter = ContactFilter()
        self._loaded: set[str] = set()
        self._seen_generation = 0
        self._expect_new_entry = False

    def compose(self) -> ComposeResult:
        yield TopBar("Case")
        yield CaseHeader()
        yield from compose_sections()
        yield KeyBar()

    def table(self, id: str) -> PagedTable[Any]:
        return self.query_one(f"#{id}", PagedTable)

    # ---------------------------------------------------------------- opening the case

    def on_mount(self) -> None:
        focus_now(self.table("contacts-table"))
        if self._first_section:
            self.query_one(TabbedContent).active = self._first_section
        if self._opened is not None:  # the first frame is the finished one
            opened = self._opened
            self._show_view((opened.view, opened.editors, opened.verified, opened.account))
        else:
            self._load_view()

    def _load_view(self) -> None:
        actor, ref = self.ctx.actor, self.case_ref

        def load(session: Session) -> tuple[CaseView, list[Editor], str, AccountView | None]:
            view = cases.view_case(session, actor, reference_or_id=ref, where="case")
            return (
                view,
                presence.editors_of(session, actor, entity="case", entity_id=view.case.id or 0),
                verification.verified_summary(session, view.subject.id or 0),
                accounts.account_if_any(session, actor, case_id=view.case.id or 0),
            )

        run_db(
            self,
            load,
            done=self._show_view,
            failed=self._refused,
            write="if_needed",  # writes only to log a view of a restricted case
            what="opening the case",
            group="case-view",
            exclusive=True,
        )

    def _refused(self, error: Exception) -> None:
        self.app.notify(
            describe_error(error),
            title="Cannot open the case",
            severity="warning",
            timeout=10,
            markup=False,
        )
        self.query_one(CaseHeader).show_message(describe_error(error))
        if self.is_current:
            self.app.pop_screen()

    def _show_view(self, loaded: tuple[CaseView, list[Editor], str, AccountView | None]) -> None:
        view, editors, verified, account = loaded
        self.query_one(AccountPane).show(account)
        first = self.view is None
        self.view = view
        self.case_id = view.case.id
        self._seen_generation = getattr(self.app, "data_generation", 0)
        self.query_one(TopBar).set_title(f"Case {view.case.reference}")
        money = account.header_text() if account else ""
        self.query_one(CaseHeader).show(view, editors, verified, money)
        case_timeline.show_deadline(self)
        show_lifecycle_state(self)  # closing, transfer pending, paper file (issue 12)
        self._show_parties(view)
        if first:
            self._load_contacts()
        self._load_section(self.query_one(TabbedContent).active or "contacts", again=not first)

    # ---------------------------------------------------------------- sections

    def _load_contacts(self) -> None:
        assert self.case_id is not None
        if self._opened is not None:
            self.table("contacts-table").prime(self._opened.contacts)
            self._opened = None
        self.table("contacts-table").set_source(
            *sections.contact_source(self.ctx, self.case_id, self.contact_filter)
        )
        self._loaded.add("contacts")

    def _show_parties(self, view: CaseView) -> None:
        subject = view.subject
        rows = [
            sections.PartyRow(
                subject.id or 0, "Subject", subject.full_name, subject.date_of_birth, ""
            )
        ]
        rows += [
            sections.PartyRow(p.id or 0, party.role, p.full_name, p.date_of_birth, party.notes)
            for party, p in view.parties
        ]
        rows += [
            sections.PartyRow(0, f"Linked case {c.reference}", "", None, c.status)
            for c in view.links
        ]
        self.table("parties-table").show_rows(rows, again=True)
        self._loaded.add("parties")

    @on(TabbedContent.TabActivated, "#sections")
    def _section_shown(self, event: TabbedContent.TabActivated) -> None:
        section = event.pane.id or ""
        self._load_section(section)
        tables = event.pane.query(PagedTable)
        if tables:
            tables.first().focus()

    def _load_section(self, section: str, *, again: bool = False) -> None:
        if self.case_id is None or (section in self._loaded and not again):
            return
        if section == "contacts":
            self.table("contacts-table").reload()
        elif section in ("parties", "account"):
            return  # read with the header
        elif section == "history":
            # Reading a restricted case's history is logged, so it needs a writing session.
            restricted = self.view is not None and self.view.case.restricted
            self._read(
                "history-table",
                lambda s, a, c: history.case_history(s, a, case_id=c),
                write=restricted,
                what="reading the history",
            )
        elif section == "diary":
            self._read("reviews-table", lambda s, a, c: reviews.reviews_for_case(s, a, c))
            self._read(
                "appointments-table", lambda s, a, c: diary_views.case_appointments(s, a, case_id=c)
            )
        elif section == "tasks":
            self._read("tasks-table", lambda s, a, c: task_lists.case_tasks(s, a, case_id=c))
        elif section == "timeline":
            case_timeline.load(self)
        elif section == "documents":
            self._read(
                "documents-table",
                lambda s, a, c: documents.list_documents(s, a, c),
                what="reading the documents",
            )
        self._loaded.add(section)

    def _read(
        self,
        table_id: str,
        read: Callable[[Session, Any, int], list[Any]],
        *,
        write: bool = False,
        what: str = "",
    ) -> None:
        actor, case_id = self.ctx.actor, self.case_id
        assert case_id is not None
        table = self.table(table_id)
        run_db(
            self,
            lambda s: read(s, actor, case_id),
            done=lambda rows: table.show_rows(rows, again=True),
            write=write,
            what=what,
            group=table_id,
            exclusive=True,
        )

    # ---------------------------------------------------------------- the contact filter

    @on(Select.Changed, "#filter-type")
    @on(Select.Changed, "#filter-outcome")
    def _filter_changed(self) -> None:
        kind = self.query_one("#filter-type", Select).value
        outcome = self.query_one("#filter-outcome", Select).value
        self.contact_filter = ContactFilter(
            contact_type=kind if isinstance(kind, str) else None,
            outcome=outcome if isinstance(outcome, str) else None,
        )
        if self.case_id is not None:
            self._load_contacts()

    def action_filter(self) -> None:
        self.query_one(TabbedContent).active = "contacts"
        self.query_one("#filter-type", Select).focus()

    # ---------------------------------------------------------------- rows in full

    @on(PagedTable.Selected, "#contacts-table")
    def _contact_selected(self, event: PagedTable.Selected) -> None:
        self.app.push_screen(RecordScreen(*sections.contact_record(event.row)))

    @on(PagedTable.Selected, "#history-table")
    def _history_selected(self, event: PagedTable.Selected) -> None:
        self.app.push_screen(RecordScreen(*sections.history_record(event.row)))

    # ---------------------------------------------------------------- actions

    def action_section(self, section: str) -> None:
        self.query_one(TabbedContent).active = section

    def action_new_contact(self) -> None:
        if self.case_id is not None:
            lifecycle.new_contact(self, self._open_contact_form)

    def _open_contact_form(self, to_closed_case: bool) -> None:
        assert self.case_id is not None
        self._expect_new_entry = True
        if not to_closed_case:
            self.app.new_contact(self.case_id)  # type: ignore[attr-defined]
            return
        from caseterm.tui.contact_entry.screen import ContactEntryScreen

        self.app.push_screen(ContactEntryScreen(self.case_id, to_closed_case=True))

    def action_lifecycle(self, name: str) -> None:
        LIFECYCLE_ACTIONS[name](self)

    def show_stale(
        self, error: StaleEditError, mine: Mapping[str, str], load_theirs: Any, then: Any
    ) -> None:
        """Someone changed the case since a form read it: reload, compare or cancel."""
        self.app.push_screen(StaleScreen(error, mine=mine, load_theirs=load_theirs), then)

    def action_remove_party(self) -> None:
        self.query_one(TabbedContent).active = "parties"
        row = self.table("parties-table").current_row
        if row is not None:
            lifecycle.remove_row(self, row.person_id, row.role)

    def action_add_review(self) -> None:
        case_reviews.add(self)

    def action_cancel_review(self) -> None:
        case_reviews.cancel(self)

    def action_record_event(self) -> None:
        case_timeline.record(self)

    def action_take_payment(self) -> None:
        take_payment(self, self.query_one(AccountPane).view, self.refresh_data)

    def action_reverse_transaction(self) -> None:
        self.query_one(TabbedContent).active = "account"
        reverse_selected(self, self.refresh_data)

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_open_person(self) -> None:
        """The subject's person screen (the master record)."""
        if self.view is None:
            return
        from caseterm.tui.person.screen import PersonScreen

        self.app.push_screen(PersonScreen(self.view.subject.id or 0))

    def refresh_data(self, *, header: bool = True) -> None:
        """Read the header and the open sections again; cursors stay where they are."""
        if self.case_id is None:
            return
        self._seen_generation = getattr(self.app, "data_generation", 0)
        for section in ("history", "diary", "tasks", "documents", "timeline"):
            self._loaded.discard(section)
        if header:
            self._load_view()
        else:
            self._load_section(self.query_one(TabbedContent).active or "contacts", again=True)

    def on_data_changed(self, _message: DataChanged) -> None:
        # Each view of a restricted case is logged: refresh its header only when asked (r).
        restricted = self.view is not None and self.view.case.restricted
        self.refresh_data(header=not restricted)

    def on_screen_resume(self) -> None:
        if self._expect_new_entry:
            # Back from the contact form: the new entry goes at the top of the log.
            self._expect_new_entry = False
            self.query_one(TabbedContent).active = "contacts"
            contacts_table = self.table("contacts-table")
            contacts_table.move_cursor(0)
            contacts_table.reload()
            contacts_table.focus()
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.refresh_data()
