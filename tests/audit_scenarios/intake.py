"""Received documents that evidence work (papers to chase, casework events), letters proposed by
tasks, and the watched intake folder."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import letter_proposals, letter_tasks, received_evidence, tasks
from tests.audit_scenarios import audited, reads
from tests.factories import World
from tests.letter_helpers import add_template

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

reads("received_evidence", "papers_to_chase")


def _chase(w: World) -> int:
    with w.db.write() as s:
        made = tasks.create_task(
            s, w.clerk, kind="papers_to_chase", title="Chase papers", case_id=w.case.id
        )
        return made.id or 0


@audited("received_evidence", "receive_document", "document.receive", _chase)
def _receive_document(s: Session, w: World, task_id: Any) -> None:
    received_evidence.receive_document(
        s, w.clerk, case_id=w.case.id or 0, filename="p.pdf", data=PDF, kind="court",
        closes_task_id=task_id,
    )  # fmt: skip


reads("letter_proposals", "proposal_if_any")
reads("letter_tasks", "template_for_letter", "proposed_code", "drafted_document", "with_document")


def _letter_task(w: World) -> int:
    add_template(w)
    with w.db.write() as s:
        made = tasks.create_task(
            s,
            w.clerk,
            kind="letter_to_issue",
            title="Send letter",
            case_id=w.case.id,
            source="letter:APPT",
        )
        return made.id


@audited("letter_proposals", "draft_for_task", "task.letter_drafted", _letter_task)
def _draft_for_task(s: Session, w: World, task_id: Any) -> None:
    letter_proposals.draft_for_task(s, w.clerk, task_id=task_id)


def _drafted_task(w: World) -> int:
    task_id = _letter_task(w)
    with w.db.write() as s:
        return letter_proposals.draft_for_task(s, w.clerk, task_id=task_id).id


@audited("letter_tasks", "complete_for_letter", "task.complete", _drafted_task)
def _complete_for_letter(s: Session, w: World, doc_id: Any) -> None:
    assert letter_tasks.complete_for_letter(s, w.clerk, document_id=doc_id, title="x")


def _letter_to_check(w: World) -> int:
    """A letter submitted by the clerk and a check-request naming it (as the demo's are)."""
    from tests.letter_helpers import submitted

    doc_id = submitted(w)
    with w.db.write() as s:
        tasks.create_task(
            s,
            w.clerk,
            kind="check_request",
            title="Check letter before issue",
            case_id=w.case.id,
            assignee_id=w.manager.id,
            source=f"document:{doc_id}",
        )
    return doc_id


@audited("letter_tasks", "complete_checks_for_letter", "task.complete", _letter_to_check)
def _complete_checks_for_letter(s: Session, w: World, doc_id: Any) -> None:
    assert letter_tasks.complete_checks_for_letter(s, w.manager, document_id=doc_id, outcome="x")
