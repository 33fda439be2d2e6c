"""What the case detail sections show: their columns, where their rows come from, and a row in
full. The contact log pages from SQL (a case may have 10k entries); the other sections are
short lists read once by one service call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from caseterm.core.models.vocab import DocumentStatus, ReviewStatus, TaskStatus
from caseterm.core.rules.catalogue import (
    CONTACT_TYPES,
    DOCUMENT_STATUSES,
    OUTCOMES,
    RECEIVED_KINDS,
    RECEIVED_TYPES,
    appointment_kind_label,
    label,
    status_label,
)
from caseterm.core.services import contacts
from caseterm.core.services.contacts import ContactFilter, ContactRow
from caseterm.core.services.diary_views import DiaryRow
from caseterm.core.services.documents import DocumentRow
from caseterm.core.services.history import HistoryRow
from caseterm.core.services.queues import TaskRow
from caseterm.core.services.received import ReceivedInfo
from caseterm.core.services.reviews import ReviewRow
from caseterm.tui.context import TuiContext
from caseterm.tui.safe import uk_date, uk_datetime
from caseterm.tui.screens.queues import due_text
from caseterm.tui.screens.task_actions import kind_label as task_kind_label
from caseterm.tui.widgets.paged_table import Column, Count, Fetch

# ---------------------------------------------------------------- tasks

# Every row is this case's, so the case and subject columns of a queue would only repeat the
# header; who has each task, and whether it is still waiting for triage, matter here instead.
CASE_TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("Due", due_text, width=6),
    Column("P", lambda r: str(r.priority), width=1),
    Column("Task", lambda r: r.title, grow=2),
    Column(
        "State",
        lambda r: "Incoming" if r.status == TaskStatus.UNTRIAGED else status_label(r.status),
        width=8,
    ),
    Column("Assigned", lambda r: r.assignee_name, width=16),
    Column("Kind", lambda r: task_kind_label(r.kind), width=20, hide_below=100),
]


# ---------------------------------------------------------------- contact log


def contact_source(
    ctx: TuiContext, case_id: int, flt: ContactFilter
) -> tuple[Fetch[ContactRow], Count]:
    db, actor = ctx.db, ctx.actor

    def fetch(offset: int, limit: int) -> list[ContactRow]:
        with db.read() as s:
            return contacts.list_contacts(
                s, actor, case_id=case_id, flt=flt, limit=limit, offset=offset
            )

    def count() -> int:
        with db.read() as s:
            return contacts.count_contacts(s, case_id=case_id, flt=flt)

    return fetch, count


def _flags(row: ContactRow) -> str:
    e = row.entry
    return ("S" if e.sensitive else " ") + (
        "x" if row.superseded_by else "c" if e.supersedes_id else " "
    )


CONTACT_COLUMNS: list[Column[ContactRow]] = [
    Column("When", lambda r: uk_datetime(r.entry.occurred_at), width=16),
    Column("Fl", _flags, width=2),
    Column("Type", lambda r: label(CONTACT_TYPES, r.entry.contact_type), width=15),
    Column(
        "Outcome", lambda r: OUTCOMES.get(r.entry.outcome, r.entry.outcome), width=20, hide_below=72
    ),
    Column("By", lambda r: r.staff_name, width=16, hide_below=110),
    Column("Notes", lambda r: r.entry.notes),
]


def contact_row_class(row: ContactRow) -> str:
    return "muted" if row.superseded_by else ""


def contact_record(row: ContactRow) -> tuple[str, list[tuple[str, str]], str]:
    e = row.entry
    fields = [
        ("When", uk_datetime(e.occurred_at)),
        ("Logged", f"{uk_datetime(e.logged_at)} by {row.staff_name}"),
        ("Type", label(CONTACT_TYPES, e.contact_type)),
        ("Outcome", OUTCOMES.get(e.outcome, e.outcome)),
        ("Sensitive", "yes" if e.sensitive else "no"),
    ]
    if e.supersedes_id:
        fields.append(("Corrects", f"entry {e.supersedes_id}: {e.correction_reason}".rstrip(": ")))
    if row.superseded_by:
        fields.append(("Corrected by", f"entry {row.superseded_by}"))
    return f"Contact entry {e.id}", fields, e.notes


# ---------------------------------------------------------------- history (audit)

HISTORY_COLUMNS: list[Column[HistoryRow]] = [
    Column("When", lambda r: uk_datetime(r.at), width=16),
    Column("Who", lambda r: r.staff_name, width=16, hide_below=70),
    Column("Action", lambda r: r.action, width=18),
    Column("What", lambda r: r.summary),
]


def history_record(row: HistoryRow) -> tuple[str, list[tuple[str, str]], str]:
    fields = [
        ("When", uk_datetime(row.at)),
        ("Who", f"{row.staff_name} ({row.login or 'system'}, unix {row.os_user or '?'})"),
        ("Action", row.action),
        ("Record", f"{row.entity} {row.entity_id or ''}".strip()),
    ]
    body = "\n".join(f"{c.field}: {c.old_text} → {c.new_text}" for c in row.changes)
    return row.summary or row.action, fields, body


# ---------------------------------------------------------------- parties


@dataclass(frozen=True)
class PartyRow:
    person_id: int
    role: str
    name: str
    born: date | None
    notes: str


PARTY_COLUMNS: list[Column[PartyRow]] = [
    Column("Role", lambda r: r.role, width=18),
    Column("Name", lambda r: r.name),
    Column("Born", lambda r: uk_date(r.born), width=10),
    Column("Notes", lambda r: r.notes, hide_below=90),
]


# ---------------------------------------------------------------- diary and reviews

APPOINTMENT_COLUMNS: list[Column[DiaryRow]] = [
    Column("When", lambda r: uk_datetime(r.appointment.starts_at), width=16),
    Column("What", lambda r: appointment_kind_label(r.appointment.kind).capitalize(), width=18),
    Column("Status", lambda r: status_label(r.appointment.status), width=16),
    Column("With", lambda r: r.staff_name, width=16, hide_below=90),
    Column("Where", lambda r: r.room_name or r.appointment.location),
]

REVIEW_COLUMNS: list[Column[ReviewRow]] = [
    Column("Due", lambda r: uk_date(r.due_date), width=10),
    Column("Kind", lambda r: r.kind.replace("_", " ").capitalize(), width=14),
    Column("Status", lambda r: r.status.capitalize(), width=10),
    Column("What", lambda r: r.description),
]


def review_row_class(today: date) -> Any:
    def row_class(r: ReviewRow) -> str:
        if r.status == ReviewStatus.PENDING and r.due_date < today:
            return "warning"
        return "" if r.status == ReviewStatus.PENDING else "muted"

    return row_class


# ---------------------------------------------------------------- documents


def _document_status(row: DocumentRow) -> str:
    return "Received" if row.kind == "received" else DOCUMENT_STATUSES.get(row.status, row.status)


DOCUMENT_COLUMNS: list[Column[DocumentRow]] = [
    Column("Created", lambda r: uk_date(r.created_at.date()), width=10),
    Column("Status", _document_status, width=8),
    Column("Title", lambda r: r.title),
    Column(
        "Template",
        lambda r: RECEIVED_KINDS.get(r.status, "") if r.kind == "received" else r.template_name,
        width=20,
        hide_below=100,
    ),
    Column("By", lambda r: r.created_by, width=16, hide_below=90),
    Column("Checked by", lambda r: r.checked_by, width=16, hide_below=110),
    Column("Issued", lambda r: uk_datetime(r.issued_at), width=16, hide_below=80),
]


def received_record(info: ReceivedInfo) -> tuple[str, list[tuple[str, str]], str]:
    fields = [
        ("Kind", RECEIVED_KINDS.get(info.kind, info.kind)),
        ("File", info.filename),
        ("Type", f"{RECEIVED_TYPES.get(info.media_type, info.media_type)} ({info.media_type})"),
        ("Size", f"{info.size:,} bytes"),
        ("SHA-256", info.sha256),
        ("Stored", f"{uk_datetime(info.stored_at)} by {info.stored_by}"),
    ]
    return info.title, fields, f"Get the file with: caseterm document get {info.id} --out FILE"


def document_row_class(row: DocumentRow) -> str:
    return "muted" if row.status == DocumentStatus.ISSUED else ""
