"""Receiving papers closes the case's "papers to chase" task and records the casework event they
evidence, from the service and the command line; a wrong task leaves nothing stored."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseEvent, CaseFile, Document, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.services import cases, received_evidence, tasks
from tests.cli import run_cli
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(64))


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Event dates are the frozen clock's today."""


def _chase(w: World, case_id: int, kind: str = "papers_to_chase") -> int:
    with w.db.write() as s:
        return (
            tasks.create_task(s, w.clerk, kind=kind, title="Chase court papers", case_id=case_id).id
            or 0
        )


def _mh_case(w: World) -> int:
    with w.db.write() as s:
        return (
            cases.open_case(
                s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
            ).id
            or 0
        )


def test_receiving_papers_closes_the_chase_and_records_the_event(world: World) -> None:
    case_id = _mh_case(world)
    task_id = _chase(world, case_id)
    with world.db.read() as s:
        listed = received_evidence.papers_to_chase(s, world.clerk, case_id=case_id)
    assert [t.id for t in listed] == [task_id]
    with world.db.write() as s:
        done = received_evidence.receive_document(
            s, world.clerk, case_id=case_id, filename="order.pdf", data=PDF, kind="court",
            closes_task_id=task_id, event_kind="recall", event_date=date(2026, 11, 20),
        )  # fmt: skip
    with world.db.read() as s:
        task = s.get(Task, task_id)
        event = s.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
        assert received_evidence.papers_to_chase(s, world.clerk, case_id=case_id) == []
    assert task is not None and task.status == TaskStatus.DONE
    assert task.outcome == f"papers received: document #{done.document.id}"
    assert event.id == done.event_id and event.kind == "recall"
    assert event.event_date == date(2026, 11, 20)
    assert f"document #{done.document.id}" in event.details


def test_a_task_that_is_not_a_chase_of_this_case_stores_nothing(world: World) -> None:
    case_id = world.case.id or 0
    general = _chase(world, case_id, kind="general")
    other_case = _chase(world, _mh_case(world))
    for task_id in (general, other_case, 999999):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            received_evidence.receive_document(
                s, world.clerk, case_id=case_id, filename="a.pdf", data=PDF, kind="court",
                closes_task_id=task_id,
            )  # fmt: skip
        assert err.value.field == "closes"
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        received_evidence.receive_document(
            s, world.clerk, case_id=case_id, filename="a.pdf", data=PDF, kind="court",
            event_kind="no_such_event", event_date=date(2026, 11, 20),
        )  # fmt: skip
    assert err.value.field == "event"
    with world.db.read() as s:
        assert s.exec(select(Document).where(Document.kind == "received")).all() == []


def test_document_add_closes_a_chase_from_the_command_line(world: World, tmp_path: Path) -> None:
    case_id = _mh_case(world)
    task_id = _chase(world, case_id)
    src = tmp_path / "order.pdf"
    src.write_bytes(PDF)
    with world.db.read() as s:
        case = s.get(CaseFile, case_id)
        assert case is not None
        ref = case.reference
    out = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                  "--closes", str(task_id), "--event-kind", "recall", "--event-date", "20/11/2026",
                  "--json",
                  db=world.db.url, user="clerk")  # fmt: skip
    assert out.code == 0, out.err
    got = out.json()
    assert got["closed_task_id"] == task_id and got["event_id"] > 0
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and task.status == TaskStatus.DONE
    again = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                    "--closes", str(task_id), db=world.db.url, user="clerk")  # fmt: skip
    assert again.code != 0 and "closes" in again.one_error_line()
