"""Opening a case in one frame: read first, then show.

The case screen used to be pushed at once and fill itself in: an empty "Loading the case…"
frame, then the header, then "Loading…" in the log, then the log's rows — four paintings of
most of the terminal, about two full frames over SSH. Here the case (`cases.view_case`, which
refuses a restricted case and writes the access log), who else is editing it and the contact
log's first page are read while the screen the user is on stays put, and the case screen is
pushed with them, so that its first frame is its finished one. A refusal is a notification
and the user stays where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from textual.app import App

from caseterm.core.services import accounts, cases, contacts, presence, verification
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.cases import CaseView
from caseterm.core.services.contacts import ContactFilter, ContactRow
from caseterm.core.services.identity import Actor
from caseterm.core.services.presence import Editor
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.widgets.paged_table import FirstPage, PagedTable


@dataclass(frozen=True)
class OpenedCase:
    """What the case screen shows in its first frame."""

    view: CaseView
    editors: list[Editor]
    contacts: FirstPage[ContactRow]  # the unfiltered contact log's first page, and its length
    verified: str  # what was verified about the subject (the header says it)
    account: AccountView | None  # the fines account, on cases that have one


def read_case(session: Session, actor: Actor, case: int | str) -> OpenedCase:
    view = cases.view_case(session, actor, reference_or_id=case, where="case")
    case_id = view.case.id or 0
    editors = presence.editors_of(session, actor, entity="case", entity_id=case_id)
    everything = ContactFilter()
    rows = contacts.list_contacts(
        session, actor, case_id=case_id, flt=everything, limit=PagedTable.PAGE_SIZE
    )
    count = contacts.count_contacts(session, case_id=case_id, flt=everything)
    verified = verification.verified_summary(session, view.subject.id or 0)
    account = accounts.account_if_any(session, actor, case_id=case_id)
    return OpenedCase(view, editors, FirstPage(rows, count), verified, account)


def open_case(
    app: App[Any], actor: Actor, case: int | str, show: Callable[[OpenedCase], Any]
) -> None:
    """Read the case, then `show` it (the app pushes the case screen with what was read)."""

    def refused(error: Exception) -> None:
        app.notify(
            describe_error(error),
            title="Cannot open the case",
            severity="warning",
            timeout=10,
            markup=False,
        )

    run_db(
        app.screen,
        lambda s: read_case(s, actor, case),
        done=show,
        failed=refused,
        write="if_needed",  # writes only to log a view of a restricted case
        what="opening the case",
        group="case-open",
        exclusive=True,
    )
