"""One case: the header (reference, subject, status, owner, warnings) always on screen, and its
sections: contact log (newest first, filtered by type and outcome), diary and reviews, tasks,
parties, documents and history. `n` logs a contact; `enter` shows a row in full.

Opening the case goes through `cases.view_case`, which refuses a restricted case the user may
not see (saying whom to ask) and writes the access log; no section is read before it agrees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Label, Select, TabbedContent, TabPane

from caseterm.core import clock
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.core.services import (
    cases,
    diary_views,
    documents,
    history,
    presence,
    reviews,
    tasks,
)
from caseterm.core.services.cases import CaseView
from caseterm.core.services.contacts import ContactFilter
from caseterm.core.services.presence import Editor
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content
from caseterm.tui.screens import case_sections as sections
from caseterm.tui.screens.case_opening import OpenedCase
from caseterm.tui.screens.queues import task_row_class
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.case_header import CaseHeader
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.widgets.top_bar import TopBar

SECTIONS = ("contacts", "diary", "tasks", "parties", "documents", "history")


class CaseDetailScreen(Screen[None]):
    HELP_TITLE = "Case"
    AUTO_FOCUS = "#contacts-table"  # focused before the first frame (not repainted after it)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("n", "new_contact", "New contact", "new_contact"),
        binding("f", "filter", "Filter", "filter_contacts"),
        binding("r", "refresh", "Refresh", "refresh"),
        binding("1", "section('contacts')", "Contact log", "section_contacts", show=False),
        binding("2", "section('diary')", "Diary section", "section_diary", show=False),
        binding("3", "section('tasks')", "Tasks section", "section_tasks", show=False),
        binding("4", "section('parties')", "Parties section", "section_parties", show=False),
        binding("5", "section('documents')", "Documents section", "section_documents", show=False),
        binding("6", "section('history')", "History section", "section_history", show=False),
    ]

    def __init__(self, case: int | str, *, opened: OpenedCase | None = None) -> None:
        super().__init__()
        self._opened = opened  # read before the screen was pushed (screens/case_opening.py)
        self.case_ref = case  # an id, or a reference typed by the user
        self.case_id: int | None = case if isinstance(case, int) else None
        self.view: CaseView | None = None
        self.contact_filter = ContactFilter()
        self._loaded: set[str] = set()
        self._seen_generation = 0
        self._expect_new_entry = False

    @property
    def ctx(self) -> TuiContext:
        ctx: TuiContext = self.app.ctx  # type: ignore[attr-defined]
        return ctx

    def compose(self) -> ComposeResult:
        yield TopBar("Case")
        yield CaseHeader()
        with TabbedContent(id="sections"):
            with TabPane("1 Contacts", id="contacts"):
                with Horizontal(id="contact-filters"):
                    yield Select(
                        [(text, key) for key, text in CONTACT_TYPES.items()],
                        prompt="Any type",
                        compact=True,
                        id="filter-type",
                    )
                    yield Select(
                        [(text, key) for key, text in OUTCOMES.items()],
                        prompt="Any outcome",
                        compact=True,
                        id="filter-outcome",
                    )
                yield self._table(
                    "contacts-table",
                    sections.CONTACT_COLUMNS,
                    lambda r: r.entry.id,
                    "No contact entries.",
                    sections.contact_row_class,
                )
            with TabPane("2 Diary", id="diary"):
                yield Label(content("Appointments"), classes="section-title")
                yield self._table(
                    "appointments-table",
                    sections.APPOINTMENT_COLUMNS,
                    lambda r: r.appointment.id,
                    "No appointments.",
                )
                yield Label(content("Reviews and deadlines"), classes="section-title")
                yield self._table(
                    "reviews-table",
                    sections.REVIEW_COLUMNS,
                    lambda r: r.id,
                    "No reviews or deadlines.",
                    sections.review_row_class(clock.today()),
                )
            with TabPane("3 Tasks", id="tasks"):
                yield self._table(
                    "tasks-table",
                    sections.CASE_TASK_COLUMNS,
                    lambda r: r.task_id,
                    "No tasks.",
                    task_row_class,
                )
            with TabPane("4 Parties", id="parties"):
                yield self._table(
                    "parties-table",
                    sections.PARTY_COLUMNS,
                    lambda r: (r.person_id, r.role),
                    "No other parties.",
                )
            with TabPane("5 Documents", id="documents"):
                yield self._table(
                    "documents-table",
                    sections.DOCUMENT_COLUMNS,
                    lambda r: r.id,
                    "No documents.",
                    sections.document_row_class,
                )
            with TabPane("6 History", id="history"):
                yield self._table(
                    "history-table", sections.HISTORY_COLUMNS, lambda r: r.id, "No history."
                )
        yield KeyBar()

    @staticmethod
    def _table(
        id: str,
        columns: Any,
        key: Callable[[Any], Any],
        empty: str,
        row_class: Callable[[Any], str] | None = None,
    ) -> PagedTable[Any]:
        return PagedTable(
            columns, row_key=key, row_class=row_class, markable=False, empty_text=empty, id=id
        )

    def table(self, id: str) -> PagedTable[Any]:
        return self.query_one(f"#{id}", PagedTable)

    # ---------------------------------------------------------------- opening the case

    def on_mount(self) -> None:
        self.table("contacts-table").focus()
        if self._opened is not None:  # the first frame is the finished one
            self._show_view((self._opened.view, self._opened.editors))
        else:
            self._load_view()

    def _load_view(self) -> None:
        actor, ref = self.ctx.actor, self.case_ref

        def load(session: Session) -> tuple[CaseView, list[Editor]]:
            view = cases.view_case(session, actor, reference_or_id=ref, where="case")
            return view, presence.editors_of(
                session, actor, entity="case", entity_id=view.case.id or 0
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

    def _show_view(self, loaded: tuple[CaseView, list[Editor]]) -> None:
        view, editors = loaded
        first = self.view is None
        self.view = view
        self.case_id = view.case.id
        self._seen_generation = getattr(self.app, "data_generation", 0)
        self.query_one(TopBar).set_title(f"Case {view.case.reference}")
        self.query_one(CaseHeader).show(view, editors)
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
        self.table("parties-table").set_source(*sections.list_source(rows))
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
        elif section == "parties":
            return
        elif section == "history":
            # Reading a restricted case's history is logged, so it needs a writing session.
            restricted = self.view is not None and self.view.case.restricted
            self._read(
                "history-table",
                lambda s, a, c: history.case_history(s, a, c),
                write=restricted,
                what="reading the history",
            )
        elif section == "diary":
            self._read("reviews-table", lambda s, a, c: reviews.reviews_for_case(s, a, c))
            self._read(
                "appointments-table", lambda s, a, c: diary_views.case_appointments(s, a, case_id=c)
            )
        elif section == "tasks":
            self._read("tasks-table", lambda s, a, c: tasks.case_tasks(s, a, case_id=c))
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
            done=lambda rows: table.set_source(*sections.list_source(rows)),
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

    @on(PagedTable.Selected, "#documents-table")
    def _document_selected(self, event: PagedTable.Selected) -> None:
        row, actor = event.row, self.ctx.actor
        run_db(
            self,
            lambda s: documents.read_document(s, actor, row.id).body,
            done=lambda body: self.app.push_screen(
                RecordScreen(*sections.document_record(row, body))
            ),
            what="reading the letter",
            group="document",
            exclusive=True,
        )

    # ---------------------------------------------------------------- actions

    def action_section(self, section: str) -> None:
        self.query_one(TabbedContent).active = section

    def action_new_contact(self) -> None:
        if self.case_id is None:
            return
        self._expect_new_entry = True
        self.app.new_contact(self.case_id)  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        self.refresh_data()

    def refresh_data(self, *, header: bool = True) -> None:
        """Read the header and the open sections again; cursors stay where they are."""
        if self.case_id is None:
            return
        self._seen_generation = getattr(self.app, "data_generation", 0)
        for section in ("history", "diary", "tasks", "documents"):
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
