"""Received papers as evidence of a casework event, end to end in a real terminal (tmux, 80x24)
on the demo database: on a mental-health case press `i`, give the scanned recall warrant, its
kind, then "New event: Recall to hospital" with the day it happened; the Timeline (`7`) shows the
recall with its document, and the database holds the event and the link."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from caseterm.core.models import (
    CaseEvent,
    CaseFile,
    CaseType,
    Document,
    EventDocument,
    Staff,
    Task,
)
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, TaskKind
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    case_id: int
    reference: str
    tmp: Path
    next_document: int  # the id the received papers will get


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    """Wendy's first open mental-health case with no papers to chase (so `i` asks no task)."""
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        chasing = select(Task.case_id).where(
            Task.kind == TaskKind.PAPERS_TO_CHASE,
            col(Task.status).in_(list(ACTIVE_TASK_STATUSES)),
            col(Task.case_id).is_not(None),
        )
        case = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "MHC", CaseFile.owner_id == me.id, CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False), col(CaseFile.id).not_in(chasing))
            .order_by(col(CaseFile.id))
        ).first()
        last = s.exec(select(func.max(Document.id))).one() or 0
    assert case is not None and case.id is not None
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    yield Demo(db, path, env, case.id, case.reference, tmp_path, last + 1)
    db.dispose()


def test_receive_a_recall_warrant_as_evidence_of_a_new_recall(demo: Demo) -> None:
    scan = demo.tmp / "warrant.pdf"
    scan.write_bytes(PDF)
    term = Terminal(["--db", str(demo.path)], demo.env, width=80, height=24)
    try:
        open_case(term, demo.reference)
        term.keys("i")
        term.wait_for("File to attach")
        term.keys(str(scan), literal=True)
        term.wait_for("warrant.pdf")
        term.keys("Enter")
        term.wait_for("What is it?")
        term.keys("C-u")  # "other" is offered
        term.keys("court", literal=True)
        term.wait_for("court")
        term.keys("Enter")
        term.wait_for("Which event do these papers evidence?", "No event")
        term.keys("new event: recall", literal=True)
        term.wait_for("New event: Recall to hospital")
        term.keys("Enter")
        term.wait_for("Recall to hospital: on which day did it happen?")
        term.keys("C-u")  # "today" is offered
        term.keys("20/11/2026", literal=True)
        term.wait_for("20/11/2026")
        term.keys("Enter")
        term.wait_for("Stored warrant.pdf")
        term.keys("7")
        term.wait_for(
            "Statutory clocks",
            "20/11/2026 Recall to hospital",
            f"#{demo.next_document} warrant.pdf",
        )
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        event = s.exec(
            select(CaseEvent).where(CaseEvent.case_id == demo.case_id, CaseEvent.kind == "recall")
        ).one()
        link = s.exec(select(EventDocument).where(EventDocument.event_id == event.id)).one()
    assert event.event_date == date(2026, 11, 20) and link.document_id == demo.next_document
    assert f"document #{link.document_id} (warrant.pdf)" in event.details
