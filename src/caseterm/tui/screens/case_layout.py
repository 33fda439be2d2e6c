"""The case screen's sections as tabs: what each section lists (its table, its columns, its empty
text) and where the contact filters, the Timeline and the Account sit. The case screen
(case_detail.py) places them under its header; case_sections.py has the columns and rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Select, TabbedContent, TabPane

from caseterm.core import clock
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES
from caseterm.tui.account.section import AccountPane
from caseterm.tui.safe import content
from caseterm.tui.screens import case_sections as sections
from caseterm.tui.screens import case_timeline
from caseterm.tui.screens.queues import task_row_class
from caseterm.tui.widgets.paged_table import PagedTable

SECTIONS = (
    "contacts",
    "diary",
    "tasks",
    "parties",
    "documents",
    "history",
    "timeline",
    "account",
)


def compose_sections() -> ComposeResult:
    """The eight section tabs (`1` … `8`), each with its table."""
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
            yield _table(
                "contacts-table",
                sections.CONTACT_COLUMNS,
                lambda r: r.entry.id,
                "No contact entries.",
                sections.contact_row_class,
            )
        with TabPane("2 Diary", id="diary"):
            yield Label(content("Appointments"), classes="section-title")
            yield _table(
                "appointments-table",
                sections.APPOINTMENT_COLUMNS,
                lambda r: r.appointment.id,
                "No appointments.",
            )
            yield Label(content("Reviews and deadlines"), classes="section-title")
            yield _table(
                "reviews-table",
                sections.REVIEW_COLUMNS,
                lambda r: r.id,
                "No reviews or deadlines.",
                sections.review_row_class(clock.today()),
            )
        with TabPane("3 Tasks", id="tasks"):
            yield _table(
                "tasks-table",
                sections.CASE_TASK_COLUMNS,
                lambda r: r.task_id,
                "No tasks.",
                task_row_class,
            )
        with TabPane("4 Parties", id="parties"):
            yield _table(
                "parties-table",
                sections.PARTY_COLUMNS,
                lambda r: (r.person_id, r.role),
                "No other parties.",
            )
        with TabPane("5 Documents", id="documents"):
            yield _table(
                "documents-table",
                sections.DOCUMENT_COLUMNS,
                lambda r: r.id,
                "No documents.",
                sections.document_row_class,
            )
        with TabPane("6 History", id="history"):
            yield _table("history-table", sections.HISTORY_COLUMNS, lambda r: r.id, "No history.")
        with TabPane("7 Timeline", id="timeline"):
            yield case_timeline.TimelineSection()
        with TabPane("8 Account", id="account"):
            yield AccountPane(id="account-pane")


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
