"""Received documents that evidence work (papers to chase, casework events), letters proposed by
tasks, and the watched intake folder."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import received_evidence, tasks
from tests.audit_scenarios import audited, reads
from tests.factories import World

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
